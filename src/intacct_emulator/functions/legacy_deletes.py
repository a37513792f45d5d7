"""Legacy deletes: delete_customer customerid="..." and friends, delete_invoice, delete_sotransaction."""

from __future__ import annotations

import decimal

from lxml import etree

from ..backend.inventory import return_stock
from ..backend.objects import get_object
from ..backend.records import delete_record, find_by_id, get_record
from .base import CallContext, FunctionOutcome, Handler, business_error, check_permission
from .write_rules import check_owner
from .writes import check_deletable, delete_records

# function -> (attribute naming the record, object)
BY_ID = {
    "delete_customer": ("customerid", "CUSTOMER"),
    "delete_vendor": ("vendorid", "VENDOR"),
    "delete_item": ("itemid", "ITEM"),
    "delete_location": ("locationid", "LOCATION"),
    "delete_department": ("departmentid", "DEPARTMENT"),
    "delete_class": ("classid", "CLASS"),
    "delete_glaccount": ("glaccountno", "GLACCOUNT"),
    "delete_warehouse": ("warehouseid", "WAREHOUSE"),
}


def _delete_by_id(function: str) -> Handler:
    attribute, object_name = BY_ID[function]

    def handler(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
        odef = get_object(object_name)
        check_permission(ctx, function, odef)
        key = (fn.get(attribute) or fn.findtext(attribute) or "").strip()
        record = find_by_id(ctx.conn, odef, ctx.company_id, key, ctx.scope()) if key else None
        if record is None:
            raise business_error(f"Cannot find {odef.label.lower()} with key '{key}' to delete.")
        check_deletable(ctx, odef, record)
        delete_records(ctx, odef, [record])
        return FunctionOutcome([], billable=1)

    handler.__doc__ = f"Legacy {function}: delete the {object_name} named by the {attribute} attribute."
    return handler


LEGACY_DELETES: dict[str, Handler] = {name: _delete_by_id(name) for name in BY_ID}


def delete_invoice(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    odef = get_object("ARINVOICE")
    check_permission(ctx, "delete_invoice", odef)
    key = (fn.get("key") or "").strip()
    invoice = get_record(ctx.conn, ctx.company_id, odef.name, key, ctx.scope())
    if invoice is None:
        raise business_error(f"Cannot find invoice with key '{key}' to delete.")
    check_owner(ctx, odef, invoice, "delete")  # the delete hook says why an invoice with payments stays
    delete_records(ctx, odef, [invoice])
    return FunctionOutcome([], billable=1)


def delete_sotransaction(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Delete an OE document by ``<type>-<docno>``; its AR invoice goes too and its stock comes back."""
    odef = get_object("SODOCUMENT")
    check_permission(ctx, "delete_sotransaction", odef)
    key = (fn.get("key") or "").strip()
    document = find_by_id(ctx.conn, odef, ctx.company_id, key, ctx.scope()) if key else None
    if document is None:
        raise business_error(f"Cannot find transaction with key '{key}' to delete.")
    check_owner(ctx, odef, document, "delete")
    invoice_key = str(document.get("PRRECORDKEY") or "")
    if invoice_key:
        invoice = get_record(ctx.conn, ctx.company_id, "ARINVOICE", invoice_key)
        if invoice is not None:
            delete_records(ctx, get_object("ARINVOICE"), [invoice])
        item_def = get_object("ITEM")
        for line in document.get("SODOCUMENTENTRIES", []):
            item = find_by_id(ctx.conn, item_def, ctx.company_id, line["ITEMID"])
            if item is not None and item.get("ITEMTYPE") == "Inventory" and line.get("WAREHOUSE.LOCATIONID"):
                return_stock(ctx.conn, ctx.company_id, ctx.scope(), line["ITEMID"], line["WAREHOUSE.LOCATIONID"],
                             decimal.Decimal(line["QUANTITY"]), now=ctx.now, user_id=ctx.user.user_id)
    delete_record(ctx.conn, ctx.company_id, odef.name, int(document["RECORDNO"]))
    return FunctionOutcome([], billable=1)
