"""A posted invoice or bill changed or deleted at the source: refuse it, or queue the adjustment that cancels it.

With `posted_changes = reverse`, `supersede_document` keeps the posted version as it is (its posting
row stays), queues a `document_cancellations` row holding what that version sent (party, number,
lines), and makes the document's next version a candidate (changed) or withdraws it (deleted).
Nothing is sent here: the sync posts the cancelling adjustment, then the corrected document, each
exactly once under its own reference. With `refuse` (and for the kinds Intacct gives the product no
way to take back: payments, credit memos, AP adjustments) the change is refused with the reason
and the fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.domain.cancellation import BILL, INVOICE, bill_lines_sent, invoice_lines_sent, original_of
from intacct_bridge.domain.identifiers import version_of
from intacct_bridge.domain.payables_payloads import bill_payload
from intacct_bridge.domain.receivables import InvoiceMode, RecordKind
from intacct_bridge.domain.receivables_payloads import ar_invoice
from intacct_bridge.domain.reversal import reversal_day
from intacct_bridge.domain.vocabulary import UNSETTLED_POSTINGS, ActionStatus, PostedChanges, PostingState, ReversalDate
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import (ApAdjustment, Bill, CreditMemo, DocumentCancellation, Invoice, Payment,
                                         PaymentApplication, Posting)
from intacct_bridge.store.repositories.payables import bill_view
from intacct_bridge.store.repositories.posted_changes import CHANGED, DELETED, posted_changes
from intacct_bridge.store.repositories.receivables import get_record, invoice_view, stored_receivables_settings
from intacct_bridge.store.repositories.settings import settings_row

POSTED = ActionStatus.POSTED.value
MODELS: dict[str, Any] = {INVOICE: Invoice, BILL: Bill}
CANCELLATION = "document_cancellation"
# Kinds whose posted records are never changed by the product, and why (with the fix).
NOT_TAKEN_BACK = {
    "payment": "a posted payment cannot be taken back by the product (the Intacct API reference it follows "
               "gives no reversal of an AR payment): reverse it in Sage Intacct, then import the correction under "
               "a new external id",
    "credit_memo": "a posted credit memo cannot be taken back by the product: post the difference as a new "
                   "credit memo (or an invoice) under a new external id, or reverse it in Sage Intacct",
    "ap_adjustment": "a posted AP adjustment cannot be taken back by the product: post the difference as a new "
                     "adjustment (or a bill) under a new external id, or reverse it in Sage Intacct",
}


def noun(kind: str) -> str:
    return {INVOICE: "invoice", BILL: "bill"}.get(kind, kind.replace("_", " "))


def refusal_reason(session: Session, workspace_id: int, kind: str, row: Any, posted_as: str) -> str | None:
    """Why a change to this posted record is refused, with the fix; None when it may be cancelled and corrected."""
    head = f"{noun(kind)} {row.external_id!r} is already posted to Intacct as {posted_as}"
    if kind in NOT_TAKEN_BACK:
        return f"{head}: {NOT_TAKEN_BACK[kind]}"
    if posted_changes(session, workspace_id) is PostedChanges.REFUSE:
        return (f"{head} and this workspace refuses changes to posted records: undo the change at the source, or set "
                "the workspace's posted_changes setting to reverse (the posted version is then cancelled by an "
                "adjustment and the corrected one posted)")
    blocker = _blocker(session, workspace_id, kind, row)
    return f"{head}: {blocker}" if blocker else None


def _blocker(session: Session, workspace_id: int, kind: str, row: Any) -> str | None:
    """What keeps a posted document from being cancelled: money applied to it, or a write still unsettled."""
    unsettled = session.scalar(select(Posting.id).where(
        Posting.workspace_id == workspace_id, Posting.record_kind == kind, Posting.record_id == row.id,
        Posting.state.in_(UNSETTLED_POSTINGS)).limit(1))
    if unsettled is not None:
        return "a write of it is not settled yet: sync first, then change it"
    if kind == INVOICE:
        if stored_receivables_settings(session, workspace_id).invoice_mode is InvoiceMode.SALES_INVOICE:
            return ("it is an Order Entry sales invoice, which the product does not cancel: change it in Sage "
                    "Intacct's Order Entry, or post the difference as a credit memo under a new external id")
        paid = session.scalar(select(Payment.external_id).join(PaymentApplication).where(
            PaymentApplication.invoice_id == row.id, Payment.status == POSTED).limit(1))
        if paid is not None:
            return (f"payment {paid!r} is applied to it in Intacct, so it cannot be cancelled: post the difference "
                    "as a credit memo under a new external id, or reverse the payment in Sage Intacct first")
        credited = session.scalar(select(CreditMemo.external_id).where(
            CreditMemo.invoice_id == row.id, CreditMemo.status == POSTED).limit(1))
        if credited is not None:
            return (f"credit memo {credited!r} is applied to it in Intacct, so it cannot be cancelled: post the "
                    "difference as another credit memo under a new external id")
    if kind == BILL:
        credited = session.scalar(select(ApAdjustment.external_id).where(
            ApAdjustment.bill_id == row.id, ApAdjustment.status == POSTED).limit(1))
        if credited is not None:
            return (f"AP adjustment {credited!r} is applied to it in Intacct, so it cannot be cancelled: post the "
                    "difference as another AP adjustment under a new external id")
    return None


def posted_version(session: Session, workspace_id: int, kind: str, record_id: int) -> Posting | None:
    """The posting of the document's newest posted version."""
    return session.scalar(
        select(Posting).where(Posting.workspace_id == workspace_id, Posting.record_kind == kind,
                              Posting.record_id == record_id, Posting.state == PostingState.POSTED.value)
        .order_by(Posting.id.desc()).limit(1))


