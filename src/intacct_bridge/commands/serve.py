"""`intacct-bridge serve`: the web console and the REST API in one process (FastAPI on Uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer

from intacct_bridge.commands._support import cli_store, console, fail


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).", min=0, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Threads that run syncs started from the web.", min=1, max=64)] = 4,
    secure_cookies: Annotated[bool, typer.Option(help="Mark console cookies Secure (serving over HTTPS).")] = False,
    log_level: Annotated[str, typer.Option(help="Uvicorn's log level.")] = "info",
    schedule: Annotated[bool, typer.Option(help="Run each workspace's nightly sync at its scheduled time.")] = True,
) -> None:
    """Serve the console at / and the REST API at /api/v1 (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""
    from intacct_bridge.web.server import CannotListen
    from intacct_bridge.web.server import serve as run_server

    store = cli_store()

    def ready(url: str) -> None:
        console.print(f"Console: {url}/   API: {url}/api/v1 (docs: {url}/api/v1/docs)")
        console.print("Sign in with a user from `intacct-bridge user create`; API clients use a token from "
                      "`intacct-bridge token create`.")

    try:
        run_server(store=store, host=host, port=port, workers=workers, secure_cookies=secure_cookies,
                   log_level=log_level, on_ready=ready, schedule=schedule)
    except CannotListen as exc:
        fail(str(exc))
    finally:
        store.dispose()
