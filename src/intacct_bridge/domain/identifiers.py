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
    return _attempt(reference_no(workspace_uid, action_id), generation)


def _attempt(reference: str, generation: int) -> str:
    """The controlid of attempt `generation` of whatever `reference` names."""
    if generation < 0:
        raise ValueError("generation must be >= 0")
    value = f"{reference}-g{generation}"
    if len(value) > CONTROLID_MAX:
        raise ValueError(f"controlid longer than {CONTROLID_MAX} characters")
    return value


def reference_no(workspace_uid: str, action_id: int) -> str:
    """GLBATCH REFERENCENO: one per action across attempts, to find an entry whose answer was lost."""
    return f"ib-{_clean(workspace_uid)}-{action_id}"


def version_reference(workspace_uid: str, action_id: int, version: int) -> str:
    """The REFERENCENO of one version of an action: the first keeps `reference_no`, later ones add `-v<n>`.

    A corrected entry must not be found by the reference of the entry it corrects (that one is in Intacct).
    """
    return version_reference_of(reference_no(workspace_uid, action_id), version)


def version_controlid(workspace_uid: str, action_id: int, version: int, generation: int) -> str:
    """`ib-<ws>-<action>[-v<n>]-g<gen>`: version 1 keeps the controlids it always had."""
    return _attempt(version_reference(workspace_uid, action_id, version), generation)


def version_reference_of(reference: str, version: int) -> str:
    """Any record's reference for one version of it: the first keeps the reference, later ones add `-v<n>`."""
    return reference if version <= 1 else f"{reference}-v{version}"


def operation_of(version: int) -> str:
    """A posting's operation for an action's version: `create`, then `create-v<n>` for a corrected one."""
    return "create" if version <= 1 else f"create-v{version}"


def version_of(operation: str) -> int:
    return int(operation.rsplit("-v", 1)[1]) if "-v" in operation else 1


def parse_reference_no(value: str) -> tuple[str, int] | None:
    """(workspace uid, action id) from a REFERENCENO we wrote, else None."""
    match = re.fullmatch(r"ib-([A-Za-z0-9_.]+)-(\d+)", value or "")
    return (match.group(1), int(match.group(2))) if match else None


# Short codes for each record kind's references: `ib-<ws>-inv42` is invoice 42 of workspace <ws>.
KIND_CODES = {"journal_reversal": "rev", "customer": "cus", "invoice": "inv", "payment": "pay", "credit_memo": "cm",
              "vendor": "ven", "item": "itm", "bill": "bil", "ap_adjustment": "apa", "document_cancellation": "can",
              "journal_summary": "sum", "dimension_value": "dim"}


def record_reference(workspace_uid: str, kind: str, record_id: int) -> str:
    """`ib-<ws>-<code><id>`: the stable reference a record carries into Intacct, to find it after a lost answer.

    Unlike `reference_no`, the kind is in it: invoice 7 and payment 7 of one workspace differ.
    """
    return f"ib-{_clean(workspace_uid)}-{KIND_CODES[kind]}{record_id}"


def record_controlid(workspace_uid: str, kind: str, record_id: int, generation: int) -> str:
    """`ib-<ws>-<code><id>-g<n>`: one controlid per posting attempt of one record."""
    return _attempt(record_reference(workspace_uid, kind, record_id), generation)


def parse_record_reference(value: str) -> tuple[str, str, int] | None:
    """(workspace uid, kind, record id) from a reference `record_reference` wrote, else None."""
    codes = "|".join(sorted(KIND_CODES.values(), key=len, reverse=True))
    match = re.fullmatch(rf"ib-([A-Za-z0-9_.]+)-({codes})(\d+)", value or "")
    if not match:
        return None
    kind = next(k for k, code in KIND_CODES.items() if code == match.group(2))
    return match.group(1), kind, int(match.group(3))


def summary_reference(workspace_uid: str, digest: str) -> str:
    """`ib-<ws>-s<hash>`: a summary entry's REFERENCENO, from its content (`domain.summary.content_digest`).

    Not a record id: the same actions assembled again (after a crash) name the same reference."""
    return f"ib-{_clean(workspace_uid)}-s{digest[:16]}"
