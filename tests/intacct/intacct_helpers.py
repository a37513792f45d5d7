"""Helpers for the client's over-HTTP tests: configs, journal entries, unique references."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from intacct_bridge.intacct import ClientConfig, functions as fn

COMPANY = "helping-hands"
_serial = itertools.count(1)


def fast_config(emu: Any, **overrides: Any) -> ClientConfig:
    """Short backoffs so fault tests run in seconds, not minutes (`emu`: a running emulator or a URL)."""
    base = ClientConfig(endpoint=getattr(emu, "url", emu), backoff_base=0.01, backoff_max=0.2, throttle_pause=0.05, timeout=30.0)
    return dataclasses.replace(base, **overrides)


def today() -> date:
    return datetime.now(timezone.utc).date()


def journal_entry(reference: str, amount: Decimal, income_account: str, *, controlid: str | None = None) -> fn.Create:
    """A balanced GLBATCH in journal GJ dated today: debit cash 1000, credit an income account."""
    record = {
        "JOURNAL": "GJ",
        "BATCH_DATE": today(),
        "BATCH_TITLE": f"Gift {reference}",
        "REFERENCENO": reference,
        "ENTRIES": {"GLENTRY": [
            {"ACCOUNTNO": "1000", "TR_TYPE": 1, "TRX_AMOUNT": amount, "DESCRIPTION": f"Gift {reference}"},
            {"ACCOUNTNO": income_account, "TR_TYPE": -1, "TRX_AMOUNT": amount, "DESCRIPTION": f"Gift {reference}"},
        ]},
    }
    return fn.Create("GLBATCH", record, controlid=controlid or f"je-{reference}")


def unique(prefix: str) -> str:
    """A reference no other test in the session uses."""
    return f"{prefix}{next(_serial):05d}"


def ledger_references(emu: Any, prefix: str) -> list[str]:
    return [r.get("REFERENCENO", "") for r in emu.admin.ledger(COMPANY, "GLBATCH") if r.get("REFERENCENO", "").startswith(prefix)]
