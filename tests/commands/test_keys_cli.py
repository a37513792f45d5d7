"""`db new-key`: the key `db rotate-key` needs, made by the product itself and printed once."""

from __future__ import annotations

from cryptography.fernet import Fernet
from workspace_cli_helpers import cli  # noqa: F401 - fixture


def test_new_key_prints_one_usable_key_on_stdout_and_rotate_key_uses_it(cli, tmp_path, monkeypatch):
    made = cli("db", "new-key")
    key = made.stdout.strip()
    assert len(key.splitlines()) == 1
    Fernet(key.encode())  # a real Fernet key
    assert "rotate-key" in made.stderr and key not in made.stderr
    assert cli("db", "new-key").stdout.strip() != key  # fresh every time

    cli("workspace", "create", "W")
    cli("connect", "--company-id", "c", "--user-id", "u", "--password-stdin", input="user-pw\n")
    assert "db new-key" in cli("db", "rotate-key", code=1).stderr
    old = (tmp_path / "data" / "secret.key").read_text().strip()
    monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", f"{key},{old}")
    assert "Re-encrypted 1 stored password(s)" in cli("db", "rotate-key").output
