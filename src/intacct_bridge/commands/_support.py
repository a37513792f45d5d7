"""What every command shares: the store, the workspace option, output, and exit codes scripts can trust.

Exit codes: 0 done; 1 a user error (the message says what to fix); 2 bad usage (Typer's own).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

if TYPE_CHECKING:  # the store, SQLAlchemy and settings load when a command runs, not for `--help`
    from sqlalchemy.orm import Session

    from intacct_bridge.store.database import Store
    from intacct_bridge.store.models import Workspace

USER_ERROR = 1

console = Console()
err_console = Console(stderr=True)

WorkspaceOption = Annotated[
    str | None,
    typer.Option(
        "--workspace",
        "-w",
        envvar="INTACCT_BRIDGE_WORKSPACE",
        help="Workspace slug, name or id (default: the only workspace).",
        show_default=False,
    ),
]


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON lines (one object per row) for scripts.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print every matching row (no limit) as CSV with a header.")]


def print_json_lines(rows: list[dict[str, object]]) -> None:
    """One JSON object per line on stdout; Decimals and timestamps as strings (never floats)."""
    for row in rows:
        typer.echo(json.dumps(row, default=_json_value, ensure_ascii=False))


def _json_value(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def fail(message: str, code: int = USER_ERROR) -> NoReturn:
    """Print a user error and exit with `code` (1 unless a command documents another)."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user can fix into a message and exit code 1 (never a traceback)."""
    from sqlalchemy.exc import OperationalError

    from intacct_bridge.crypto import SecretKeyError
    from intacct_bridge.store.errors import StoreError
    from intacct_bridge.store.repositories.campaigns import UnknownCampaign

    try:
        yield
    except (StoreError, SecretKeyError, UnknownCampaign) as error:
        fail(str(error))
    except OperationalError as error:  # busy past the timeout, or the server is unreachable
        reason = str(error.orig).strip().splitlines()[0] if error.orig else "unknown reason"
        fail(f"cannot use the database ({reason}); check INTACCT_BRIDGE_DATABASE_URL or try again")


def cli_store() -> Store:
    """The operator's store, migrated on first use."""
    from intacct_bridge.settings import OperatorSettings
    from intacct_bridge.store.database import open_store

    with user_errors():
        return open_store(OperatorSettings().resolved_database_url())


@contextmanager
def store_session(*, write: bool = False) -> Iterator[tuple[Store, Session]]:
    """(store, session) on the operator's store for one command; commits on success, user errors exit 1.

    `write=True` takes SQLite's write lock up front, so a command that reads then writes
    waits for a running sync instead of failing with "database is locked".
    """
    store = cli_store()
    try:
        with user_errors(), (store.write_session() if write else store.session()) as session:
            yield store, session
    finally:
        store.dispose()


@contextmanager
def workspace_session(ref: str | None, *, write: bool = False) -> Iterator[tuple[Store, Session, Workspace]]:
    """(store, session, workspace) for one command, as `store_session`, with the named (or only) workspace."""
    from intacct_bridge.settings import OperatorSettings
    from intacct_bridge.store.repositories.workspaces import resolve_workspace

    with store_session(write=write) as (store, session):
        yield store, session, resolve_workspace(session, ref or OperatorSettings().workspace)


def money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def when(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


FIX_COMMANDS = {
    "campaigns": "Campaigns: intacct-bridge actions tag ID --add CAMPAIGN --remove CAMPAIGN",
    "source": "Source data: correct it in your system, then intacct-bridge actions import FILE (same external ids)",
    "settings": "Settings: intacct-bridge settings show / settings set",
}
# The CLI's way to take the step a reason asks for (`domain.next_steps`); the console links to a page instead.
STEP_COMMANDS = {
    "pull": "Pull from Intacct: intacct-bridge entities pull",
    "vendors": "Vendors: intacct-bridge vendors import FILE, then intacct-bridge sync",
    "settings": "Default entity: intacct-bridge entities list, then intacct-bridge entities level entity --default-entity ID",
    "o2c_settings": "Order-to-cash settings: intacct-bridge o2c-settings show / o2c-settings set",
    "dimensions": "User-defined dimension: intacct-bridge settings dimension",
}


def fix_hints(kinds: set[str], steps: set[str] = frozenset()) -> list[str]:
    """The commands for the kinds of fix and the steps (`domain.next_steps`) the listed reasons need (and no
    others)."""
    return ([line for kind, line in FIX_COMMANDS.items() if kind in kinds]
            + [line for step, line in STEP_COMMANDS.items() if step in steps])


def step_hint(reason: dict[str, str]) -> str:
    """The command for the step one reason asks for (from `with_fixes`), as a line to print under it; "" if none."""
    line = STEP_COMMANDS.get(reason.get("step", ""))
    return f"\n  do: {line}" if line else ""
