"""The cancellation of a posted invoice or bill (pure): an adjustment whose lines take the document's back out.

Intacct keeps a posted AR invoice or AP bill; the product never posts a changed one as a second
document. It posts an adjustment naming the original (`invoiceno` / `billno`, so the credit is
applied to it and its balance falls to zero) with every line the original sent, negated, and
then the corrected version as a new document. A deleted document gets the cancellation only.

What the original sent is kept in its posting's summary (`sent_lines`, in the adjustment line
shape: account, offset account, amount, dimensions); the cancellation is built from that, never
from what the source says now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from intacct_bridge.domain.model import Reason

INVOICE, BILL = "invoice", "bill"
# The line fields an adjustment line takes over from the original's lines (legacy lineitem names).
_KEPT = ("glaccountno", "offsetglaccountno", "locationid", "departmentid", "classid", "customfields")
# APBILLITEM fields → the adjustment's lineitem fields.
_BILL_FIELDS = {"ACCOUNTNO": "glaccountno", "LOCATIONID": "locationid", "DEPARTMENTID": "departmentid",
                "CLASSID": "classid"}
DESCRIPTION_LIMIT = 1000   # ours, as a GLENTRY memo: the public sources give none for document descriptions


def invoice_lines_sent(payload: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The lines a `create_invoice` payload sent, JSON-able (amounts as strings)."""
    lines = []
    for item in payload.get("invoiceitems", {}).get("lineitem", []):
        line = {key: item[key] for key in _KEPT if key in item}
        line["amount"] = str(item["amount"])
        lines.append(line)
    return lines


def bill_lines_sent(payload: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The lines a `create APBILL` payload sent, in the adjustment line shape (user dimensions as custom fields)."""
    lines = []
    for item in payload.get("APBILLITEMS", {}).get("APBILLITEM", []):
        line: dict[str, Any] = {new: item[old] for old, new in _BILL_FIELDS.items() if old in item}
        custom = [{"customfieldname": k, "customfieldvalue": v} for k, v in item.items() if k.startswith("GLDIM")]
        if custom:
            line["customfields"] = {"customfield": custom}
        line["amount"] = str(item["TRX_AMOUNT"])
        lines.append(line)
    return lines


@dataclass(frozen=True)
class CancellationSource:
    """What is cancelled: one posted version of an invoice or a bill."""

    record_kind: str               # invoice | bill
    external_id: str
    version: int
    reason: str                    # changed | deleted
    original_reference: str
    original_key: str | None       # the document's RECORDNO in Intacct
    original: Mapping[str, Any]    # party, number, lines as sent (see `original_of`)
    cancel_date: date

    @property
    def number(self) -> str | None:
        return self.original.get("number")


def original_of(party: str | None, number: str | None, lines: Sequence[Mapping[str, Any]], entity: str | None,
                level: str | None, posted_on: date | None) -> dict[str, Any]:
    """What a cancellation row keeps of the version it cancels (JSON-able)."""
    return {"party": party, "number": number, "lines": [dict(line) for line in lines],
            "written_at": {"entity": entity, "level": level},
            "posted_on": posted_on.isoformat() if posted_on else None}


def cancellation_problems(source: CancellationSource) -> list[Reason]:
    what = "invoice" if source.record_kind == INVOICE else "bill"
    reasons = []
    if not source.original.get("lines"):
        reasons.append(Reason("original", f"the posting of {what} {source.external_id!r} kept no lines to cancel: "
                                          "cancel it by hand in Sage Intacct, then resolve this error"))
    if not source.original.get("party"):
        reasons.append(Reason("original", f"the posting of {what} {source.external_id!r} kept no "
                                          f"{'customer' if source.record_kind == INVOICE else 'vendor'}: cancel it "
                                          "by hand in Sage Intacct, then resolve this error"))
    if not source.number:
        reasons.append(Reason("number", f"{what} {source.external_id!r} is posted (Intacct record "
                                        f"{source.original_key}) but its number was not found in Sage Intacct: "
                                        "check it there, then sync again"))
    return reasons


def cancellation_total(source: CancellationSource) -> Decimal:
    """What the original came to (the cancellation takes this much back)."""
    return sum((Decimal(str(line["amount"])) for line in source.original.get("lines", [])), Decimal("0.00"))


def cancellation_payload(source: CancellationSource, reference: str) -> dict[str, Any]:
    """`create_aradjustment` (invoice) or `create_apadjustment` (bill): the original's lines negated, naming it."""
    what = "invoice" if source.record_kind == INVOICE else "bill"
    why = "changed at the source" if source.reason == "changed" else "deleted at the source"
    description = (f"Cancels {what} {source.number} ({source.original_reference}, version {source.version}): "
                   f"{why}")[:DESCRIPTION_LIMIT]
    items = []
    for line in source.original["lines"]:
        item = {key: line[key] for key in _KEPT if key in line and line[key] not in (None, "")}
        item["amount"] = -Decimal(str(line["amount"]))
        item["memo"] = f"Cancels {what} {source.number}"
        items.append(item)
    if source.record_kind == INVOICE:
        return {"customerid": source.original["party"], "datecreated": source.cancel_date,
                "invoiceno": source.number, "description": description, "externalid": reference,
                "aradjustmentitems": {"lineitem": items}}
    return {"vendorid": source.original["party"], "datecreated": source.cancel_date, "billno": source.number,
            "description": description, "externalid": reference, "apadjustmentitems": {"lineitem": items}}


def cancellation_summary(source: CancellationSource, payload: Mapping[str, Any]) -> dict[str, Any]:
    """What the cancellation's posting row keeps."""
    return {"object": "ARADJUSTMENT" if source.record_kind == INVOICE else "APADJUSTMENT",
            "cancels": source.original_reference, "cancels_key": source.original_key, "number": source.number,
            "version": source.version, "reason": source.reason, "date": payload["datecreated"].isoformat(),
            "total": str(-cancellation_total(source))}


def version_number(number: str | None, version: int) -> str | None:
    """The number a corrected version is sent with: Intacct keeps the cancelled original's number, so a later
    version adds `-v<n>` (none given: Intacct numbers it)."""
    if number is None or version <= 1:
        return number
    return f"{number}-v{version}"