def _sent(session: Session, workspace_id: int, kind: str, row: Any, posting: Posting) -> tuple[Any, ...]:
    """(party, number, lines) the posted version sent: from its posting's summary, else rebuilt from the row
    (which has not changed since it was posted: a posted document is only ever changed through here)."""
    summary = posting.request_summary or {}
    settings = stored_receivables_settings(session, workspace_id)
    if kind == INVOICE:
        lines = summary.get("cancel_lines") or invoice_lines_sent(ar_invoice(invoice_view(row), settings,
                                                                      posting.reference_no))
        number = row.intacct_number or summary.get("number") or row.number
        return row.customer.customer_id, number, lines
    lines = summary.get("cancel_lines") or bill_lines_sent(bill_payload(bill_view(row), settings))
    return row.vendor_id, summary.get("number") or row.number, lines


def supersede_document(session: Session, workspace_id: int, kind: str, row: Any, reason: str,
                       now: datetime, changed: Sequence[str] = ()) -> DocumentCancellation:
    """Queue the cancellation of the document's posted version; it moves to its next version (or is withdrawn).

    Raises `Conflict` when nothing of it is posted.
    """
    posting = posted_version(session, workspace_id, kind, row.id)
    if posting is None or row.status != POSTED:
        raise Conflict(f"{noun(kind)} {row.external_id!r} has no posted version to cancel")
    settings = settings_row(session, workspace_id)
    party, number, lines = _sent(session, workspace_id, kind, row, posting)
    original_day = posting.posting_date or now.date()
    change_day = now.astimezone(ZoneInfo(settings.timezone)).date()
    cancellation = DocumentCancellation(
        workspace_id=workspace_id, record_kind=kind, record_id=row.id, version=row.version, reason=reason,
        original_reference=posting.reference_no, original_key=posting.intacct_recordno or row.intacct_key,
        original={**original_of(party, number, lines, posting.entity_id, posting.posting_level, posting.posting_date),
                  "changed": list(changed)},
        cancel_date=reversal_day(original_day, change_day, ReversalDate(settings.reversal_date)), created_at=now)
    session.add(cancellation)
    if reason == DELETED:
        row.status = ActionStatus.WITHDRAWN.value
    else:
        row.version += 1
        row.status, row.posted_at, row.intacct_key, row.last_error = ActionStatus.UNPOSTED.value, None, None, None
        if kind == INVOICE:
            row.intacct_number = None
    row.updated_at = now
    session.flush()
    return cancellation


def change_after_posting(session: Session, workspace_id: int, kind: str, row: Any, posted_as: str,
                         now: datetime, changed: Sequence[str] = ()) -> str | None:
    """A posted record changed at the source (`changed`: the fields): its cancellation queued (the caller then
    writes the new version into the row), or the reason it is refused (nothing written)."""
    refused = refusal_reason(session, workspace_id, kind, row, posted_as)
    if refused is None:
        supersede_document(session, workspace_id, kind, row, CHANGED, now, changed)
    return refused


def delete_document(session: Session, workspace_id: int, kind: str, row: Any, now: datetime
                    ) -> DocumentCancellation | None:
    """A document deleted at the source. Never sent: deleted here (only refused by Intacct: withdrawn). Posted:
    its cancellation queued (setting `reverse`), or `Conflict` with the reason. A corrected version waiting:
    withdrawn (its cancellation stands).

    Returns the cancellation when one was queued.
    """
    if row.status == ActionStatus.WITHDRAWN.value:
        raise Conflict(f"{noun(kind)} {row.external_id!r} is already withdrawn: it was cancelled in Intacct")
    if kind not in (*MODELS, *NOT_TAKEN_BACK):
        raise Conflict(f"{noun(kind)} {row.external_id!r} is master data, which the product never deletes: make it "
                       "inactive in Sage Intacct")
    states = set(session.scalars(select(Posting.state).where(
        Posting.workspace_id == workspace_id, Posting.record_kind == kind, Posting.record_id == row.id).distinct()))
    in_intacct = row.status == POSTED or bool(states - {PostingState.FAILED.value})   # posted, or perhaps
    if not in_intacct:
        named_by = _named_by(session, kind, row)
        if named_by:
            raise Conflict(f"{noun(kind)} {row.external_id!r} cannot be deleted: {named_by} names it (delete that "
                           "first)")
        if states:   # only refused attempts: Intacct has none of it; its history stays, nothing more is sent
            row.status, row.updated_at = ActionStatus.WITHDRAWN.value, now
        else:
            session.delete(row)
            session.flush()
        return None
    known_as = getattr(row, "intacct_number", None) or getattr(row, "number", None) or row.intacct_key
    posted_as = f"{noun(kind)} {known_as}"
    if row.status != POSTED:
        refused = _blocker(session, workspace_id, kind, row) if kind in MODELS else None
        if refused or kind not in MODELS:
            raise Conflict(f"{noun(kind)} {row.external_id!r} cannot be deleted: "
                           f"{refused or NOT_TAKEN_BACK.get(kind, 'it was sent to Intacct')}")
        row.status, row.updated_at = ActionStatus.WITHDRAWN.value, now
        return None
    refused = refusal_reason(session, workspace_id, kind, row, posted_as)
    if refused is not None:
        raise Conflict(refused.replace("undo the change at the source", "keep it at the source"))
    return supersede_document(session, workspace_id, kind, row, DELETED, now)


