"""Log output of every process: plain text, or JSON lines (`--log-format json`), never with a secret.

The product does not put secrets in its messages; `SecretScrubber` is the second line: before
a record is written, the operator's own secrets (sender password, secret key, broker URL
password) and any password, session id or bearer token in XML, URLs or `name=value` text are
replaced by `[redacted]`, in the message and in the traceback alike.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

from intacct_bridge.settings import OperatorSettings

FORMATS = ("text", "json")
REDACTED = "[redacted]"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_PATTERNS = [  # (what, what it becomes)
    (re.compile(r"(<(password|sessionid|userpassword|senderpassword)>)[^<]*(</\2>)", re.IGNORECASE),
     rf"\1{REDACTED}\3"),
    (re.compile(r"((?:password|passwd|secret|token|sessionid|api_key)[\"']?\s*[=:]\s*[\"']?)[^\s\"'&,;]+",
                re.IGNORECASE), rf"\1{REDACTED}"),
    (re.compile(r"(bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE), rf"\1{REDACTED}"),
    (re.compile(r"(://[^:/@\s]+:)[^@\s]+(@)"), rf"\1{REDACTED}\2"),
]


def operator_secrets(operator: OperatorSettings) -> list[str]:
    """The deployment's secret values that must never reach a log line."""
    values = [secret.get_secret_value() for secret in (operator.sender_password, operator.secret_key) if secret]
    if operator.broker_url and (password := urlsplit(operator.broker_url).password):
        values.append(password)
    return [value for value in values if len(value) >= 4]


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class SecretScrubber(logging.Filter):
    """Rewrites each record's message (arguments merged in) and traceback without secrets."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = scrub(record.getMessage(), self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, self.secrets)
        record.exc_info = None
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                "process": record.process}
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


def configure_logging(log_format: str = "text", level: str = "INFO",
                      operator: OperatorSettings | None = None) -> None:
    """Give the root logger's handlers (one on stderr if none) the format and the scrubber."""
    if log_format not in FORMATS:
        raise ValueError(f"unknown log format {log_format!r}: use one of {', '.join(FORMATS)}")
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    scrubber = SecretScrubber(operator_secrets(operator or OperatorSettings()))
    for handler in root.handlers:
        handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
        for old in [f for f in handler.filters if isinstance(f, SecretScrubber)]:
            handler.removeFilter(old)
        handler.addFilter(scrubber)
    root.setLevel(level.upper())
