"""Order entry and inventory: legacy create_sotransaction and get_icitemtotals.

The transaction definition a document names (SODOCUMENTPARAMS) decides what it does:
whether it takes stock out (UPDATES_INV) and posts an AR invoice (UPDATES_GL).
"""

from __future__ import annotations

import decimal

from lxml import etree

from ..backend.errors import RuleViolation
from ..backend.inventory import remove_stock, stock_records
from ..backend.objects import get_object
from ..backend.receivables import CENT, money
from ..backend.records import Record, find_by_id, insert_record, save_record
from ..backend.search import Selection
from ..backend.sequences import next_number
from ..backend.seeds.definitions import install_standard_definitions
from ..backend.values import MAX_DIGITS_BEFORE_POINT, ValueError_, parse_decimal
from .invoices import check_posting_date, require_customer, require_line_reference, store_invoice
from .base import CallContext, FunctionOutcome, business_error, check_permission, child_text, sub
from .legacy_in import key_element, required_text, violation_failure, ymd
from .write_rules import check_duplicate
from .xmlout import data_element

FALLBACK_REVENUE_ACCOUNT = "4600"


def _number(raw: str, what: str) -> decimal.Decimal:
    try:
        value = parse_decimal(raw)
    except ValueError_:
        raise business_error(f"Invalid {what} '{raw}'") from None
    if value < 0:
        raise business_error(f"Invalid {what} '{raw}'")
    return value


def _line(ctx: CallContext, node: etree._Element, number: int, moves_stock: bool) -> tuple[Record, Record]:
    """One sotransitem as a document line, plus the item it sells."""
    item_id = required_text(node, "itemid", "sotransitem")
    item = find_by_id(ctx.conn, get_object("ITEM"), ctx.company_id, item_id, ctx.reference_scope())
    if item is None or item.get("STATUS") != "active":
        raise business_error(f"Invalid item '{item_id}' on line {number}", "The item does not exist or is inactive.")
    quantity = _number(required_text(node, "quantity", "sotransitem"), f"quantity on line {number}")
    if quantity == 0:
        raise business_error(f"Quantity on line {number} must be more than 0")
    price = money(_number(child_text(node, "price") or str(item.get("BASEPRICE") or "0"), f"price on line {number}"))
    if (price * quantity).adjusted() >= MAX_DIGITS_BEFORE_POINT:
        raise business_error(f"The total of line {number} ({quantity} x {price}) is too large")
    warehouse_id = child_text(node, "warehouseid") or ""
    if warehouse_id and find_by_id(ctx.conn, get_object("WAREHOUSE"), ctx.company_id, warehouse_id,
                                   ctx.reference_scope()) is None:
        raise business_error(f"Invalid warehouse '{warehouse_id}' on line {number}")
    if moves_stock and item.get("ITEMTYPE") == "Inventory" and not warehouse_id:
        raise business_error(f"Item {item_id} on line {number} is an inventory item and needs a warehouseid")
    for tag, object_name in (("locationid", "LOCATION"), ("departmentid", "DEPARTMENT"), ("classid", "CLASS")):
        require_line_reference(ctx, object_name, child_text(node, tag), number)
    line = {
        "LINE_NO": str(number - 1), "ITEMID": item_id, "ITEMDESC": child_text(node, "itemdesc") or item.get("NAME", ""),
        "QUANTITY": str(quantity), "UNIT": child_text(node, "unit") or "Each", "PRICE": str(price),
        "TOTAL": str((price * quantity).quantize(CENT)), "WAREHOUSE.LOCATIONID": warehouse_id,
        "LOCATION": child_text(node, "locationid") or "", "DEPARTMENT": child_text(node, "departmentid") or "",
        "CLASSID": child_text(node, "classid") or "", "MEMO": child_text(node, "memo") or "",
    }
    return line, item


