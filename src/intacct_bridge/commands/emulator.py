"""`intacct-bridge emulator`: start the local Sage Intacct gateway emulator.

The product never imports the emulator except here, lazily, to start it.
"""

from __future__ import annotations

from typing import Annotated

import typer


def emulator(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    db: Annotated[str | None, typer.Option(help="SQLite file for the emulator's state, or :memory:. "
                                           "Default: emulator.sqlite3 in the user data directory.")] = None,
    seed: Annotated[str, typer.Option(help="Data set to load at start ('demo'; 'fleet': the demo and 12 more "
                                           "companies; 'none' for an empty store).")] = "demo",
    latency_ms: Annotated[float, typer.Option(help="Added latency per request, in ms.")] = 0,
    per_function_ms: Annotated[float, typer.Option(help="Added latency per function, in ms.")] = 0,
    concurrency: Annotated[int, typer.Option(help="Concurrent requests per company before HTTP 429.")] = 2,
    max_functions: Annotated[int, typer.Option(help="Most functions accepted in one request.")] = 100,
    session_minutes: Annotated[float, typer.Option(help="Sliding session timeout, in minutes.")] = 30,
    result_set_minutes: Annotated[float, typer.Option(help="Lifetime of a readByQuery result set, in minutes.")] = 15,
    max_body_bytes: Annotated[int, typer.Option(help="Largest request body accepted (HTTP 413 above).")] = 5_000_000,
    faults: Annotated[str, typer.Option(help="Fault spec, e.g. 'error503=0.1,drop_after_commit=0.05,latency_ms=20'.")] = "",
    fault_seed: Annotated[int | None, typer.Option(help="Seed that makes injected faults reproducible.")] = None,
    idempotency_mode: Annotated[str, typer.Option(help="Answer to a repeated function controlid: reject or replay.")] = "reject",
    rest: Annotated[list[str] | None, typer.Option(
        help="A REST API knob NAME=VALUE, repeatable: token_seconds, refresh_token_seconds, error_form (nested|top), "
             "unknown_fields (reject|ignore), bad_entity_status, entity_header_typos (ignore|reject), "
             "duplicate_status, in_flight_status, replay_hours, key_days, page_size, retry_after.")] = None,
) -> None:
    """Run the Intacct emulator (XML gateway and REST API) and print the INTACCT_* lines that reach it."""
    from intacct_emulator.backend.seeds import SEEDS
    from intacct_emulator.config import EmulatorConfig
    from intacct_emulator.faults import FaultSpec
    from intacct_emulator.server import CannotListen, run

    settings = dict(
        host=host, port=port, seed=None if seed.lower() == "none" else seed, latency_ms=latency_ms,
        per_function_ms=per_function_ms, concurrency=concurrency, max_functions=max_functions,
        session_minutes=session_minutes, result_set_minutes=result_set_minutes, max_body_bytes=max_body_bytes,
        faults=faults, fault_seed=fault_seed, idempotency_mode=idempotency_mode,
    )
    if db is not None:
        settings["db"] = db
    try:
        settings.update(_rest_knobs(rest or []))
        config = EmulatorConfig(**settings)
        FaultSpec.parse(faults)
        if config.seed is not None and config.seed not in SEEDS:
            raise ValueError(f"unknown seed {config.seed!r}; known: {', '.join(sorted(SEEDS))}, none")
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    try:
        run(config)
    except CannotListen as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


def _rest_knobs(given: list[str]) -> dict[str, object]:
    """`--rest name=value` as EmulatorConfig's `rest_<name>` fields, typed like their defaults."""
    from intacct_emulator.config import EmulatorConfig

    defaults = EmulatorConfig(db=":memory:")
    knobs: dict[str, object] = {}
    for item in given:
        name, sep, raw = item.partition("=")
        field = f"rest_{name.strip()}"
        if not sep or not hasattr(defaults, field):
            raise ValueError(f"--rest {item!r}: give NAME=VALUE with a REST knob name (see --help)")
        default = getattr(defaults, field)
        try:
            if isinstance(default, bool):
                if raw.strip().lower() not in ("true", "false"):
                    raise ValueError(raw)
                knobs[field] = raw.strip().lower() == "true"
            else:
                knobs[field] = type(default)(raw.strip())
        except ValueError:
            raise ValueError(f"--rest {item!r}: {name} takes a {type(default).__name__}") from None
    return knobs


def register(app: typer.Typer) -> None:
    app.command("emulator")(emulator)
