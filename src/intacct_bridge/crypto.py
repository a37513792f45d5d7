"""Encryption at rest for workspace passwords (Fernet, from `cryptography`).

The key comes from `INTACCT_BRIDGE_SECRET_KEY` (one Fernet key, or several separated by commas
to rotate: the first encrypts, all decrypt), else from a key file in the data directory that
is created with 0600 permissions on first use. Plaintext is only ever handed out as a
`SecretStr`, so it does not leak through a repr, a log line or an exception text.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr

from intacct_bridge.private_files import private_dir
from intacct_bridge.settings import OperatorSettings

KEY_FILE_NAME = "secret.key"
log = logging.getLogger(__name__)


class SecretKeyError(Exception):
    """The key is missing, malformed, or not the one the secret was encrypted with."""


def _parse_keys(text: str) -> MultiFernet:
    keys = [k.strip() for k in text.split(",") if k.strip()]
    if not keys:
        raise SecretKeyError("INTACCT_BRIDGE_SECRET_KEY is empty: set it to a Fernet key or unset it")
    try:
        return MultiFernet([Fernet(k.encode("ascii")) for k in keys])
    except (ValueError, UnicodeEncodeError):
        raise SecretKeyError(
            "INTACCT_BRIDGE_SECRET_KEY is not a Fernet key (32 url-safe base64-encoded bytes); "
            'make one with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        ) from None


def load_or_create_key_file(path: Path) -> str:
    """Read the key file, or create it atomically with mode 0600 if it does not exist yet."""
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            log.warning("key file %s is readable by others (mode %o); chmod 600 it", path, mode)
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(Fernet.generate_key().decode("ascii"))
    log.info("created a new secret key file at %s", path)
    return path.read_text(encoding="ascii").strip()


class SecretBox:
    """Encrypts and decrypts workspace secrets. Never shows its key."""

    def __init__(self, keys: str) -> None:
        self._fernet = _parse_keys(keys)

    @classmethod
    def from_settings(cls, settings: OperatorSettings | None = None) -> SecretBox:
        settings = settings or OperatorSettings()
        if settings.secret_key is not None:
            return cls(settings.secret_key.get_secret_value())
        return cls(load_or_create_key_file(settings.resolved_data_dir() / KEY_FILE_NAME))

    def encrypt(self, secret: str | SecretStr) -> str:
        plain = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
        return self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str, max_age: int | None = None) -> SecretStr:
        """The secret; `max_age` (seconds) refuses a token encrypted longer ago than that (Fernet's ttl)."""
        try:
            return SecretStr(self._fernet.decrypt(token.encode("ascii"), ttl=max_age).decode("utf-8"))
        except InvalidToken:
            raise SecretKeyError(
                "the stored password cannot be decrypted with this secret key: set INTACCT_BRIDGE_SECRET_KEY "
                "to the key in use when it was saved, or run `intacct-bridge connect` again"
            ) from None

    def rotate(self, token: str) -> str:
        """The same secret encrypted under the first (newest) key."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise SecretKeyError(
                "a stored password cannot be decrypted with any of the keys in INTACCT_BRIDGE_SECRET_KEY: "
                "list the new key first and the old one after it, separated by a comma"
            ) from None

    def __repr__(self) -> str:
        return "SecretBox(<hidden>)"
