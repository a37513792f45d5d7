"""Customers, invoices, payments, credit memos, vendors, items, bills and AP adjustments: a searchable, paged
list per kind, one record with its lines (or, for master data, what was last posted), its run history and why
it needs review, "Sync this record now", and an import form.

The kinds share one set of handlers, registered once per kind under its own path
(`/w/{ws}/invoices`...), so the other console paths are never shadowed by a catch-all.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import inspect

from intacct_bridge.domain.intake import format_of, read_rows
from intacct_bridge.domain.master_data import ITEM, VENDOR, MasterSpec
from intacct_bridge.domain.payables_rules import standing_intacct_reasons
from intacct_bridge.domain.receivables import RecordKind, payment_method
from intacct_bridge.domain.receivables_intake import VENDOR_KINDS
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import utcnow
from intacct_bridge.store.repositories.document_changes import delete_document, document_versions
from intacct_bridge.store.repositories.intake import ImportRejected
from intacct_bridge.store.repositories.receivables import record_checks, views
from intacct_bridge.store.repositories.receivables_intake import import_records
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.web import receivables_queries as rq
from intacct_bridge.web.console.dashboard import START_ERRORS, start_problem
from intacct_bridge.store.repositories import posted_view
from intacct_bridge.web.list_params import PAGE_SIZES, Amount, Day, Paging, record_paging
from intacct_bridge.web.console.render import State, Ws, page, redirect
from intacct_bridge.web.console.review_fixes import Fix, fixes
from intacct_bridge.web.console.session import Editor, User
from intacct_bridge.web.console.uploads import (
    UploadRefused,
    import_error,
    import_result,
    template_download,
    upload_text,
)

router = APIRouter(prefix="/w/{ws}", include_in_schema=False)
RecordId = Annotated[int, Path(ge=1, le=2**31)]
FORMATS = ("csv", "jsonl")


@dataclass(frozen=True)
class KindPage:
    """How one kind is shown: its path, its words, what its search looks in, and its import columns."""

    kind: RecordKind
    slug: str
    title: str
    singular: str
    searched: str
    columns: str
    master: MasterSpec | None = None   # vendors and items: their Intacct id and fields

    def base(self, ws: Any) -> str:
        return f"{ws.base}/{self.slug}"


LINE_COLUMNS = ("line_sku, line_gl_account, line_description, line_quantity, line_unit, line_unit_price, "
                "line_amount, line_location, line_department, line_class_id, line_warehouse")
PAGES = {page.kind: page for page in (
    KindPage(RecordKind.CUSTOMER, "customers", "Customers", "customer", "Id, name, company, email or CUSTOMERID",
             "external_id, name, first_name, last_name, company_name, email, phone, bill_to_address1, bill_to_city, "
             "bill_to_state, bill_to_zip, bill_to_country (and the same ship_to_ columns)"),
    KindPage(RecordKind.INVOICE, "invoices", "Invoices", "invoice", "Id, number or reference",
             "external_id, customer_external_id, date, due_date, number, terms, reference, memo, currency, discount, "
             "shipping, tax; then one row per line with " + LINE_COLUMNS),
    KindPage(RecordKind.PAYMENT, "payments", "Payments", "payment", "Id or reference",
             "external_id, customer_external_id, date, amount, method, reference, deposit_to, memo; then one row per "
             "invoice it pays with invoice_external_id, applied_amount"),
    KindPage(RecordKind.CREDIT_MEMO, "credit-memos", "Credit memos", "credit memo", "Id or number",
             "external_id, customer_external_id, date, invoice_external_id, number, memo; then one row per line with "
             "line_gl_account, line_sku, line_description, line_amount"),
    KindPage(RecordKind.VENDOR, "vendors", "Vendors", "vendor", "Id, VENDORID, name or email",
             "external_id, vendor_id (default: external_id; never changes once created), name, company_name, email, "
             "phone, address1, city, state, zip, country, tax_id, terms, vendor_type, currency, active", VENDOR),
    KindPage(RecordKind.ITEM, "items", "Items", "item", "Id, ITEMID or name",
             "external_id, item_id (default: external_id; never changes once created), name, item_type "
             "(Non-Inventory, Non-Inventory (Purchase only), Non-Inventory (Sales only)), description, base_price, "
             "standard_cost, taxable, income_account, expense_account, active", ITEM),
    KindPage(RecordKind.BILL, "bills", "Bills", "bill", "Id, number, vendor or reference",
             "external_id, vendor_id, bill_number, date, due_date or terms, reference, memo, currency; then one row "
             "per line with line_gl_account or line_sku, line_amount, line_description, line_location, "
             "line_department, line_class_id"),
    KindPage(RecordKind.AP_ADJUSTMENT, "ap-adjustments", "AP adjustments", "AP adjustment", "Id, number or vendor",
             "external_id, vendor_id, date, bill_external_id, number, memo; then one row per line with "
             "line_gl_account, line_description, line_amount (the amount credited)"),
)}
STATUSES = [ActionStatus.UNPOSTED, ActionStatus.POSTED, ActionStatus.FAILED]


def _list(spec: KindPage) -> Callable[..., Response]:
    def records_list(request: Request, state: State, user: User, ws: Ws,
                     paging: Annotated[Paging, Depends(record_paging)],
                     q: Annotated[str, Query(max_length=200)] = "", status: Annotated[str, Query(max_length=16)] = "",
                     review: bool = False,
                     date_from: Annotated[Day, Query(alias="from")] = None,
                     date_to: Annotated[Day, Query(alias="to")] = None,
                     amount_min: Annotated[Amount, Query(alias="min")] = None,
                     amount_max: Annotated[Amount, Query(alias="max")] = None,
                     done: str | None = None, created: Annotated[int, Query(ge=0)] = 0,
                     updated: Annotated[int, Query(ge=0)] = 0,
                     unchanged: Annotated[int, Query(ge=0)] = 0,
                     after: Annotated[int, Query(ge=0, le=2**62)] = 0) -> Response:
        chosen = ActionStatus(status) if status in {s.value for s in STATUSES} else None  # "" is "Any"
        filters = rq.RecordFilter(status=chosen, search=q or None, review_only=review, date_from=date_from,
                                  date_to=date_to, amount_min=amount_min, amount_max=amount_max, after_id=after)
        with state.store.session() as session:
            rows = rq.sorted_records(session, ws.id, spec.kind, filters, sort=paging.sort,
                                     descending=paging.descending, offset=paging.offset, limit=paging.size)
            total = rq.count_records(session, ws.id, spec.kind, filters)
            flags = rq.flags(session, ws.id, spec.kind, [r.id for r in rows])
            totals = _totals(spec.kind, rows)
        notice = (f"Imported: {created} created, {updated} updated, {unchanged} unchanged."
                  if done == "imported" else None)
        shown = {"q": q, "status": chosen.value if chosen else "", "review": "true" if review else "",
                 "from": date_from.isoformat() if date_from else "", "to": date_to.isoformat() if date_to else "",
                 "min": str(amount_min) if amount_min is not None else "",
                 "max": str(amount_max) if amount_max is not None else "", "after": str(after) if after else ""}
        params = {**{k: v for k, v in shown.items() if v}, "sort": paging.sort, "dir": paging.direction,
                  "size": str(paging.size)}
        return page(request, "console/records.html", user=user, workspace=ws, nav=spec.slug, spec=spec, rows=rows,
                    totals=totals, total=total, flags=flags, q=q, status=shown["status"], review=review,
                    chosen=shown, paging=paging, window=paging.window(total, len(rows)), params=params,
                    sizes=PAGE_SIZES, dated=spec.kind in rq.DATE_COLUMNS, priced=spec.kind in rq.AMOUNT_COLUMNS,
                    statuses=STATUSES, notice=notice)
    return records_list


def _totals(kind: RecordKind, rows: list[Any]) -> dict[int, Decimal]:
    """What each invoice or credit memo comes to, as the rules count it (lines, discount, shipping, tax)."""
    if kind not in (RecordKind.INVOICE, RecordKind.CREDIT_MEMO, RecordKind.BILL, RecordKind.AP_ADJUSTMENT):
        return {}
    return {view.id: view.total for view in views(kind, rows)}


def _detail(spec: KindPage) -> Callable[..., Response]:
    def record_detail(request: Request, state: State, user: User, ws: Ws, record_id: RecordId) -> Response:
        with state.store.session() as session:
            record = rq.record_by_id(session, ws.id, spec.kind, record_id)
            flag = rq.flags(session, ws.id, spec.kind, [record.id]).get(record.id)
            history = rq.run_history(session, ws.id, spec.kind, record.id)
            posted = posted_view.posted_entries(session, ws.id, spec.kind.value, record.id,
                                                state.operator.record_url_template)
            previews = posted_view.dry_runs(session, ws.id, spec.kind.value, record.id)
            live = [] if record.status == ActionStatus.POSTED.value else record_checks(session, ws.id).problems(
                spec.kind, record)
            if flag is not None and spec.kind in VENDOR_KINDS and record.status != ActionStatus.POSTED.value:
                live += standing_intacct_reasons(flag.reasons, views(spec.kind, [record])[0])
            page_html = page(request, "console/record.html", user=user, workspace=ws, nav=spec.slug, spec=spec,
                             record=record, total=_totals(spec.kind, [record]).get(record.id), flag=flag, fixes=_fixes(spec, flag), history=history,
                             live=fixes("invalid", [{"field": r.field, "message": r.message} for r in live],
                                        spec.singular),
                             method_in_intacct=payment_method(getattr(record, "method", None)),
                             pending=changes_to_send(record), deletable=spec.master is None and
                             spec.kind is not RecordKind.CUSTOMER,
                             versions=document_versions(session, ws.id, spec.kind.value, record.id),
                             posted=posted, previews=previews)
        return page_html  # rendered inside the session: the template reads the record's lines and customer
    return record_detail


def changes_to_send(record: Any) -> bool:
    """A posted customer, vendor or item whose fields changed since: the next sync sends them as an update."""
    posted = getattr(record, "posted_fingerprint", None)
    return posted is not None and record.fingerprint != posted


def _fixes(spec: KindPage, flag: rq.Flag | None) -> list[Fix]:
    return fixes(flag.kind, flag.reasons, spec.singular) if flag else []


def _sync(spec: KindPage) -> Callable[..., Response]:
    def sync_record(request: Request, state: State, user: Editor, ws: Ws, record_id: RecordId) -> Response:
        with state.store.session() as session:
            rq.record_by_id(session, ws.id, spec.kind, record_id)  # another workspace's record: a 404
        try:
            run_id = state.runner.start(ws.id, record=(spec.kind.value, record_id), trigger="record")
        except START_ERRORS as error:
            return page(request, "console/_notice.html", user=user, workspace=ws, status_code=409,
                        **start_problem(state, ws, error))
        return redirect(f"{ws.base}/runs" if run_id is None else f"{ws.base}/runs/{run_id}")
    return sync_record


def _delete(spec: KindPage) -> Callable[..., Response]:
    def delete_record(request: Request, state: State, user: Editor, ws: Ws, record_id: RecordId) -> Response:
        """Deleted at the source: deleted (never sent), its cancellation queued (posted), or the reason it stays."""
        try:
            with state.store.write_session() as session:
                record = rq.record_by_id(session, ws.id, spec.kind, record_id)
                cancellation = delete_document(session, ws.id, spec.kind.value, record, utcnow())
                gone = cancellation is None and inspect(record).was_deleted
        except Conflict as refused:
            return page(request, "console/_notice.html", user=user, workspace=ws, error=str(refused),
                        came_from=f"{spec.base(ws)}/{record_id}", status_code=409)
        return redirect(spec.base(ws) if gone else f"{spec.base(ws)}/{record_id}#versions")
    return delete_record


def _import(spec: KindPage) -> Callable[..., Response]:
    def import_file(request: Request, state: State, user: Editor, ws: Ws, file: UploadFile,
                    format: Annotated[str, Form(max_length=8)] = "",
                    preview: Annotated[str, Form(max_length=8)] = "") -> Response:
        """A CSV or JSON-lines file of one kind, all records or none (bad rows named by line and field in a
        table); `preview` checks every row and keeps nothing."""
        file_format = format_of(file.filename or "", format or None)
        shown = dict(file_name=file.filename or "the file", template_url=f"{spec.base(ws)}/template.csv",
                     noun=spec.title.lower(), preview=bool(preview))
        try:
            if file_format is None:
                raise UploadRefused(f"cannot tell the format of {file.filename!r}: choose CSV or JSON lines")
            text = upload_text(file)
            with state.store.write_session() as session:
                zone = load_sync_settings(session, ws.id).zone()
                before = rq.last_record_id(session, ws.id, spec.kind)
                rows = read_rows(io.StringIO(text, newline=""), file_format)
                result = import_records(session, ws.id, spec.kind, rows, zone)
                if preview:
                    session.rollback()
        except UploadRefused as refused:
            return import_error(request, user, ws, [str(refused)])
        except ImportRejected as rejected:
            return import_result(request, user, ws, rejected=rejected, **shown)
        if preview:
            return import_result(request, user, ws, result=result, **shown)
        # The list opens at the first new record (after every one that was there before the import).
        start = f"&after={before}" if result.created and before else ""
        return redirect(f"{spec.base(ws)}?done=imported&created={result.created}&updated={result.updated}"
                        f"&unchanged={result.unchanged}{start}")
    return import_file


def _template(spec: KindPage) -> Callable[..., Response]:
    def template(user: User, ws: Ws) -> Response:
        return template_download(spec.kind, spec.slug)
    return template


for _spec in PAGES.values():
    _path = f"/{_spec.slug}"
    router.add_api_route(_path, _list(_spec), methods=["GET"], response_class=HTMLResponse)
    router.add_api_route(_path + "/import", _import(_spec), methods=["POST"])
    router.add_api_route(_path + "/template.csv", _template(_spec), methods=["GET"])
    router.add_api_route(_path + "/{record_id}", _detail(_spec), methods=["GET"], response_class=HTMLResponse)
    router.add_api_route(_path + "/{record_id}/sync", _sync(_spec), methods=["POST"])
    if _spec.master is None and _spec.kind is not RecordKind.CUSTOMER:
        router.add_api_route(_path + "/{record_id}/delete", _delete(_spec), methods=["POST"])