def _header(ctx: CallContext, fn: etree._Element, doctype: str) -> Record:
    customer = require_customer(ctx, required_text(fn, "customerid", "create_sotransaction"))
    when = ymd(fn, "datecreated", "create_sotransaction", required=True)
    check_posting_date(ctx, when, "transaction")
    documentno = child_text(fn, "documentno") or ""
    return {
        "DOCPARID": doctype, "DOCNO": documentno, "DOCID": f"{doctype}-{documentno}", "WHENCREATED": when,
        "CUSTVENDID": customer["CUSTOMERID"], "CUSTVENDNAME": customer.get("NAME", ""),
        "WHENDUE": ymd(fn, "datedue", "create_sotransaction"), "PONUMBER": child_text(fn, "referenceno") or "",
        "MESSAGE": child_text(fn, "message") or "", "TERM.NAME": child_text(fn, "termname") or "",
        "EXTERNALID": child_text(fn, "externalid") or "", "STATE": _state(child_text(fn, "state")),
        "CREATEDFROM": child_text(fn, "createdfrom") or "", "SHIPVIA": child_text(fn, "shippingmethod") or "",
        "SHIPTO.CONTACTNAME": fn.findtext("shipto/contactname", "").strip(),
        "BILLTO.CONTACTNAME": fn.findtext("billto/contactname", "").strip(),
        "CURRENCY": child_text(fn, "currency") or "USD", "BASECURR": child_text(fn, "basecurr") or "USD",
    }


def _state(text: str | None) -> str:
    """The transaction's state: Draft, Pending (the default) or Closed, as the SDK's constants allow."""
    state = text or "Pending"
    if state not in ("Draft", "Pending", "Closed"):
        raise business_error(f"Invalid state '{state}'", "Use Draft, Pending or Closed.")
    return state


def transaction_definition(ctx: CallContext, doctype: str) -> Record:
    """The active transaction definition named ``doctype``; a company with none gets the standard ones first."""
    odef = get_object("SODOCUMENTPARAMS")
    if not _has_definitions(ctx):
        install_standard_definitions(ctx.conn, ctx.company_id, now=ctx.now, user_id=ctx.user.user_id)
    definition = find_by_id(ctx.conn, odef, ctx.company_id, doctype, ctx.reference_scope())
    if definition is None or definition.get("STATUS") != "active":
        known = [r["DOCID"] for r in Selection(odef, ctx.company_id, ctx.reference_scope()).page(
            ctx.conn, "recordno", 1000, 0) if r.get("STATUS") == "active"]
        raise business_error(f"Invalid transaction type '{doctype}'",
                             f"No active Order Entry transaction definition named '{doctype}' exists.",
                             f"Use one of: {', '.join(known)}.")
    return definition


def _has_definitions(ctx: CallContext) -> bool:
    """False only in a company stored before definitions existed."""
    return ctx.conn.execute("SELECT 1 FROM records WHERE company_id = ? AND object = 'SODOCUMENTPARAMS' LIMIT 1",
                            (ctx.company_id,)).fetchone() is not None


def _next_documentno(ctx: CallContext, definition: Record) -> str:
    """The definition's next document number, skipping numbers typed by hand."""
    odef, doctype = get_object("SODOCUMENT"), definition["DOCID"]
    return next_number(ctx.conn, ctx.company_id, f"SODOCUMENT:{doctype}", prefix=definition.get("SEQUENCE") or "",
                       taken=lambda n: find_by_id(ctx.conn, odef, ctx.company_id, f"{doctype}-{n}") is not None,
                       now=ctx.now, user_id=ctx.user.user_id)


def _post_invoice(ctx: CallContext, document: Record, items: list[Record]) -> Record:
    """The AR invoice a Sales Invoice creates: one line per document line, to the item's revenue account."""
    lines = [{"ACCOUNTNO": item.get("INCOMEACCTKEY") or FALLBACK_REVENUE_ACCOUNT, "AMOUNT": line["TOTAL"],
              "ENTRYDESCRIPTION": line["ITEMDESC"], "ITEMID": line["ITEMID"], "LOCATIONID": line["LOCATION"],
              "DEPARTMENTID": line["DEPARTMENT"], "WAREHOUSEID": line["WAREHOUSE.LOCATIONID"]}
             for line, item in zip(document["SODOCUMENTENTRIES"], items)]
    invoice = {"CUSTOMERID": document["CUSTVENDID"], "CUSTOMERNAME": document["CUSTVENDNAME"],
               "WHENCREATED": document["WHENCREATED"], "WHENPOSTED": document["WHENCREATED"],
               "WHENDUE": document["WHENDUE"], "RECORDID": document["DOCNO"], "DOCNUMBER": document["PONUMBER"],
               "DESCRIPTION": document["MESSAGE"], "MODULEKEY": "8.SO", "SYSTEMGENERATED": "true",
               "CURRENCY": document["CURRENCY"], "BASECURR": document["BASECURR"], "ARINVOICEITEMS": lines}
    return store_invoice(ctx, invoice)


