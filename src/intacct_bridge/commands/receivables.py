"""`customers|invoices|payments|credit-memos|vendors|items|bills|ap-adjustments import|list|show`, `bills terms`,
and `o2c-settings show|set` (the gates of every kind, AP ones included).

One group per kind of order-to-cash record, built by `_group` from what differs between them:
the columns of the list and the fields `show` prints. Import has the same all-or-nothing
contract and the same line-and-field report as `actions import`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from intacct_bridge.commands._import import PreviewOption, TemplateFile, import_file, print_outcome, write_template
from intacct_bridge.commands._support import (
    JsonOption,
    WorkspaceOption,
    console,
    fail,
    money,
    print_json_lines,
    step_hint,
    when,
    workspace_session,
)
from intacct_bridge.domain.next_steps import step_key
from intacct_bridge.domain.receivables import ReceivablesSettings, RecordKind, noun
from intacct_bridge.domain.vocabulary import ActionStatus

Columns = Callable[[Any], dict[str, object]]


def _customer_columns(c: Any) -> dict[str, object]:
    return {"name": c.name, "email": c.email, "customer_id": c.customer_id, "matched_by": c.matched_by}


def _invoice_columns(i: Any) -> dict[str, object]:
    from intacct_bridge.store.repositories.receivables import invoice_view

    return {"customer": i.customer.external_id, "date": i.invoice_date, "number": i.number,
            "reference": i.reference, "total": invoice_view(i).total, "lines": len(i.lines),
            "intacct_state": i.intacct_state, "total_due": i.intacct_total_due}


def _payment_columns(p: Any) -> dict[str, object]:
    return {"customer": p.customer.external_id, "received_on": p.received_on, "amount": p.amount,
            "method": p.method, "invoices": ", ".join(f"{a.invoice.external_id} {money(a.amount)}"
                                                      for a in p.applications)}


def _credit_memo_columns(m: Any) -> dict[str, object]:
    return {"customer": m.customer.external_id, "date": m.memo_date,
            "invoice": m.invoice.external_id if m.invoice else None, "number": m.number,
            "total": sum(line.amount for line in m.lines)}


def _vendor_columns(v: Any) -> dict[str, object]:
    return {"vendor_id": v.vendor_id, "name": v.name, "email": v.email, "active": v.active,
            **_pending_update(v)}


def _item_columns(i: Any) -> dict[str, object]:
    return {"item_id": i.item_id, "name": i.name, "type": i.item_type, "base_price": i.base_price,
            "active": i.active, **_pending_update(i)}


def _pending_update(row: Any) -> dict[str, object]:
    """Whether a posted master record has changes waiting to be sent as an update."""
    waiting = row.posted_fingerprint is not None and row.fingerprint != row.posted_fingerprint
    return {"changes_to_send": "yes" if waiting else "no"}
def _bill_columns(b: Any) -> dict[str, object]:
    return {"vendor": b.vendor_id, "date": b.bill_date, "number": b.number, "due_date": b.due_date,
            "terms": b.terms, "reference": b.reference, "total": sum(line.amount for line in b.lines),
            "lines": len(b.lines), "entity": b.entity}


def _ap_adjustment_columns(a: Any) -> dict[str, object]:
    return {"vendor": a.vendor_id, "date": a.adjustment_date, "bill": a.bill.external_id if a.bill else None,
            "number": a.number, "total": sum(line.amount for line in a.lines), "entity": a.entity}


def _line_text(line: Any) -> str:
    what = line.sku or line.gl_account or "—"
    quantity = getattr(line, "quantity", None)
    priced = f"{quantity.normalize()} x {money(line.unit_price)} = " if quantity is not None else ""
    dimensions = "".join(f" [{name} {value}]" for name, value in (getattr(line, "dimensions", None) or {}).items())
    return f"{line.line_no}. {what}: {priced}{money(line.amount)}" + (f" ({line.description})"
                                                                       if line.description else "") + dimensions


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if hasattr(value, "quantize"):
        return money(value)  # type: ignore[arg-type]
    if hasattr(value, "isoformat"):
        return when(value)  # type: ignore[arg-type]
    return str(value)


def _group(kind: RecordKind, name: str, columns: Columns, help_text: str) -> typer.Typer:
    """import / list / show for one kind of record."""
    app = typer.Typer(help=help_text, no_args_is_help=True)
    plural = f"{noun(kind)}s"

    @app.command("import")
    def import_(
        file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or JSON lines.")],
        workspace: WorkspaceOption = None,
        format_: Annotated[str | None, typer.Option("--format", help="csv or jsonl (default: from the extension).")]
        = None,
        preview: PreviewOption = False,
    ) -> None:
        """Import (all or nothing): new ones are added, known external ids updated, posted ones kept as posted.
        The columns are in the `template`; an unknown column or an empty file is refused."""
        from intacct_bridge.store.repositories.receivables_intake import import_records

        result = import_file(file, format_, workspace,
                             lambda session, ws_id, rows, zone: import_records(session, ws_id, kind, rows, zone),
                             preview=preview)
        print_outcome(file, result, plural, preview=preview)

    @app.command("template")
    def template(out: TemplateFile = None) -> None:
        """A CSV template for `import`: the header row and one example row to replace."""
        write_template(kind, out)

    @app.command("list")
    def list_(
        workspace: WorkspaceOption = None,
        status: Annotated[ActionStatus | None, typer.Option(case_sensitive=False, show_default=False)] = None,
        search: Annotated[str | None, typer.Option(help="Text in the external id, name, number or reference.")]
        = None,
        limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
        after: Annotated[int, typer.Option(help="Show records after this id (next page).")] = 0,
        as_json: JsonOption = False,
    ) -> None:
        """List them, oldest first, with whether each can be posted as it stands."""
        from intacct_bridge.store.repositories.receivables import list_records, record_checks

        with workspace_session(workspace) as (_, session, ws):
            rows = list_records(session, ws.id, kind, status=status, search=search, limit=limit, after_id=after)
            checks = record_checks(session, ws.id)
            listed = [(row, columns(row), checks.problems(kind, row)) for row in rows]
        if as_json:
            print_json_lines([{"id": r.id, "external_id": r.external_id, **cells, "status": r.status,
                               "intacct_key": r.intacct_key, "problems": [p.as_dict() for p in found]}
                              for r, cells, found in listed])
            return
        if not listed:
            console.print(f"No {plural} match.")
            return
        table = Table("id", "external id", *(c.replace("_", " ") for c in listed[0][1]), "status")
        for row, cells, found in listed:
            status = row.status + (f" [red]({len(found)} problem(s))[/]" if found else "")
            table.add_row(str(row.id), row.external_id, *(_cell(v) for v in cells.values()), status)
        console.print(table)
        if len(listed) == limit:
            console.print(f"More may follow: --after {listed[-1][0].id}")

    @app.command("show")
    def show(
        ref: Annotated[str, typer.Argument(help="Id or external id.")], workspace: WorkspaceOption = None,
    ) -> None:
        """Everything about one: fields, lines, where it stands with Intacct, what to fix, and each version
        written to Intacct (a cancelled one, its cancelling adjustment, the corrected one)."""
        from intacct_bridge.commands._versions import version_rows
        from intacct_bridge.store.repositories.document_changes import document_versions
        from intacct_bridge.store.repositories.receivables import get_record, record_checks

        with workspace_session(workspace) as (_, session, ws):
            row = get_record(session, ws.id, kind, ref)
            found = record_checks(session, ws.id).problems(kind, row)
            table = Table("field", "value", show_header=False, title=f"{noun(kind)} {row.id} ({row.external_id})")
            for field, value in columns(row).items():
                table.add_row(field.replace("_", " "), _cell(value))
            for line in getattr(row, "lines", []):
                table.add_row("line", _line_text(line))
            for field, value in (("status", row.status), ("Intacct key", row.intacct_key),
                                 ("posted", row.posted_at), ("created", row.created_at),
                                 ("last error", row.last_error)):
                table.add_row(field, _cell(value))
            for reason in found:
                table.add_row("[red]to fix[/]", f"{reason.field}: {reason.message}"
                                                f"{step_hint({'step': step_key(reason.message)})}")
            for label, text in version_rows(document_versions(session, ws.id, kind.value, row.id)):
                table.add_row(label, text)
        console.print(table)

    if kind not in (RecordKind.CUSTOMER, RecordKind.VENDOR, RecordKind.ITEM):   # master data is never deleted
        _delete_command(app, kind)
    app.info.name = name
    return app


def _delete_command(app: typer.Typer, kind: RecordKind) -> None:
    @app.command("delete")
    def delete(ref: Annotated[str, typer.Argument(help="Id or external id.")], workspace: WorkspaceOption = None,
               ) -> None:
        """Deleted at the source: never sent, it is deleted; posted, the adjustment that cancels it in Intacct is
        queued for the next sync (posted_changes = reverse), else the reason it stays and the fix."""
        from intacct_bridge.store.models import utcnow
        from intacct_bridge.store.repositories.document_changes import delete_record

        with workspace_session(workspace, write=True) as (_, session, ws):
            cancellation = delete_record(session, ws.id, kind, ref, utcnow())
            said = (f"{noun(kind)} {ref}: the cancellation of version {cancellation.version} is posted at the next "
                    "sync" if cancellation is not None else f"{noun(kind)} {ref}: deleted or withdrawn; nothing "
                    "more of it is posted")
        console.print(said)


settings_app = typer.Typer(help="Order-to-cash settings: customer matching, invoice mode, accounts, gates.",
                           no_args_is_help=True)


def _print_settings(settings: ReceivablesSettings) -> None:
    table = Table("setting", "value", title="order-to-cash settings", title_justify="left")
    for name, value in vars(settings).items():
        if name == "gates":
            for kind, mode in value.items():
                table.add_row(f"gate {kind.value}", mode.value)
            continue
        table.add_row(name, _cell(getattr(value, "value", value)))
    console.print(table)


@settings_app.command("show")
def settings_show(workspace: WorkspaceOption = None) -> None:
    """The workspace's order-to-cash settings."""
    from intacct_bridge.store.repositories.receivables import load_receivables_settings

    with workspace_session(workspace, write=True) as (_, session, ws):
        settings = load_receivables_settings(session, ws.id)
    _print_settings(settings)


