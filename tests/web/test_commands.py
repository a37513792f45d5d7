"""`token`, `user` and `serve` as a person runs them (the CLI in a real process)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest
from cryptography.fernet import Fernet

from intacct_bridge.store.database import open_store
from intacct_bridge.web.access import authenticate_token, verify_user


def run_cli(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "intacct_bridge", *args], env=env, input=stdin, text=True,
                          capture_output=True, timeout=120)


def cli_env(tmp_path) -> tuple[dict[str, str], str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "INTACCT_BRIDGE_DATABASE_URL": url, "INTACCT_BRIDGE_SECRET_KEY": Fernet.generate_key().decode(),
           "INTACCT_BRIDGE_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    return env, url


@pytest.mark.slow
def test_token_create_prints_it_once_and_stores_its_hash(tmp_path):
    env, url = cli_env(tmp_path)
    assert run_cli(env, "workspace", "create", "Helping Hands").returncode == 0
    created = run_cli(env, "token", "create", "--workspace", "helping-hands", "--name", "crm")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("ib_")
    admin = run_cli(env, "token", "create", "--admin").stdout.strip().splitlines()[-1]
    both = run_cli(env, "token", "create", "--admin", "--workspace", "helping-hands")
    assert both.returncode == 1 and "either" in both.stderr
    listing = run_cli(env, "token", "list").stdout
    assert token not in listing and token[:10] in listing and "admin" in listing
    store = open_store(url)
    with store.session() as session:
        assert authenticate_token(session, token).principal.workspace_id is not None
        assert authenticate_token(session, admin).principal.is_admin
    revoked = run_cli(env, "token", "revoke", "1", "--workspace", "helping-hands")
    assert revoked.returncode == 0, revoked.stderr
    with store.session() as session:
        assert authenticate_token(session, token) is None
    store.dispose()


@pytest.mark.slow
def test_user_create_hashes_the_password(tmp_path):
    env, url = cli_env(tmp_path)
    created = run_cli(env, "user", "create", "ana", "--password-stdin", stdin="a long enough secret\n")
    assert created.returncode == 0, created.stderr
    assert run_cli(env, "user", "create", "ana", "--password-stdin", stdin="another long one\n").returncode == 1
    short = run_cli(env, "user", "create", "ben", "--password-stdin", stdin="short\n")
    assert short.returncode == 1 and "at least 10" in short.stderr
    store = open_store(url)
    with store.write_session() as session:
        assert verify_user(session, "ana", "a long enough secret") is not None
        assert verify_user(session, "ana", "wrong") is None
    store.dispose()
    assert "ana" in run_cli(env, "user", "list").stdout


@pytest.mark.slow
def test_serve_answers_on_the_printed_address_and_stops_on_sigint(tmp_path):
    env, _ = cli_env(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "intacct_bridge", "serve", "--port", "0"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        address = None
        deadline = time.monotonic() + 60
        while address is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            found = re.search(r"Console: (http://127\.0\.0\.1:\d+)/", line)
            address = found.group(1) if found else None
        assert address, "serve did not print its address"
        assert httpx.get(f"{address}/api/v1/health").json() == {"status": "ok"}
        docs = httpx.get(f"{address}/api/v1/docs").text
        assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
        assert httpx.get(f"{address}/static/vendor/htmx/htmx.min.js").status_code == 200
        assert httpx.get(f"{address}/", follow_redirects=False).status_code == 303
    finally:
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=30)
    assert process.returncode in (0, -signal.SIGINT, 128 + signal.SIGINT)  # Ctrl-C, as a shell reports it
    assert "Application shutdown complete" in rest and "Traceback" not in rest


SERVE_CONSOLE = """
import sys
from intacct_bridge.store.database import open_store
from intacct_bridge.store.repositories.workspaces import create_workspace
from intacct_bridge.web.server import serve_console
store = open_store(sys.argv[1])
with store.write_session() as session:
    slug = create_workspace(session, "Helping Hands (demo)").slug
serve_console(store, workspace=slug, announce=lambda line: print(line, flush=True))
"""


@pytest.mark.slow
def test_serve_console_prints_its_address_and_a_working_login(tmp_path):
    env, url = cli_env(tmp_path)
    process = subprocess.Popen([sys.executable, "-c", SERVE_CONSOLE, url], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        lines = [process.stdout.readline(), process.stdout.readline()]
        address = re.search(r"Console running at (http://127\.0\.0\.1:\d+)/w/helping-hands-demo", lines[0])
        login = re.search(r"Sign in as (\S+) with password (\S+)", lines[1])
        assert address and login, lines
        with httpx.Client(base_url=address.group(1), follow_redirects=True) as browser:
            form = browser.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
            signed_in = browser.post("/login", data={"username": login.group(1), "password": login.group(2),
                                                     "csrf_token": token, "next": "/w/helping-hands-demo"})
            assert signed_in.status_code == 200 and "Dashboard" in signed_in.text
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def test_ensure_login_creates_the_user_then_replaces_its_password(store):
    from intacct_bridge.web.server import ensure_login

    first = ensure_login(store, "demo-admin")
    second = ensure_login(store, "demo-admin")
    with store.write_session() as session:
        assert verify_user(session, "demo-admin", first) is None
        assert verify_user(session, "demo-admin", second) is not None
