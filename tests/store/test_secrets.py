"""Secret encryption: key from the environment or a 0600 key file; plaintext never in a repr."""

from __future__ import annotations

import stat

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from intacct_bridge.crypto import KEY_FILE_NAME, SecretBox, SecretKeyError
from intacct_bridge.settings import OperatorSettings


def test_key_file_is_created_once_with_0600(tmp_path):
    settings = OperatorSettings(data_dir=tmp_path, secret_key=None)
    token = SecretBox.from_settings(settings).encrypt("s3cret")
    key_file = tmp_path / KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = SecretBox.from_settings(settings)
    assert again.decrypt(token).get_secret_value() == "s3cret"


def test_environment_key_wins_and_rotation_decrypts_old_tokens(tmp_path, monkeypatch):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", old)
    token = SecretBox.from_settings(OperatorSettings(data_dir=tmp_path)).encrypt("pw")
    assert not (tmp_path / KEY_FILE_NAME).exists()
    monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", f"{new},{old}")
    assert SecretBox.from_settings(OperatorSettings(data_dir=tmp_path)).decrypt(token).get_secret_value() == "pw"


def test_wrong_key_gives_a_fix_not_a_traceback():
    token = SecretBox(Fernet.generate_key().decode()).encrypt("pw")
    with pytest.raises(SecretKeyError, match="connect` again"):
        SecretBox(Fernet.generate_key().decode()).decrypt(token)
    with pytest.raises(SecretKeyError, match="not a Fernet key"):
        SecretBox("not-a-key")


def test_nothing_secret_in_reprs(monkeypatch, tmp_path):
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", key)
    monkeypatch.setenv("INTACCT_SENDER_PASSWORD", "sender-pw")
    settings = OperatorSettings(data_dir=tmp_path)
    box = SecretBox.from_settings(settings)
    plain = box.decrypt(box.encrypt(SecretStr("user-pw")))
    for text in (repr(settings), str(settings), repr(box), repr(plain), str(plain)):
        assert key not in text and "sender-pw" not in text and "user-pw" not in text
