"""The `intacct-bridge` command line: one Typer app; each module of `commands/` adds its commands."""

from __future__ import annotations

import enum
import functools
import importlib
import os
import pkgutil
from typing import Annotated

import typer

from intacct_bridge import commands


class LogFormat(str, enum.Enum):
    text = "text"
    json = "json"


app = typer.Typer(
    name="intacct-bridge",
    help="Sync an organization's transactions and master data into Sage Intacct.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main(ctx: typer.Context, log_format: Annotated[LogFormat | None, typer.Option(
        "--log-format", help="Write logs on stderr as text or JSON lines (never with a secret); "
                             "unset: warnings only, as text.", show_default=False)] = None) -> None:
    """intacct-bridge command line."""
    # Settings (pydantic, the endpoint policy) load here, when a command runs: `--help` never waits for them.
    from pydantic import ValidationError

    from intacct_bridge.logs import configure_logging
    from intacct_bridge.settings import OperatorSettings

    try:  # a malformed operator setting (e.g. INTACCT_BRIDGE_ALLOWED_ENDPOINTS) is named, not a traceback
        operator = OperatorSettings()
    except ValidationError as exc:
        for error in exc.errors():  # the message only: the input may be a secret
            typer.echo(f"configuration error: {error['msg'].removeprefix('Value error, ')}", err=True)
        raise typer.Exit(2) from None
    from intacct_bridge.store.repositories.audit import Caller, os_user, reset_caller, set_caller

    # The audit log's "who" for every change this command makes (reset after it, for in-process callers).
    ctx.call_on_close(functools.partial(reset_caller, set_caller(Caller("cli", os_user()))))
    if log_format is not None:
        configure_logging(log_format.value, operator.log_level, operator)
        os.environ["INTACCT_BRIDGE_LOG_FORMAT"] = log_format.value  # the processes `worker` starts log alike


for _module in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
    if not _module.name.startswith("_"):  # `_name` modules are shared helpers, not command groups
        importlib.import_module(f"{commands.__name__}.{_module.name}").register(app)