@settings_app.command("set")
def settings_set(
    changes: Annotated[list[str], typer.Argument(help="NAME=VALUE pairs, e.g. customer_match=company "
                                                      "undeposited_account=1050 (empty value: unset).")],
    workspace: WorkspaceOption = None,
) -> None:
    """Change settings; names and allowed values are checked, nothing changes if one is wrong."""
    from intacct_bridge.store.repositories.receivables import update_receivables_settings

    parsed: dict[str, str | None] = {}
    for change in changes:
        name, sep, value = change.partition("=")
        if not sep or not name.strip():
            fail(f"{change!r} is not NAME=VALUE")
        parsed[name.strip()] = value.strip() or None
    with workspace_session(workspace, write=True) as (_, session, ws):
        settings = update_receivables_settings(session, ws.id, parsed)
    _print_settings(settings)


GROUPS = (
    (RecordKind.CUSTOMER, "customers", _customer_columns, "Customers of the shop, and how each is known in Intacct."),
    (RecordKind.INVOICE, "invoices", _invoice_columns, "Orders and invoices with their lines (AR or sales invoices)."),
    (RecordKind.PAYMENT, "payments", _payment_columns, "Payments received and the invoices they pay."),
    (RecordKind.CREDIT_MEMO, "credit-memos", _credit_memo_columns, "Credit memos, posted as AR adjustments."),
    (RecordKind.VENDOR, "vendors", _vendor_columns, "Suppliers pushed to Intacct as vendors (top level; the "
     "VENDORID never changes). Sync them with `sync --kind vendors`."),
    (RecordKind.ITEM, "items", _item_columns, "Non-stock items pushed to Intacct (top level; the ITEMID never "
     "changes). Sync them with `sync --kind items`."),
    (RecordKind.BILL, "bills", _bill_columns, "Purchase invoices, posted as AP bills to vendors Intacct has."),
    (RecordKind.AP_ADJUSTMENT, "ap-adjustments", _ap_adjustment_columns,
     "Vendor credit memos, posted as AP adjustments against their bills."),
)


def _ap_terms_command(group: typer.Typer) -> None:
    @group.command("terms")
    def terms(workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
        """The AP terms a bill's terms may name, as last pulled from Intacct (each sync of bills pulls them)."""
        from intacct_bridge.store.repositories.payables import ap_terms

        with workspace_session(workspace) as (_, session, ws):
            names = ap_terms(session, ws.id)
        if as_json:
            print_json_lines([{"name": name} for name in names])
        elif names:
            console.print("AP terms in Intacct: " + ", ".join(names))
        else:
            console.print("No AP terms pulled yet: run `intacct-bridge sync --kind bills` to pull them.")


def register(app: typer.Typer) -> None:
    for kind, name, columns, help_text in GROUPS:
        group = _group(kind, name, columns, help_text)
        if kind is RecordKind.BILL:
            _ap_terms_command(group)
        app.add_typer(group, name=name)
    app.add_typer(settings_app, name="o2c-settings")
