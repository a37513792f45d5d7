"""`db upgrade`: bring the database schema to the latest migration (every command also does it on first use)."""

from __future__ import annotations

import typer

from intacct_bridge.commands._support import console, fail, store_session, user_errors

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade_command() -> None:
    """Apply pending migrations to INTACCT_BRIDGE_DATABASE_URL (default: the SQLite file in the data dir)."""
    from intacct_bridge.settings import OperatorSettings
    from intacct_bridge.store.database import create_store_engine, current_revision, head_revision, upgrade

    url = OperatorSettings().resolved_database_url()
    engine = create_store_engine(url)
    try:
        with user_errors():
            before = current_revision(engine)
            upgrade(engine)
            after = current_revision(engine)
    finally:
        engine.dispose()
    shown = engine.url.render_as_string(hide_password=True)
    if before == after:
        console.print(f"{shown} is up to date (revision {after}).")
    else:
        console.print(f"Upgraded {shown} from {before or 'empty'} to {after} (head {head_revision()}).")


@db_app.command("new-key")
def new_key_command() -> None:
    """Print a fresh secret key (once, on stdout; nothing is stored): the NEW of `db rotate-key`."""
    from intacct_bridge.crypto import new_key

    typer.echo(new_key())
    typer.echo("Keep it secret. To switch to it: INTACCT_BRIDGE_SECRET_KEY=NEW,OLD intacct-bridge db rotate-key, "
               "then set INTACCT_BRIDGE_SECRET_KEY=NEW.", err=True)


@db_app.command("rotate-key")
def rotate_key() -> None:
    """Re-encrypt stored passwords with the first key of INTACCT_BRIDGE_SECRET_KEY (`new,old`; `db new-key` makes one)."""
    from intacct_bridge.crypto import SecretBox
    from intacct_bridge.settings import OperatorSettings
    from intacct_bridge.store.repositories.connections import rotate_passwords

    operator = OperatorSettings()
    if operator.secret_key is None:
        fail("set INTACCT_BRIDGE_SECRET_KEY to `NEW_KEY,OLD_KEY` first (make NEW_KEY with `intacct-bridge db new-key`; "
             "the old one may be the key file's content)")
    with store_session(write=True) as (_, session):
        count = rotate_passwords(session, SecretBox.from_settings(operator))
    console.print(f"Re-encrypted {count} stored password(s) with the new key; the old key can now be dropped.")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
