"""`db upgrade`: bring the database schema to the latest migration (every command also does it on first use)."""

from __future__ import annotations

import typer

from intacct_bridge.commands._support import console, user_errors
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import create_store_engine, current_revision, head_revision, upgrade

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade_command() -> None:
    """Apply pending migrations to INTACCT_BRIDGE_DATABASE_URL (default: the SQLite file in the data dir)."""
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


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
