"""Fixtures of the notification tests (imported by their modules): real SMTP and webhook receivers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet

from intacct_bridge.settings import OperatorSettings
from intacct_emulator.harness import RunningEmulator
from notify_servers import Mailbox, WebhookReceiver, smtp_server, webhook_receiver

SECRET = "whsec-test-0123456789abcdef"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as running:
        yield running


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with webhook_receiver() as running:
        yield running


@pytest.fixture
def operator(emu: RunningEmulator, mailbox, tmp_path, monkeypatch) -> OperatorSettings:
    """The emulator's lines, the test's SMTP server (no STARTTLS), webhooks allowed to 127.0.0.1."""
    for name, value in emu.credentials.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("INTACCT_BRIDGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INTACCT_BRIDGE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("INTACCT_BRIDGE_SMTP_PORT", str(mailbox[1]))
    monkeypatch.setenv("INTACCT_BRIDGE_SMTP_STARTTLS", "false")
    monkeypatch.setenv("INTACCT_BRIDGE_SMTP_FROM", "bridge@example.org")
    monkeypatch.setenv("INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE", "true")
    return OperatorSettings()
