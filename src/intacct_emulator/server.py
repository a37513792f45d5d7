"""Serving the emulator with Uvicorn, for `intacct-bridge emulator` and the harness."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
from typing import TextIO

import uvicorn

from intacct_emulator.app import create_app
from intacct_emulator.config import DEMO_CREDENTIALS, DEMO_REST_CREDENTIALS, GATEWAY_PATH, REST_BASE_PATH, EmulatorConfig
from intacct_emulator.dispatch import FunctionSet


class CannotListen(Exception):
    """The address is taken (or not ours): said in one line, before anything starts."""


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the app starts, so a taken port is a message, not a traceback."""
    try:
        return socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        hint = " (another emulator?); stop it or pick another --port" if port else ""
        raise CannotListen(f"cannot listen on {host}:{port}: {reason}{hint}") from None


def endpoint_url(host: str, port: int, path: str = GATEWAY_PATH) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{path}"


def credentials(config: EmulatorConfig, port: int) -> dict[str, str]:
    """The env lines a client needs (ARCHITECTURE.md §1.4); demo credentials only with a seed holding the demo."""
    lines = {"INTACCT_ENDPOINT": endpoint_url(config.host, port),
             "INTACCT_REST_BASE_URL": endpoint_url(config.host, port, REST_BASE_PATH)}
    if config.seed in ("demo", "fleet"):
        lines.update(DEMO_CREDENTIALS)
        lines.update(DEMO_REST_CREDENTIALS)
    return lines


def uvicorn_config(config: EmulatorConfig, log_level: str = "info", functions: FunctionSet | None = None) -> uvicorn.Config:
    """Uvicorn settings for one app; `functions` replaces the real handlers (tests only)."""
    app = create_app(config, functions=functions)
    # h11, no lifespan: nothing to start; one process, the state lives in the app.
    # X-Forwarded-For is honoured from a local proxy only, so the IP filter sees the
    # address a proxy on this machine reports (tests use it to sign in from an allowed address).
    return uvicorn.Config(app, host=config.host, port=config.port, log_level=log_level, lifespan="off",
                          http="h11", access_log=log_level == "debug",
                          proxy_headers=True, forwarded_allow_ips="127.0.0.1")


def print_env_lines(lines: dict[str, str], out: TextIO) -> None:
    for name, value in lines.items():
        print(f"{name}={value}", file=out)
    out.flush()


def bound_port(server: uvicorn.Server) -> int:
    """The port a started server listens on (the real one when configured with port 0)."""
    return server.servers[0].sockets[0].getsockname()[1]


async def _serve_and_announce(server: uvicorn.Server, config: EmulatorConfig, out: TextIO,
                              sock: socket.socket) -> None:
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if serving.done():  # startup failed (port taken...): let uvicorn's error surface
            await serving
            return
        await asyncio.sleep(0.02)
    print(f"# Intacct emulator: database {config.db}, seed {config.seed or 'none'}", file=out)
    print_env_lines(credentials(config, bound_port(server)), out)
    await serving


def run(config: EmulatorConfig, out: TextIO = sys.stdout) -> None:
    """Serve until interrupted; once listening, print the shell-ready env lines.

    Raises `CannotListen` (the port is taken) before the app is built.
    """
    sock = listen(config.host, config.port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = uvicorn.Server(uvicorn_config(config))
    with sock:
        asyncio.run(_serve_and_announce(server, config, out, sock))
