"""Logs as JSON lines on request, never with a secret (the operator's, or any password or session in the text)."""

from __future__ import annotations

import json
import logging

import pytest
from cryptography.fernet import Fernet

from intacct_bridge.logs import configure_logging
from intacct_bridge.settings import OperatorSettings


@pytest.fixture
def root_logging():
    """Give the root logger back as it was."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_never_carry_a_secret(root_logging, capsys, monkeypatch):
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", key)
    monkeypatch.setenv("INTACCT_SENDER_PASSWORD", "sender-pw-42")
    monkeypatch.setenv("INTACCT_BRIDGE_BROKER_URL", "redis://ops:broker-pw@127.0.0.1:6379/0")
    root_logging.handlers[:] = []
    configure_logging("json", "INFO", OperatorSettings())
    log = logging.getLogger("intacct_bridge.test")
    log.info("signing in with %s and key %s", "sender-pw-42", key)
    log.warning("request <login><password>user-pw</password><sessionid>s3ss10n</sessionid></login>")
    log.info("broker at redis://ops:broker-pw@127.0.0.1:6379/0, api token=abc123")
    try:
        raise RuntimeError("failed with password=hunter2")
    except RuntimeError:
        log.exception("oops")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [line["level"] for line in lines] == ["INFO", "WARNING", "INFO", "ERROR"]
    text = json.dumps(lines)
    for secret in ("sender-pw-42", key, "user-pw", "s3ss10n", "broker-pw", "abc123", "hunter2"):
        assert secret not in text
    assert lines[0]["message"] == "signing in with [redacted] and key [redacted]"
    assert "password=[redacted]" in lines[3]["exception"]


def test_an_unknown_format_is_refused(root_logging):
    with pytest.raises(ValueError, match="unknown log format 'xml'"):
        configure_logging("xml")