def create_sotransaction(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Legacy OE transaction, doing what its definition says (a Sales Invoice takes stock out and posts an AR
    invoice). Key: ``<type>-<docno>``; without <documentno> the definition's sequence numbers it."""
    odef = get_object("SODOCUMENT")
    check_permission(ctx, "create_sotransaction", odef)
    doctype = required_text(fn, "transactiontype", "create_sotransaction")
    definition = transaction_definition(ctx, doctype)
    document = _header(ctx, fn, doctype)
    if not document["DOCNO"]:
        document["DOCNO"] = _next_documentno(ctx, definition)
        document["DOCID"] = f"{doctype}-{document['DOCNO']}"
    check_duplicate(ctx, odef, document)
    container = fn.find("sotransitems")
    nodes = [] if container is None else container.findall("sotransitem")
    if not nodes:
        raise business_error("A transaction needs at least one <sotransitem> under <sotransitems>")
    posts = definition.get("UPDATES_GL") == "Accounts Receivable"
    moves_stock = definition.get("UPDATES_INV", "No") != "No"
    pairs = [_line(ctx, node, n, moves_stock) for n, node in enumerate(nodes, start=1)]
    document["SODOCUMENTENTRIES"] = [line for line, _ in pairs]
    total = sum((money(line["TOTAL"]) for line, _ in pairs), money(0))
    document.update(SUBTOTAL=str(total), TOTAL=str(total), TRX_TOTAL=str(total))
    if moves_stock:
        _move_stock(ctx, pairs)
    if posts:
        document["PRRECORDKEY"] = _post_invoice(ctx, document, [item for _, item in pairs])["RECORDNO"]
    stored = insert_record(ctx.conn, odef, ctx.company_id, document, entity=ctx.entity(), now=ctx.now,
                           user_id=ctx.user.user_id)
    _number_lines(ctx, stored)
    return FunctionOutcome([key_element(stored["DOCID"])], billable=1)


def _move_stock(ctx: CallContext, pairs: list[tuple[Record, Record]]) -> None:
    for number, (line, item) in enumerate(pairs, start=1):
        if item.get("ITEMTYPE") != "Inventory":
            continue
        try:
            remove_stock(ctx.conn, ctx.company_id, ctx.scope(), line["ITEMID"], line["WAREHOUSE.LOCATIONID"],
                         decimal.Decimal(line["QUANTITY"]), now=ctx.now, user_id=ctx.user.user_id, line=number)
        except RuleViolation as violation:
            raise violation_failure(violation, "Could not create Document record!") from None


def _number_lines(ctx: CallContext, document: Record) -> None:
    for line in document["SODOCUMENTENTRIES"]:
        line["DOCHDRNO"] = document["RECORDNO"]
    save_record(ctx.conn, get_object("SODOCUMENT"), ctx.company_id, document, now=ctx.now, user_id=ctx.user.user_id)


def get_icitemtotals(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Stock per item and warehouse, in the legacy ``icitemtotals/itemtotal`` shape."""
    check_permission(ctx, "get_icitemtotals", get_object("ITEM"))
    rows = stock_records(ctx.conn, ctx.company_id, ctx.scope(), child_text(fn, "itemid"), child_text(fn, "warehouseid"))
    data = data_element(listtype="icitemtotals", count=1)
    totals = sub(data, "icitemtotals")
    for row in rows:
        node = sub(totals, "itemtotal")
        for tag, name in (("itemid", "ITEMID"), ("warehouseid", "WAREHOUSEID"), ("aislekey", ""), ("rowkey", ""),
                          ("binkey", ""), ("onhand", "ONHAND"), ("onorder", "ONORDER"), ("onhold", "ONHOLD")):
            sub(node, tag, str(row.get(name, "")) if name else "")
    return FunctionOutcome([data], billable=1)
