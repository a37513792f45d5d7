"""Stable identifiers that make posting exactly-once: the function controlid and the REFERENCENO.

The controlid is derived, never random: a retry of the same attempt carries the same id, so
Intacct's uniqueid check refuses a second execution. A new generation is a deliberate new
attempt (after Intacct rejected the previous one). The workspace uid keeps ids from two
installations (or a recreated database) from colliding in one Intacct company.
"""

from __future__ import annotations

import re

CONTROLID_MAX = 256
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


def _clean(part: str) -> str:
    return _SAFE.sub("_", part)


def controlid(workspace_uid: str, action_id: int, generation: int) -> str:
    """`ib-<ws>-<action>-g<n>`: one per posting attempt, at most 256 characters."""
    if generation < 0:
        raise ValueError("generation must be >= 0")
    value = f"ib-{_clean(workspace_uid)}-{action_id}-g{generation}"
    if len(value) > CONTROLID_MAX:
        raise ValueError(f"controlid longer than {CONTROLID_MAX} characters")
    return value


def reference_no(workspace_uid: str, action_id: int) -> str:
    """GLBATCH REFERENCENO: one per action across attempts, to find an entry whose answer was lost."""
    return f"ib-{_clean(workspace_uid)}-{action_id}"


def parse_reference_no(value: str) -> tuple[str, int] | None:
    """(workspace uid, action id) from a REFERENCENO we wrote, else None."""
    match = re.fullmatch(r"ib-([A-Za-z0-9_.]+)-(\d+)", value or "")
    return (match.group(1), int(match.group(2))) if match else None
