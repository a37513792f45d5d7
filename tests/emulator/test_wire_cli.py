"""`intacct-bridge emulator` as a user starts it: a real process that prints the env lines, then serves."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

CLI = [sys.executable, "-m", "intacct_bridge"]


@pytest.fixture
def cli_emulator(tmp_path) -> Iterator[dict[str, str]]:
    """Start the command on a free port and read its env lines; stop that process afterwards."""
    process = subprocess.Popen(
        [*CLI, "emulator", "--port", "0", "--db", str(tmp_path / "cli.sqlite3"), "--concurrency", "3",
         "--rest", "error_form=top", "--rest", "retry_after=false"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        lines: dict[str, str] = {}
        for line in process.stdout:
            if "=" in line and not line.startswith("#"):
                name, _, value = line.strip().partition("=")
                lines[name] = value
            if "INTACCT_CLIENT_SECRET" in lines:
                break
        yield lines
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_prints_shell_ready_lines_and_answers_on_them(cli_emulator):
    env = cli_emulator
    assert set(env) == {"INTACCT_ENDPOINT", "INTACCT_SENDER_ID", "INTACCT_SENDER_PASSWORD",
                        "INTACCT_COMPANY_ID", "INTACCT_USER_ID", "INTACCT_USER_PASSWORD",
                        "INTACCT_REST_BASE_URL", "INTACCT_CLIENT_ID", "INTACCT_CLIENT_SECRET"}
    assert env["INTACCT_ENDPOINT"].startswith("http://127.0.0.1:")
    assert not env["INTACCT_ENDPOINT"].startswith("http://127.0.0.1:0/")
    body = (
        f"<request><control><senderid>{env['INTACCT_SENDER_ID']}</senderid>"
        f"<password>{env['INTACCT_SENDER_PASSWORD']}</password><controlid>cli</controlid></control>"
        f"<operation><authentication><login><userid>{env['INTACCT_USER_ID']}</userid>"
        f"<companyid>{env['INTACCT_COMPANY_ID']}</companyid><password>{env['INTACCT_USER_PASSWORD']}</password>"
        "</login></authentication><content><function controlid=\"f\"><getAPISession/></function></content>"
        "</operation></request>"
    )
    answer = httpx.post(env["INTACCT_ENDPOINT"], content=body, timeout=30)
    assert answer.status_code == 200
    assert "<status>success</status><function>getAPISession</function>" in answer.text
    base = env["INTACCT_ENDPOINT"].removesuffix("/ia/xml/xmlgw.phtml")
    config = httpx.get(base + "/_emulator/config").json()
    assert (config["concurrency"], config["rest_error_form"], config["rest_retry_after"]) == (3, "top", False)
    assert env["INTACCT_REST_BASE_URL"] == base + "/ia/api/v1"
    token = httpx.post(env["INTACCT_REST_BASE_URL"] + "/oauth2/token", timeout=30, data={
        "grant_type": "client_credentials", "client_id": env["INTACCT_CLIENT_ID"],
        "client_secret": env["INTACCT_CLIENT_SECRET"],
        "username": f"{env['INTACCT_USER_ID']}@{env['INTACCT_COMPANY_ID']}"})
    assert token.status_code == 200 and token.json()["token_type"] == "Bearer"


def test_bad_flags_are_refused_before_starting():
    result = subprocess.run([*CLI, "emulator", "--idempotency-mode", "sometimes"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert "idempotency_mode" in result.stderr
    result = subprocess.run([*CLI, "emulator", "--faults", "teapot=1"], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "unknown fault kind" in result.stderr
    result = subprocess.run([*CLI, "emulator", "--rest", "error_form=sideways"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0 and "rest_error_form" in result.stderr
    result = subprocess.run([*CLI, "emulator", "--seed", "nonsense"], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "unknown seed 'nonsense'" in result.stderr
