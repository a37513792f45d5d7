"""The general-ledger lines a document's payload makes in Intacct, for "what was posted": the same shape as a
journal entry's summary lines (account, debit or credit, amount, dimensions).

Pure: derived from the payload that was (or, in a dry run, would be) sent. A side Intacct fills from
the company's own configuration (the AR or AP account when the workspace names none, a payment's
bank account) is named in words. A document without GL accounts (an Order Entry sales invoice, whose
accounts come from its items) has no lines here.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

RECEIVABLE = "Accounts receivable (Intacct's default)"
PAYABLE = "Accounts payable (Intacct's default)"
DIMENSION_FIELDS = {"locationid": "LOCATION", "departmentid": "DEPARTMENT", "classid": "CLASS",
                    "LOCATIONID": "LOCATION", "DEPARTMENTID": "DEPARTMENT", "CLASSID": "CLASS"}


def _items(payload: Mapping[str, Any], group: str, item: str) -> list[Mapping[str, Any]]:
    found = (payload.get(group) or {}).get(item) or []
    return found if isinstance(found, list) else [found]


def _dimensions(item: Mapping[str, Any]) -> dict[str, str]:
    dims = {DIMENSION_FIELDS[k]: str(v) for k, v in item.items() if k in DIMENSION_FIELDS and v not in (None, "")}
    custom = item.get("customfields") or {}
    for field in (custom.get("customfield") or []) if isinstance(custom, Mapping) else []:
        if field.get("customfieldname") and field.get("customfieldvalue") not in (None, ""):
            dims[str(field["customfieldname"])] = str(field["customfieldvalue"])
    dims.update({k: str(v) for k, v in item.items() if k.startswith("GLDIM") and v not in (None, "")})
    return dims


def _line(account: Any, side: str, amount: Decimal, dims: dict[str, str] | None = None) -> dict[str, Any]:
    return {"account": str(account), "side": side, "amount": str(abs(amount).quantize(Decimal("0.01"))),
            "dimensions": dims or {}}


def _document(items: list[Mapping[str, Any]], account_key: str, amount_key: str, offset_key: str | None,
              default_offset: str, positive_side: str) -> list[dict[str, Any]]:
    """Each item on its own account; each offset account (AR/AP) takes the other side of what its items come to.
    A negative amount (a credit memo's, a vendor credit's lines) turns both sides."""
    other = {"debit": "credit", "credit": "debit"}
    lines: list[dict[str, Any]] = []
    offsets: dict[tuple[str, str], Decimal] = {}
    for item in items:
        amount = Decimal(str(item.get(amount_key) or 0))
        side = positive_side if amount >= 0 else other[positive_side]
        lines.append(_line(item.get(account_key), side, amount, _dimensions(item)))
        key = (str(item.get(offset_key) or default_offset) if offset_key else default_offset, other[side])
        offsets[key] = offsets.get(key, Decimal("0")) + abs(amount)
    return lines + [_line(account, side, total) for (account, side), total in offsets.items()]


def document_lines(payload: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The GL lines of an AR invoice, AR adjustment (credit memo), AR payment, AP bill or AP adjustment."""
    if "invoiceitems" in payload:
        return _document(_items(payload, "invoiceitems", "lineitem"), "glaccountno", "amount", "offsetglaccountno",
                         RECEIVABLE, "credit")
    if "aradjustmentitems" in payload:
        return _document(_items(payload, "aradjustmentitems", "lineitem"), "glaccountno", "amount",
                         "offsetglaccountno", RECEIVABLE, "credit")
    if "APBILLITEMS" in payload:
        return _document(_items(payload, "APBILLITEMS", "APBILLITEM"), "ACCOUNTNO", "TRX_AMOUNT", None, PAYABLE,
                         "debit")
    if "apadjustmentitems" in payload:
        return _document(_items(payload, "apadjustmentitems", "lineitem"), "glaccountno", "amount", None, PAYABLE,
                         "debit")
    if "ARPYMTDETAILS" in payload:
        total = sum((Decimal(str(d.get("TRX_PAYMENTAMOUNT") or 0))
                     for d in _items(payload, "ARPYMTDETAILS", "ARPYMTDETAIL")), Decimal("0.00"))
        deposit = payload.get("UNDEPOSITEDACCOUNTNO") or f"Bank {payload.get('FINANCIALENTITY')}"
        return [_line(deposit, "debit", total), _line(RECEIVABLE, "credit", total)] if total else []
    return []
