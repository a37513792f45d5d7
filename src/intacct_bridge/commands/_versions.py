"""How `show` commands print a record's versions: each write to Intacct, one row each (actions and documents)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def version_row(version: Mapping[str, Any]) -> tuple[str, str]:
    """("version N", what it is: kind, state, Intacct key, date, amount, what it takes back, its reference)."""
    kind = version["kind"]
    key = version.get("intacct_key") or version.get("intacct_recordno") or "—"
    amount = version.get("total") or version.get("amount")
    parts = [kind if not version.get("reason") else f"{kind} ({version['reason']})", version["state"],
             f"Intacct {key}"]
    if version.get("date"):
        parts.append(f"dated {version['date']}")
    if amount is not None:
        parts.append(f"amount {amount}")
    takes_back = version.get("cancels") or version.get("reverses")
    if takes_back:
        parts.append(f"takes back {takes_back}")
    if version.get("changed"):
        parts.append(f"changed: {', '.join(version['changed'])}")
    if version.get("reference"):
        parts.append(f"ref {version['reference']}")
    return f"version {version['version']}", ", ".join(parts)


def version_rows(versions: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    return [version_row(v) for v in versions]
