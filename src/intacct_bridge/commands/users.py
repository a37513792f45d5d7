"""`intacct-bridge user create|list|set-password`: administrators of the web console (argon2-hashed passwords)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._support import cli_store, console, fail, user_errors, when

user_app = typer.Typer(help="Console administrators (sign in to the web console).", no_args_is_help=True)

PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input.")]


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("create")
def create(username: Annotated[str, typer.Argument(help="The name to sign in with.")],
           password_stdin: PasswordStdin = False) -> None:
    """Create a console administrator; the password is asked twice (or read with --password-stdin)."""
    from intacct_bridge.web.access import create_user

    password = _password(password_stdin)
    store = cli_store()
    try:
        with user_errors(), store.write_session() as session:
            create_user(session, username, password)
    finally:
        store.dispose()
    console.print(f"Created console user {username.strip()}. Sign in at the address `intacct-bridge serve` prints.")


@user_app.command("set-password")
def change_password(username: Annotated[str, typer.Argument(help="An existing user.")],
                    password_stdin: PasswordStdin = False) -> None:
    """Set a new password (signs the user out everywhere)."""
    from intacct_bridge.web.access import set_password

    password = _password(password_stdin)
    store = cli_store()
    try:
        with user_errors(), store.write_session() as session:
            if set_password(session, username, password) is None:
                fail(f"no console user {username!r}")
    finally:
        store.dispose()
    console.print(f"Password of {username} changed.")


@user_app.command("disable")
def disable(username: Annotated[str, typer.Argument(help="An existing user.")]) -> None:
    """Stop a user signing in and end its sessions (`set-password` brings it back)."""
    from intacct_bridge.web.access import disable_user

    store = cli_store()
    try:
        with user_errors(), store.write_session() as session:
            if disable_user(session, username) is None:
                fail(f"no console user {username!r}")
    finally:
        store.dispose()
    console.print(f"Disabled console user {username.strip()}; their sessions are ended.")


@user_app.command("list")
def list_() -> None:
    """List console users."""
    from sqlalchemy import select

    from intacct_bridge.store.models import ConsoleUser

    store = cli_store()
    try:
        with store.session() as session:
            users = session.scalars(select(ConsoleUser).order_by(ConsoleUser.username)).all()
    finally:
        store.dispose()
    table = Table("user", "created", "last sign-in", "disabled")
    for user in users:
        table.add_row(user.username, when(user.created_at), when(user.last_login_at),
                      when(user.disabled_at) if user.disabled_at else "")
    console.print(table)
