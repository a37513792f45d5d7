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


#: The fields of one document line as `create_sotransaction`'s <sotransitem> names them, and where they are stored.
LINE_TAGS = (("itemid", "ITEMID"), ("itemdesc", "ITEMDESC"), ("quantity", "QUANTITY"), ("unit", "UNIT"),
             ("price", "PRICE"), ("warehouseid", "WAREHOUSE.LOCATIONID"), ("locationid", "LOCATION"),
             ("departmentid", "DEPARTMENT"), ("classid", "CLASSID"), ("memo", "MEMO"))


def _line(ctx: CallContext, given: Record, number: int, moves_stock: bool) -> tuple[Record, Record]:
    """One document line (stored field names, as either wire gives them) checked, plus the item it sells."""
    item_id = str(given.get("ITEMID") or "")
    if not item_id:
        raise business_error("Required field itemid is missing in sotransitem", "sotransitem needs <itemid>.")
    item = find_by_id(ctx.conn, get_object("ITEM"), ctx.company_id, item_id, ctx.reference_scope())
    if item is None or item.get("STATUS") != "active":
        raise business_error(f"Invalid item '{item_id}' on line {number}", "The item does not exist or is inactive.")
    if not given.get("QUANTITY"):
        raise business_error("Required field quantity is missing in sotransitem", "sotransitem needs <quantity>.")
    quantity = _number(str(given["QUANTITY"]), f"quantity on line {number}")
    if quantity == 0:
        raise business_error(f"Quantity on line {number} must be more than 0")
    price = money(_number(str(given.get("PRICE") or item.get("BASEPRICE") or "0"), f"price on line {number}"))
    if (price * quantity).adjusted() >= MAX_DIGITS_BEFORE_POINT:
        raise business_error(f"The total of line {number} ({quantity} x {price}) is too large")
    warehouse_id = str(given.get("WAREHOUSE.LOCATIONID") or "")
    if warehouse_id and find_by_id(ctx.conn, get_object("WAREHOUSE"), ctx.company_id, warehouse_id,
                                   ctx.reference_scope()) is None:
        raise business_error(f"Invalid warehouse '{warehouse_id}' on line {number}")
    if moves_stock and item.get("ITEMTYPE") == "Inventory" and not warehouse_id:
        raise business_error(f"Item {item_id} on line {number} is an inventory item and needs a warehouseid")
    for field, object_name in (("LOCATION", "LOCATION"), ("DEPARTMENT", "DEPARTMENT"), ("CLASSID", "CLASS")):
        require_line_reference(ctx, object_name, str(given.get(field) or "") or None, number)
    line = {
        "LINE_NO": str(number - 1), "ITEMID": item_id, "ITEMDESC": given.get("ITEMDESC") or item.get("NAME", ""),
        "QUANTITY": str(quantity), "UNIT": given.get("UNIT") or "Each", "PRICE": str(price),
        "TOTAL": str((price * quantity).quantize(CENT)), "WAREHOUSE.LOCATIONID": warehouse_id,
        "LOCATION": given.get("LOCATION") or "", "DEPARTMENT": given.get("DEPARTMENT") or "",
        "CLASSID": given.get("CLASSID") or "", "MEMO": given.get("MEMO") or "",
    }
    return line, item


def _header(fn: etree._Element) -> Record:
    """<create_sotransaction>'s header in stored field names (checked by `create_document`)."""
    return {
        "CUSTVENDID": child_text(fn, "customerid") or "", "WHENCREATED": ymd(fn, "datecreated", "create_sotransaction"),
        "DOCNO": child_text(fn, "documentno") or "", "WHENDUE": ymd(fn, "datedue", "create_sotransaction"),
        "PONUMBER": child_text(fn, "referenceno") or "", "MESSAGE": child_text(fn, "message") or "",
        "TERM.NAME": child_text(fn, "termname") or "", "EXTERNALID": child_text(fn, "externalid") or "",
        "STATE": child_text(fn, "state") or "", "CREATEDFROM": child_text(fn, "createdfrom") or "",
        "SHIPVIA": child_text(fn, "shippingmethod") or "",
        "SHIPTO.CONTACTNAME": fn.findtext("shipto/contactname", "").strip(),
        "BILLTO.CONTACTNAME": fn.findtext("billto/contactname", "").strip(),
        "CURRENCY": child_text(fn, "currency") or "", "BASECURR": child_text(fn, "basecurr") or "",
    }


def _document(ctx: CallContext, given: Record, doctype: str) -> Record:
    """The document's header: the customer checked, the date required and open, defaults filled."""
    customer_id = str(given.get("CUSTVENDID") or "")
    if not customer_id:
        raise business_error("Required field customerid is missing in create_sotransaction",
                             "create_sotransaction needs <customerid>.")
    customer = require_customer(ctx, customer_id)
    when = str(given.get("WHENCREATED") or "")
    if not when:
        raise business_error("Required field datecreated is missing in create_sotransaction",
                             "create_sotransaction needs <datecreated>.")
    check_posting_date(ctx, when, "transaction")
    documentno = str(given.get("DOCNO") or "")
    texts = ("WHENDUE", "PONUMBER", "MESSAGE", "TERM.NAME", "EXTERNALID", "CREATEDFROM", "SHIPVIA",
             "SHIPTO.CONTACTNAME", "BILLTO.CONTACTNAME")
    return {
        **{name: str(given.get(name) or "") for name in texts},
        "DOCPARID": doctype, "DOCNO": documentno, "DOCID": f"{doctype}-{documentno}", "WHENCREATED": when,
        "CUSTVENDID": customer["CUSTOMERID"], "CUSTVENDNAME": customer.get("NAME", ""),
        "STATE": _state(str(given.get("STATE") or "") or None),
        "CURRENCY": given.get("CURRENCY") or "USD", "BASECURR": given.get("BASECURR") or "USD",
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
    check_permission(ctx, "create_sotransaction", get_object("SODOCUMENT"))
    doctype = required_text(fn, "transactiontype", "create_sotransaction")
    container = fn.find("sotransitems")
    nodes = [] if container is None else container.findall("sotransitem")
    lines = [{name: child_text(node, tag) or "" for tag, name in LINE_TAGS} for node in nodes]
    stored = create_document(ctx, doctype, _header(fn), lines)
    return FunctionOutcome([key_element(stored["DOCID"])], billable=1)


def create_document(ctx: CallContext, doctype: str, header: Record, lines: list[Record]) -> Record:
    """A sales document of the transaction definition ``doctype`` (either wire: the header and lines in stored
    field names), doing what the definition says; numbered from its sequence when DOCNO is empty."""
    odef = get_object("SODOCUMENT")
    definition = transaction_definition(ctx, doctype)
    document = _document(ctx, header, doctype)
    if not document["DOCNO"]:
        document["DOCNO"] = _next_documentno(ctx, definition)
        document["DOCID"] = f"{doctype}-{document['DOCNO']}"
    check_duplicate(ctx, odef, document)
    if not lines:
        raise business_error("A transaction needs at least one <sotransitem> under <sotransitems>")
    posts = definition.get("UPDATES_GL") == "Accounts Receivable"
    moves_stock = definition.get("UPDATES_INV", "No") != "No"
    pairs = [_line(ctx, line, n, moves_stock) for n, line in enumerate(lines, start=1)]
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
    return stored


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