def _named_by(session: Session, kind: str, row: Any) -> str | None:
    """A record of the workspace that names this one (a payment or credit memo its invoice, an adjustment its bill)."""
    if kind == INVOICE:
        paid = session.scalar(select(Payment.external_id).join(PaymentApplication)
                              .where(PaymentApplication.invoice_id == row.id).limit(1))
        if paid is not None:
            return f"payment {paid!r}"
        credited = session.scalar(select(CreditMemo.external_id).where(CreditMemo.invoice_id == row.id).limit(1))
        return f"credit memo {credited!r}" if credited is not None else None
    if kind == BILL:
        credited = session.scalar(select(ApAdjustment.external_id).where(ApAdjustment.bill_id == row.id).limit(1))
        return f"AP adjustment {credited!r}" if credited is not None else None
    return None


def delete_record(session: Session, workspace_id: int, kind: RecordKind | str, ref: str | int,
                  now: datetime) -> DocumentCancellation | None:
    """`delete_document` for a record named by id or external id (`NotFound` if there is none)."""
    record_kind = RecordKind(kind)
    return delete_document(session, workspace_id, record_kind.value,
                           get_record(session, workspace_id, record_kind, ref), now)


def record_versions(session: Session, workspace_id: int, kind: RecordKind | str, ref: str | int
                    ) -> list[dict[str, Any]]:
    """`document_versions` of a record named by id or external id."""
    record_kind = RecordKind(kind)
    row = get_record(session, workspace_id, record_kind, ref)
    return document_versions(session, workspace_id, record_kind.value, row.id)


def document_versions(session: Session, workspace_id: int, kind: str, record_id: int) -> list[dict[str, Any]]:
    """Every write of the document in order: each version's posting and each cancellation's, with what changed,
    when, their Intacct keys and states."""
    cancellations = {c.id: c for c in session.scalars(select(DocumentCancellation).where(
        DocumentCancellation.workspace_id == workspace_id, DocumentCancellation.record_kind == kind,
        DocumentCancellation.record_id == record_id))}
    rows = session.scalars(select(Posting).where(
        Posting.workspace_id == workspace_id,
        ((Posting.record_kind == kind) & (Posting.record_id == record_id))
        | ((Posting.record_kind == CANCELLATION) & Posting.record_id.in_(list(cancellations) or [0])))
        .order_by(Posting.created_at, Posting.id))
    found: list[dict[str, Any]] = []
    posted_ids = set()
    # What changed at the source to make version n: kept on the cancellation of version n - 1.
    changed_into = {c.version + 1: c.original.get("changed") or [] for c in cancellations.values()}
    for posting in rows:
        summary = posting.request_summary or {}
        cancellation = cancellations.get(posting.record_id) if posting.record_kind == CANCELLATION else None
        if cancellation is not None:
            posted_ids.add(cancellation.id)
        row = _version_row(posting, summary, cancellation)
        row["changed"] = (cancellation.original.get("changed") or [] if cancellation
                          else changed_into.get(row["version"], []))
        found.append(row)
    for cancellation in cancellations.values():   # queued, not sent yet
        if cancellation.id not in posted_ids:
            found.append({"kind": "cancellation", "version": cancellation.version, "reason": cancellation.reason,
                          "reference": None, "controlid": None, "state": cancellation.status,
                          "intacct_key": None, "date": cancellation.cancel_date.isoformat(),
                          "total": None, "number": cancellation.original.get("number"),
                          "cancels": cancellation.original_reference, "at": cancellation.created_at.isoformat(),
                          "changed": cancellation.original.get("changed") or []})
    return found


def _version_row(posting: Posting, summary: dict[str, Any], cancellation: DocumentCancellation | None
                 ) -> dict[str, Any]:
    return {"kind": "cancellation" if cancellation else "document",
            "version": cancellation.version if cancellation else version_of(posting.operation),
            "reason": cancellation.reason if cancellation else None,
            "reference": posting.reference_no, "controlid": posting.controlid, "state": posting.state,
            "intacct_key": posting.intacct_recordno,
            "date": posting.posting_date.isoformat() if posting.posting_date else summary.get("date"),
            "total": summary.get("total"), "number": summary.get("number"),
            "cancels": summary.get("cancels"), "at": posting.created_at.isoformat()}
