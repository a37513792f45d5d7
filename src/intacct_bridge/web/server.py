"""Running the web app with Uvicorn: in the foreground (`serve`) or on a thread (`start_server`, for tests,
benchmarks and the demo).

    from intacct_bridge.web.server import serve
    serve("sqlite:///bridge.db", host="127.0.0.1", port=8000)

`port=0` picks a free port; `on_ready(url)` is called with the real address once
the server listens (how `demo --serve` prints where the console is).
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI

from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store
from intacct_bridge.web.access import create_user, set_password
from intacct_bridge.web.app import create_app


class CannotListen(Exception):
    """`serve` cannot take its address (in use, or not allowed): said before anything starts."""


def _listen(host: str, port: int) -> socket.socket:
    """Bind before the app and its scheduler start: a taken port is then a prompt message and exit, not a
    server stuck shutting down what it had started."""
    try:
        return socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as exc:
        hint = " (another intacct-bridge serve?); stop it or pick another with --port" if port else ""
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise CannotListen(f"cannot listen on {host}:{port}: {reason}{hint}") from None


def _server(app: FastAPI, host: str, port: int, log_level: str) -> uvicorn.Server:
    # One worker process: runs and their progress live in this process (the store is shared anyway).
    # `--log-format` configured the root logger: Uvicorn's loggers then write through it, not their own.
    own_logs = os.environ.get("INTACCT_BRIDGE_LOG_FORMAT") is None
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, proxy_headers=True,
                            forwarded_allow_ips="127.0.0.1", timeout_graceful_shutdown=30,
                            **({} if own_logs else {"log_config": None}))
    return uvicorn.Server(config)


def _address(server: uvicorn.Server, host: str) -> str:
    port = server.servers[0].sockets[0].getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://{shown}:{port}"


def serve(store_url: str | None = None, host: str = "127.0.0.1", port: int = 8000, *,
          store: Store | None = None, operator: OperatorSettings | None = None,
          client_options: dict[str, Any] | None = None, workers: int = 4, secure_cookies: bool = False,
          log_level: str = "info", on_ready: Callable[[str], None] | None = None, schedule: bool = True) -> None:
    """Serve the console and the API until interrupted (Ctrl-C); `schedule` runs the nightly syncs.

    Raises `CannotListen` when the address is taken, before the app is built.
    """
    sock = _listen(host, port)
    app = create_app(store=store, database_url=store_url, operator=operator, client_options=client_options,
                     workers=workers, secure_cookies=secure_cookies, schedule=schedule)
    server = _server(app, host, port, log_level)
    if on_ready is not None:
        watcher = threading.Thread(target=_announce, args=(server, host, on_ready), daemon=True)
        watcher.start()
    with sock:
        server.run(sockets=[sock])


def _announce(server: uvicorn.Server, host: str, on_ready: Callable[[str], None]) -> None:
    while not server.started:
        if server.should_exit:
            return
        time.sleep(0.05)
    on_ready(_address(server, host))


@dataclass
class RunningServer:
    url: str
    app: FastAPI


@contextmanager
def start_server(*, store: Store | None = None, store_url: str | None = None,
                 operator: OperatorSettings | None = None, client_options: dict[str, Any] | None = None,
                 host: str = "127.0.0.1", port: int = 0, log_level: str = "warning",
                 startup_timeout: float = 30.0) -> Iterator[RunningServer]:
    """The app on a background thread (a free port by default) until the block exits."""
    app = create_app(store=store, database_url=store_url, operator=operator, client_options=client_options)
    server = _server(app, host, port, log_level)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]  # not the main thread
    thread = threading.Thread(target=server.run, name="intacct-bridge-web", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web app did not start")
            time.sleep(0.01)
        yield RunningServer(_address(server, host), app)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def ensure_login(store: Store, username: str = "admin") -> str:
    """Create `username` (or reset its password) with a fresh random password, and return the password.

    For the demo: it prints the login once; a real deployment uses `intacct-bridge user create`.
    """
    password = secrets.token_urlsafe(12)
    with store.write_session() as session:
        if set_password(session, username, password) is None:  # no such user yet
            create_user(session, username, password)
    return password


def serve_console(store: Store, *, workspace: str | None = None, host: str = "127.0.0.1", port: int = 0,
                  username: str = "admin", operator: OperatorSettings | None = None,
                  client_options: dict[str, Any] | None = None, announce: Callable[[str], None] = print) -> None:
    """Serve the console on `store` until Ctrl-C, announcing its address and a fresh login (for the demo).

    `intacct-bridge demo --serve` calls this with the demo's store and workspace slug
    while its emulator is still running.
    """
    password = ensure_login(store, username)

    def ready(url: str) -> None:
        announce(f"Console running at {url}/w/{workspace}" if workspace else f"Console running at {url}/")
        announce(f"Sign in as {username} with password {password}   (API docs: {url}/api/v1/docs; Ctrl-C stops)")

    serve(store=store, operator=operator, client_options=client_options, host=host, port=port, log_level="warning",
          on_ready=ready, schedule=False)
