"""The REST shape of each Intacct object the product writes or reads, beside its XML builders.

The engines and record kinds speak one language: the XML object and field names
(`GLBATCH`, `REFERENCENO`, `create_invoice` payloads). This module says what each
of those is on the REST API (`shared/intacct-rest-api.md` §3): the object's path,
each field's dotted REST name, how an enum or date is spelled, and how a function's
payload becomes a JSON body. It holds no application logic: which record to write
and why stays in `sync/`; the REST client (`rest_client`) only applies these maps.
"""

from __future__ import annotations

import re
from urllib.parse import quote
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from . import query as q
from .functions import Create, Function, Update
from .legacy import Legacy


class NotOnRest(ValueError):
    """A function or field the product has no REST shape for: the message names it and the way out."""


# --- values -----------------------------------------------------------------------------------------


def camel(text: str) -> str:
    """`Printed Check` -> `printedCheck`, `Posted` -> `posted` (REST spells enums in camel case)."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", text) if w]
    return words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:]) if words else text


def uncamel(text: str) -> str:
    """`partiallyPaid` -> `Partially Paid`: the XML spelling of a REST enum value."""
    return " ".join(w[:1].upper() + w[1:] for w in re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text).split())


def json_value(value: Any) -> Any:
    """A payload value as REST JSON carries it: amounts and numbers as strings, dates ISO."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        raise TypeError("floats are refused; pass a Decimal for amounts")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if isinstance(value, int) else value


def xml_value(value: Any) -> Any:
    """A REST JSON value as the gateway spells it: booleans as `true`/`false` (JSON's `false` is not "False")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


@dataclass(frozen=True)
class Field:
    """One XML field's REST name, and how its values are spelled on each side."""

    rest: str
    to_rest: Callable[[Any], Any] = json_value
    to_xml: Callable[[Any], Any] = xml_value


def _enum(pairs: Mapping[Any, str]) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    back = {v: k for k, v in pairs.items()}

    def out(value: Any) -> Any:
        return pairs.get(value, pairs.get(str(value), camel(str(value))))

    def back_of(value: Any) -> Any:
        return back.get(value, uncamel(value)) if isinstance(value, str) else value
    return out, back_of


def enum_field(rest: str, pairs: Mapping[Any, str] | None = None) -> Field:
    out, back = _enum(pairs or {})
    return Field(rest, out, back)


def _xml_date(value: Any) -> Any:
    """`2024-11-01` -> `11/01/2024`, the gateway's date format the callers parse."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    return datetime.strptime(value, "%Y-%m-%d").strftime("%m/%d/%Y")


def _xml_moment(value: Any) -> Any:
    """An ISO timestamp (`…Z`) -> `MM/DD/YYYY HH:MM:SS` UTC, the gateway's timestamp format."""
    if not isinstance(value, str) or "T" not in value:
        return _xml_date(value)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%m/%d/%Y %H:%M:%S")


def date_field(rest: str) -> Field:
    return Field(rest, json_value, _xml_date)


def moment_field(rest: str) -> Field:
    return Field(rest, json_value, _xml_moment)


#: An XML field the REST object does not carry (as far as the reference knows): never asked for, read as None.
ABSENT = Field("")

STATUS = enum_field("status", {"active": "active", "inactive": "inactive", "active non-posting": "activeNonPosting"})
TXN_TYPE = enum_field("txnType", {1: "debit", -1: "credit", "1": "debit", "-1": "credit"})
MODIFIED = moment_field("audit.modifiedDateTime")
CREATED = moment_field("audit.createdDateTime")


# --- objects ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lines:
    """An owned list: where the XML payload keeps it, its REST name, and its fields."""

    xml: tuple[str, ...]            # ("ENTRIES", "GLENTRY"), ("invoiceitems", "lineitem")
    rest: str
    fields: Mapping[str, Field]


@dataclass(frozen=True)
class RestObject:
    """One Intacct object on REST: its path and the REST name of each XML field."""

    xml: str
    path: str
    fields: Mapping[str, Field]
    lines: Lines | None = None
    id_field: str = "RECORDNO"        # the XML field that is the REST `id` (what PATCH looks the key up by)
    answers_id: bool = False          # a create's key is the answer's `id` (a sales document's DOCID), not its `key`
    _lower: dict[str, Field] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._lower.update({name.lower(): f for name, f in self.fields.items()})

    @property
    def url_path(self) -> str:
        """The path as it goes in a URL (`order-entry/document::Sales%20Invoice`)."""
        return quote(self.path, safe="/:")

    def field(self, name: str) -> Field:
        found = self.fields.get(name) or self._lower.get(name.lower()) or OWNER_FIELDS.get(name.upper())
        if found is None:
            custom = _custom_dimension(name)
            if custom is not None:
                return custom
            raise NotOnRest(f"{self.xml}.{name} has no REST field known to the bridge ({self.path}); "
                            "use the XML API for this workspace, or report the field")
        return found


#: The entity a record belongs to (multi-entity), on every object: `entity` on REST, MEGAENTITY* on XML.
OWNER_FIELDS = {"MEGAENTITYID": Field("entity.id"), "MEGAENTITYNAME": Field("entity.name"),
                "MEGAENTITYKEY": Field("entity.key")}


def _custom_dimension(name: str) -> Field | None:
    """A user-defined dimension's line field (GLDIMFUND) is `dimensions.<name>.id` on REST (our choice)."""
    if name.upper().startswith("GLDIM") and len(name) > 5:
        return Field(f"dimensions.{name[5:].lower()}.id")
    return None


def _ref(rest: str) -> Field:
    return Field(f"{rest}.id")


def _dims(**names: str) -> dict[str, Field]:
    """Line dimension fields: XML name = REST dimension name."""
    return {xml: Field(f"dimensions.{rest}.id") for xml, rest in names.items()}


def _master(xml: str, path: str, id_field: str, name_field: str, **extra: Field) -> RestObject:
    return RestObject(xml, path, {"RECORDNO": Field("key"), id_field: Field("id"), name_field: Field("name"),
                                  "STATUS": STATUS, "WHENMODIFIED": MODIFIED, "WHENCREATED": CREATED, **extra},
                      id_field=id_field)


_LEGACY_AR_LINE = {
    "glaccountno": _ref("glAccount"), "offsetglaccountno": _ref("overrideOffsetGLAccount"),
    "memo": Field("memo"),
    **_dims(locationid="location", departmentid="department", classid="class", projectid="project",
            customerid="customer", itemid="item", warehouseid="warehouse", vendorid="vendor",
            employeeid="employee", contractid="contract"),
}

_JE_LINE_FIELDS = {
    "ACCOUNTNO": _ref("glAccount"), "TR_TYPE": TXN_TYPE, "TRX_AMOUNT": Field("txnAmount"),
    "AMOUNT": Field("baseAmount"), "DOCUMENT": Field("documentId"), "DESCRIPTION": Field("description"),
    "CURRENCY": Field("currency.txnCurrency"), "BILLABLE": Field("isBillable"),
    **_dims(LOCATION="location", DEPARTMENT="department", CLASSID="class", CUSTOMERID="customer",
            VENDORID="vendor", ITEMID="item", PROJECTID="project", EMPLOYEEID="employee",
            CONTRACTID="contract", WAREHOUSEID="warehouse", TASKID="task")}

#: The lines of journal entries, read on their own (reconciliation reads them by date).
JOURNAL_ENTRY_LINE = RestObject(
    "GLENTRY", "general-ledger/journal-entry-line",
    {"RECORDNO": Field("key"), "BATCHNO": Field("journalEntry.key"), "BATCH_DATE": date_field("entryDate"),
     "LINE_NO": Field("lineNumber"), "STATE": enum_field("state"), **_JE_LINE_FIELDS},
)

JOURNAL_ENTRY = RestObject(
    "GLBATCH", "general-ledger/journal-entry",
    {"RECORDNO": Field("key"), "BATCHNO": Field("txnNumber"), "JOURNAL": _ref("glJournal"),
     "BATCH_DATE": date_field("postingDate"), "BATCH_TITLE": Field("description"),
     "REFERENCENO": Field("referenceNumber"), "STATE": enum_field("state"), "REVERSEDATE": date_field("reverseDate"),
     "BASELOCATION_NO": Field("baseLocation.id"), "WHENMODIFIED": MODIFIED, "WHENCREATED": CREATED},
    lines=Lines(("ENTRIES", "GLENTRY"), "lines", _JE_LINE_FIELDS),
)

AR_INVOICE = RestObject(
    "ARINVOICE", "accounts-receivable/invoice",
    {"RECORDNO": Field("key"), "RECORDID": Field("invoiceNumber"), "CUSTOMERID": _ref("customer"),
     "CUSTOMERNAME": Field("customer.name"), "PONUMBER": Field("referenceNumber"),
     "DOCNUMBER": Field("referenceNumber"), "DESCRIPTION": Field("description"), "TERMNAME": Field("term.id"),
     "WHENCREATED": date_field("invoiceDate"), "WHENPOSTED": date_field("postingDate"),
     "WHENDUE": date_field("dueDate"), "STATE": enum_field("state"), "CURRENCY": Field("currency.txnCurrency"),
     "TOTALENTERED": Field("totalTxnAmount"), "TOTALDUE": Field("totalTxnAmountDue"),
     "TOTALPAID": Field("totalTxnAmountPaid"), "EXTERNALID": Field("externalId"), "WHENMODIFIED": MODIFIED,
     "WHENPAID": ABSENT,
     # legacy create_invoice
     "customerid": _ref("customer"), "datecreated": date_field("invoiceDate"), "datedue": date_field("dueDate"),
     "termname": Field("term.id"), "invoiceno": Field("invoiceNumber"), "ponumber": Field("referenceNumber"),
     "description": Field("description"), "externalid": Field("externalId"),
     "currency": Field("currency.txnCurrency"), "action": enum_field("state", {"Draft": "draft"})},
    lines=Lines(("invoiceitems", "lineitem"), "lines", {**_LEGACY_AR_LINE, "amount": Field("txnAmount")}),
)

AR_ADJUSTMENT = RestObject(
    "ARADJUSTMENT", "accounts-receivable/adjustment",
    {"RECORDNO": Field("key"), "RECORDID": Field("adjustmentNumber"), "CUSTOMERID": _ref("customer"),
     "DOCNUMBER": Field("documentNumber"), "DESCRIPTION": Field("description"), "STATE": enum_field("state"),
     "EXTERNALID": Field("externalId"), "TOTALENTERED": Field("totalTxnAmount"), "TOTALDUE": Field("totalDue"),
     "WHENCREATED": date_field("createdDate"), "WHENMODIFIED": MODIFIED,
     # legacy create_aradjustment; `invoiceno` (the invoice a credit applies to) travels as documentNumber
     "customerid": _ref("customer"), "datecreated": date_field("createdDate"),
     "adjustmentno": Field("adjustmentNumber"), "invoiceno": Field("documentNumber"),
     "description": Field("description"), "externalid": Field("externalId"),
     "currency": Field("txnCurrency.currency"), "action": enum_field("state", {"Draft": "draft"})},
    lines=Lines(("aradjustmentitems", "lineitem"), "lines",
                {**_LEGACY_AR_LINE, "amount": Field("txnCurrency.amount")}),
)

AR_PAYMENT = RestObject(
    "ARPYMT", "accounts-receivable/payment",
    {"RECORDNO": Field("key"), "CUSTOMERID": _ref("customer"), "PAYMENTMETHOD": enum_field("paymentMethod"),
     "DOCNUMBER": Field("documentNumber"), "PAYERNAME": Field("payerName"), "DESCRIPTION": Field("description"),
     "RECEIPTDATE": date_field("paymentSummary.receiptDate"), "PAYMENTDATE": date_field("paymentDate"),
     "FINANCIALENTITY": Field("financialEntity.entityId"), "UNDEPOSITEDACCOUNTNO": _ref("undepositedGLAccount"),
     "CURRENCY": Field("txnCurrency.currency"), "TRX_AMOUNTTOPAY": Field("txnCurrency.totalAmount"),
     "TOTALENTERED": Field("txnCurrency.totalAmount"), "STATE": enum_field("state"),
     "TOTALPAID": Field("totalAmountPaid"), "WHENMODIFIED": MODIFIED},
    lines=Lines(("ARPYMTDETAILS", "ARPYMTDETAIL"), "paymentDetails", {
        "RECORDKEY": Field("arInvoice.key"), "ENTRYKEY": Field("arInvoiceLine.key"),
        "TRX_PAYMENTAMOUNT": Field("txnCurrency.paymentAmount"),
        # an open credit memo applied (SPEC-EX lists arAdjustment and inlineTxn; the emulator's default, ours)
        "ADJUSTMENTKEY": Field("arAdjustment.key"), "ADJUSTMENTENTRYKEY": Field("arAdjustmentLine.key"),
        "TRX_ADJUSTMENTAMOUNT": Field("txnCurrency.adjustmentAmount")}),
)

def _contact(xml: str = "DISPLAYCONTACT", rest: str = "contacts.default") -> dict[str, Field]:
    """A contact block (DISPLAYCONTACT.*) as the REST contact (`contacts.default.*`)."""
    return {f"{xml}.{name}": Field(f"{rest}.{to}") for name, to in (
        ("PRINTAS", "printAs"), ("COMPANYNAME", "companyName"), ("FIRSTNAME", "firstName"),
        ("LASTNAME", "lastName"), ("EMAIL1", "email1"), ("PHONE1", "phone1"),
        ("MAILADDRESS.ADDRESS1", "mailingAddress.addressLine1"),
        ("MAILADDRESS.ADDRESS2", "mailingAddress.addressLine2"), ("MAILADDRESS.CITY", "mailingAddress.city"),
        ("MAILADDRESS.STATE", "mailingAddress.state"), ("MAILADDRESS.ZIP", "mailingAddress.postCode"),
        ("MAILADDRESS.COUNTRY", "mailingAddress.country"))}


CUSTOMER = _master(
    "CUSTOMER", "accounts-receivable/customer", "CUSTOMERID", "NAME",
    PARENTID=_ref("parent"), TOTALDUE=Field("totalDue"), CREDITLIMIT=Field("creditLimit"),
    CURRENCY=Field("currency"), TERMNAME=Field("term.id"), ARACCOUNT=_ref("arAccount"), **_contact(),
)

VENDOR = _master(
    "VENDOR", "accounts-payable/vendor", "VENDORID", "NAME",
    TOTALDUE=Field("totalDue"), TERMNAME=Field("term.id"), APACCOUNT=_ref("apAccount"), TAXID=Field("taxId"),
    VENDTYPE=_ref("vendorType"), CURRENCY=Field("currency"), **_contact(),
)

ITEM = _master(
    "ITEM", "inventory-control/item", "ITEMID", "NAME",
    ITEMTYPE=enum_field("itemType", {t: camel(t) for t in ("Inventory", "Non-Inventory", "Non-Inventory (Purchase only)",
                                                          "Non-Inventory (Sales only)", "Kit", "Stockable Kit")}), EXTENDED_DESCRIPTION=Field("description"), BASEPRICE=Field("basePrice"),
    STANDARD_COST=Field("standardCost"), TAXABLE=Field("isTaxable"), PRODUCTLINEID=Field("productLine.id"),
    INCOMEACCTKEY=_ref("glAccounts.revenue"), EXPENSEACCTKEY=_ref("glAccounts.expense"),
)

AP_BILL = RestObject(
    "APBILL", "accounts-payable/bill",
    {"RECORDNO": Field("key"), "RECORDID": Field("billNumber"), "VENDORID": _ref("vendor"),
     "DOCNUMBER": Field("referenceNumber"), "DESCRIPTION": Field("description"), "TERMNAME": Field("term.id"),
     "WHENCREATED": date_field("createdDate"), "WHENPOSTED": date_field("postingDate"),
     "WHENDUE": date_field("dueDate"), "STATE": enum_field("state"), "CURRENCY": Field("currency.txnCurrency"),
     "TOTALENTERED": Field("totalTxnAmount"), "TOTALDUE": Field("totalTxnAmountDue"),
     "TOTALPAID": Field("totalTxnAmountPaid"), "WHENMODIFIED": MODIFIED},
    lines=Lines(("APBILLITEMS", "APBILLITEM"), "lines", {
        "ACCOUNTNO": _ref("glAccount"), "TRX_AMOUNT": Field("txnAmount"), "ENTRYDESCRIPTION": Field("memo"),
        **_dims(LOCATIONID="location", DEPARTMENTID="department", CLASSID="class", ITEMID="item",
                WAREHOUSEID="warehouse", PROJECTID="project", CUSTOMERID="customer", VENDORID="vendor",
                EMPLOYEEID="employee")}),
)

AP_ADJUSTMENT = RestObject(
    "APADJUSTMENT", "accounts-payable/adjustment",
    {"RECORDNO": Field("key"), "RECORDID": Field("adjustmentNumber"), "VENDORID": _ref("vendor"),
     "DOCNUMBER": Field("documentNumber"), "DESCRIPTION": Field("description"), "STATE": enum_field("state"),
     "EXTERNALID": Field("externalId"), "TOTALENTERED": Field("totalTxnAmount"), "TOTALDUE": Field("totalDue"),
     "WHENCREATED": date_field("createdDate"), "WHENMODIFIED": MODIFIED,
     # legacy create_apadjustment; `billno` (the bill a credit applies to) travels as documentNumber
     "vendorid": _ref("vendor"), "datecreated": date_field("createdDate"),
     "adjustmentno": Field("adjustmentNumber"), "billno": Field("documentNumber"),
     "description": Field("description"), "externalid": Field("externalId"),
     "currency": Field("txnCurrency.currency"), "action": enum_field("state", {"Draft": "draft"})},
    lines=Lines(("apadjustmentitems", "lineitem"), "lines",
                {**_LEGACY_AR_LINE, "amount": Field("txnCurrency.amount")}),
)

AP_TERM = RestObject("APTERM", "accounts-payable/term",
                     {"RECORDNO": Field("key"), "NAME": Field("id"), "STATUS": STATUS,
                      "DESCRIPTION": Field("description")}, id_field="NAME")

STOCK = RestObject(
    "ICITEMTOTAL", "inventory-control/item-warehouse-inventory",
    {"RECORDNO": Field("key"), "ITEMID": _ref("item"), "WAREHOUSEID": _ref("warehouse"),
     "ONHAND": Field("quantityOnHand"), "ONORDER": Field("quantityOnOrder"), "ONHOLD": Field("quantityOnHold"),
     "WHENMODIFIED": MODIFIED},
)

def _subtotals(value: Any) -> list[dict[str, Any]]:
    """Legacy `<subtotals><subtotal>` (description, total) as REST `subtotals` items."""
    items = [value] if isinstance(value, Mapping) else list(value or [])
    return [{"description": item.get("description"), "txnAmount": json_value(item.get("total"))} for item in items]


_SALES_HEADER = {
    "RECORDNO": Field("key"), "DOCID": Field("id"), "DOCNO": Field("documentNumber"),
    "DOCPARID": Field("transactionDefinition.id"), "CUSTVENDID": _ref("customer"),
    "CUSTVENDNAME": Field("customer.name"), "WHENCREATED": date_field("transactionDate"),
    "WHENDUE": date_field("dueDate"), "PONUMBER": Field("referenceNumber"), "MESSAGE": Field("message"),
    "EXTERNALID": Field("externalId"), "STATE": enum_field("state"), "TOTAL": Field("total"),
    "PRRECORDKEY": Field("arInvoice.key"), "WHENMODIFIED": MODIFIED,
    # legacy create_sotransaction (`transactiontype` is the path: order-entry/document::<type>)
    "datecreated": date_field("transactionDate"), "customerid": _ref("customer"),
    "documentno": Field("documentNumber"), "referenceno": Field("referenceNumber"), "termname": Field("term.id"),
    "datedue": date_field("dueDate"), "message": Field("message"), "shippingmethod": _ref("shippingMethod"),
    "externalid": Field("externalId"), "currency": Field("currency.txnCurrency"),
    "basecurr": Field("currency.baseCurrency"), "state": enum_field("state"), "createdfrom": Field("createdFrom"),
    "subtotals.subtotal": Field("subtotals", _subtotals),
}

_SALES_LINES = Lines(("sotransitems", "sotransitem"), "lines", {
    "itemid": _ref("item"), "itemdesc": Field("itemDescription"), "quantity": Field("quantity"),
    "unit": Field("unit"), "price": Field("price"), "warehouseid": _ref("warehouse"), "memo": Field("memo"),
    **_dims(locationid="location", departmentid="department", classid="class"),
})

#: Order Entry documents (reference §2.1, §4.1): read across types at `order-entry/document`, written at
#: `order-entry/document::<transaction definition>`; the body's field names are the emulator's reconstruction.
SALES_DOCUMENT = RestObject("SODOCUMENT", "order-entry/document", _SALES_HEADER, lines=_SALES_LINES,
                            id_field="DOCID", answers_id=True)


def sales_document(doctype: str) -> RestObject:
    """Where a `create_sotransaction` of the transaction definition `doctype` is written."""
    if not doctype:
        raise NotOnRest("a sales document needs its transaction type (transactiontype)")
    return RestObject("SODOCUMENT", f"{SALES_DOCUMENT.path}::{doctype}", _SALES_HEADER, lines=_SALES_LINES,
                      id_field="DOCID", answers_id=True)


OBJECTS: dict[str, RestObject] = {o.xml: o for o in (
    SALES_DOCUMENT, JOURNAL_ENTRY, JOURNAL_ENTRY_LINE, AR_INVOICE, AR_ADJUSTMENT, AR_PAYMENT, CUSTOMER, VENDOR, ITEM, AP_BILL, AP_ADJUSTMENT, AP_TERM, STOCK,
    _master("GLACCOUNT", "general-ledger/account", "ACCOUNTNO", "TITLE", ACCOUNTTYPE=Field("accountType"),
            NORMALBALANCE=enum_field("normalBalance")),
    _master("GLJOURNAL", "general-ledger/journal", "SYMBOL", "TITLE"),
    _master("LOCATION", "company-config/location", "LOCATIONID", "NAME", PARENTID=_ref("parent")),
    _master("DEPARTMENT", "company-config/department", "DEPARTMENTID", "TITLE", PARENTID=_ref("parent")),
    _master("CLASS", "company-config/class", "CLASSID", "NAME", PARENTID=_ref("parent")),
    _master("WAREHOUSE", "inventory-control/warehouse", "WAREHOUSEID", "NAME"),
    _master("LOCATIONENTITY", "company-config/entity", "LOCATIONID", "NAME"),
    _master("PROJECT", "projects/project", "PROJECTID", "NAME", DESCRIPTION=Field("description"),
            CUSTOMERID=_ref("customer"), PARENTID=_ref("parent")),
    _master("EMPLOYEE", "company-config/employee", "EMPLOYEEID", "PERSONALINFO.CONTACTNAME", TITLE=Field("title")),
    RestObject("ARTERM", "accounts-receivable/term", {"RECORDNO": Field("key"), "NAME": Field("id"), "STATUS": STATUS,
                                                      "DESCRIPTION": Field("description"), "WHENMODIFIED": MODIFIED},
               id_field="NAME"),
    RestObject("TAXDETAIL", "tax/tax-detail", {"RECORDNO": Field("key"), "DETAILID": Field("id"), "STATUS": STATUS,
                                               "DESCRIPTION": Field("description"), "TAXTYPE": enum_field("taxType"),
                                               "VALUE": Field("taxRate"), "WHENMODIFIED": MODIFIED},
               id_field="DETAILID"),
)}

#: Legacy functions and the object they create.
LEGACY_OBJECTS = {"create_invoice": AR_INVOICE, "create_aradjustment": AR_ADJUSTMENT,
                  "create_apadjustment": AP_ADJUSTMENT}
NOT_ON_REST: dict[str, str] = {}


def object_for(xml_object: str) -> RestObject:
    """The REST shape of an XML object; a platform object (a user-defined dimension) is `platform-apps/nsp::name`."""
    found = OBJECTS.get(xml_object.upper()) if xml_object.isupper() or xml_object.upper() in OBJECTS else None
    if found is not None:
        return found
    name = xml_object.lower()
    return RestObject(xml_object, f"platform-apps/nsp::{name}",
                      {"RECORDNO": Field("key"), "id": Field("id"), "name": Field("name"), "STATUS": STATUS,
                       "WHENMODIFIED": MODIFIED}, id_field="id")


# --- writes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestWrite:
    """One write as the REST client sends it: POST a new record, or PATCH the record whose `id` is `find_id`."""

    method: str
    shape: RestObject
    body: dict[str, Any]
    find_id: str | None = None       # PATCH: the record's id, resolved to its key by a query first


def _put(target: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _flat(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"DISPLAYCONTACT": {"EMAIL1": x}}` -> `{"DISPLAYCONTACT.EMAIL1": x}`, lists kept as values."""
    out: dict[str, Any] = {}
    for name, value in record.items():
        if isinstance(value, Mapping) and name not in ("customfields",):
            out.update(_flat(value, f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = value
    return out


def _custom_fields(value: Any) -> dict[str, Any]:
    """Legacy `customfields` ({customfield: [{customfieldname, customfieldvalue}]}) as line dimensions."""
    items = value.get("customfield", []) if isinstance(value, Mapping) else value or []
    items = [items] if isinstance(items, Mapping) else items
    return {item["customfieldname"]: item["customfieldvalue"] for item in items}


def _body(shape: RestObject, fields: Mapping[str, Field] | None, record: Mapping[str, Any],
          where: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    flat = _flat(record)
    custom = _custom_fields(flat.pop("customfields", None))
    for name, value in {**flat, **custom}.items():
        if value is None:
            continue
        fmap = (fields or {}).get(name) if fields is not None else None
        if fmap is None and fields is not None:
            fmap = _custom_dimension(name)
            if fmap is None:
                raise NotOnRest(f"{where}.{name} has no REST field known to the bridge ({shape.path}); "
                                "use the XML API for this workspace, or report the field")
        _put(body, (fmap or shape.field(name)).rest, (fmap or shape.field(name)).to_rest(value))
    return body


def _lines_of(record: Mapping[str, Any], lines: Lines) -> tuple[dict[str, Any], list[Mapping[str, Any]] | None]:
    container, item = lines.xml
    header = {k: v for k, v in record.items() if k != container}
    held = record.get(container)
    if held is None:
        return header, None
    items = held.get(item, []) if isinstance(held, Mapping) else held
    return header, [items] if isinstance(items, Mapping) else list(items)


def _dig(body: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(body, Mapping):
            return None
        body = body.get(part)
    return body


def _xml_of(fields: Mapping[str, Field], body: Mapping[str, Any]) -> dict[str, Any]:
    """The XML fields of one REST object (or line): each REST field once, under its gateway (upper-case) name when
    the shape has one, values in the gateway's spelling; a line's `dimensions.<name>.id` no field names is GLDIM<name>."""
    out: dict[str, Any] = {}
    taken: set[str] = set()
    for name, fmap in sorted(fields.items(), key=lambda item: item[0] != item[0].upper()):
        value = _dig(body, fmap.rest) if fmap.rest else None
        if value is None or fmap.rest in taken:
            continue
        taken.add(fmap.rest)
        out[name] = fmap.to_xml(value)
    for dimension, holder in (body.get("dimensions") or {}).items() if isinstance(body, Mapping) else ():
        if f"dimensions.{dimension}.id" not in taken and isinstance(holder, Mapping) and holder.get("id"):
            out[f"GLDIM{dimension.upper()}"] = holder["id"]
    return out


def record_of(shape: RestObject, body: Mapping[str, Any]) -> dict[str, Any]:
    """One REST object read by key as the gateway's `read` answers it: header fields, owned lines nested under
    the shape's XML container (`{"invoiceitems": {"lineitem": [...]}}`)."""
    record = _xml_of(shape.fields, body)
    if shape.lines is not None and isinstance(body.get(shape.lines.rest), list):
        container, item = shape.lines.xml
        record[container] = {item: [_xml_of(shape.lines.fields, line) for line in body[shape.lines.rest]
                                    if isinstance(line, Mapping)]}
    return record


def record_body(shape: RestObject, record: Mapping[str, Any]) -> dict[str, Any]:
    """One XML record (header and owned lines) as the REST JSON of `shape`."""
    header, items = _lines_of(record, shape.lines) if shape.lines else (dict(record), None)
    body = _body(shape, None, header, shape.xml)
    if shape.lines and items is not None:
        body[shape.lines.rest] = [_body(shape, shape.lines.fields, line, f"{shape.xml} line {n}")
                                  for n, line in enumerate(items, start=1)]
    return body


def write_of(function: Function) -> RestWrite:
    """The REST write of one XML write function (Create/Update of one record, or a legacy create_*)."""
    if isinstance(function, Legacy):
        if function.function_name in NOT_ON_REST:
            raise NotOnRest(NOT_ON_REST[function.function_name])
        if function.function_name == "create_sotransaction":
            fields = {k: v for k, v in function.fields.items() if k != "transactiontype"}
            shape = sales_document(str(function.fields.get("transactiontype") or ""))
            return RestWrite("POST", shape, record_body(shape, fields))
        shape = LEGACY_OBJECTS.get(function.function_name)
        if shape is None:
            raise NotOnRest(f"{function.function_name} has no REST shape known to the bridge; use the XML API for "
                            "this workspace (setting api = xml), or report the function")
        return RestWrite("POST", shape, record_body(shape, function.fields))
    if isinstance(function, (Create, Update)):
        records = function.records if isinstance(function.records, (list, tuple)) else [function.records]
        if len(records) != 1:
            raise NotOnRest("over REST each write function carries one record (the client batches them)")
        shape = object_for(function.object)
        body = record_body(shape, records[0])
        if isinstance(function, Create):
            return RestWrite("POST", shape, body)
        find_id = records[0].get(shape.id_field)
        if not find_id:
            raise NotOnRest(f"an update of {function.object} needs its {shape.id_field}")
        body.pop("id", None)  # immutable on REST; the record is named by its key in the path
        return RestWrite("PATCH", shape, body, str(find_id))
    raise NotOnRest(f"{function.name} has no REST shape known to the bridge")


# --- reads ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestRead:
    """A read function as a query-service read: the object, the fields, the filter, and how rows become its records."""

    object: str
    select: tuple[str, ...]
    filter: q.Filter | None
    records: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


_STOCK_FIELDS = ("ITEMID", "WAREHOUSEID", "ONHAND", "ONORDER", "ONHOLD")


def _item_totals(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stock rows in the shape of a `get_icitemtotals` answer (`itemtotal` entries, lower-case fields)."""
    return [{"itemtotal": [{name.lower(): row.get(name) for name in _STOCK_FIELDS} for row in rows]}]


@dataclass(frozen=True)
class RestGet:
    """A read function answered by one GET of a REST resource (a preferences object), and its records."""

    path: str
    records: Callable[[Any], list[dict[str, Any]]]


#: The General Ledger preferences: where the books' closed-through date is read (`get_companyprefs application=GL`
#: on XML). The reference names no REST object for it; this path and `booksClosedThrough` are the emulator's
#: (`rest_gl_setup_path`), after Fyle's `company-config/multi-entity-preference/setup`. UNVERIFIED.
GL_SETUP_PATH = "general-ledger/setup"
CLOSED_THROUGH_FIELD = "booksClosedThrough"


def _gl_preferences(result: Any) -> list[dict[str, Any]]:
    """The GL preferences as `get_companyprefs` rows (`BOOKSCLOSEDTHROUGH`, MM/DD/YYYY, empty when open)."""
    value = result.get(CLOSED_THROUGH_FIELD) if isinstance(result, Mapping) else None
    return [{"application": "GL", "preference": "BOOKSCLOSEDTHROUGH", "prefvalue": _xml_date(value) if value else ""}]


def read_of(function: Function) -> RestRead | RestGet:
    """The REST read of a read function the product sends with `execute` (legacy `get_icitemtotals` through the
    query service, `get_companyprefs application="GL"` through the GL preferences)."""
    if isinstance(function, Legacy) and function.function_name == "get_icitemtotals":
        wanted = [q.eq(name.upper(), value) for name, value in function.fields.items() if value]
        return RestRead("ICITEMTOTAL", _STOCK_FIELDS, q.and_(*wanted) if wanted else None, _item_totals)
    if isinstance(function, Legacy) and function.function_name == "get_companyprefs":
        application = str(function.attributes.get("application") or "").upper()
        if application != "GL":
            raise NotOnRest(f"the {application} company preferences have no REST read known to the bridge")
        return RestGet(GL_SETUP_PATH, _gl_preferences)
    raise NotOnRest(f"{function.name} has no REST read known to the bridge; read with iter_query")


_OPS = {"eq": "$eq", "ne": "$ne", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte", "between": "$between",
        "in": "$in", "notin": "$notIn"}


def _like(pattern: str, negate: bool) -> tuple[str, str]:
    """A LIKE pattern as the REST operator it means (`%x%` contains, `x%` starts with, `%x` ends with)."""
    core = pattern.strip("%")
    if "%" in core or "_" in core:
        raise NotOnRest(f"the LIKE pattern {pattern!r} has no REST query operator")
    starts, ends = pattern.startswith("%"), pattern.endswith("%")
    op = "$contains" if starts and ends else "$endsWith" if starts else "$startsWith" if ends else "$eq"
    if negate:
        op = {"$eq": "$ne"}.get(op, "$not" + op[1].upper() + op[2:])
    return op, core


def _filter_value(fmap: Field, value: Any) -> Any:
    out = fmap.to_rest(value)
    return out if isinstance(out, str) or out is None else json_value(out)


def _present(shape: RestObject, name: str) -> Field:
    fmap = shape.field(name)
    if not fmap.rest:
        raise NotOnRest(f"{shape.xml}.{name} is not on the REST object {shape.path}: it cannot be filtered or sorted on")
    return fmap


def filters_of(shape: RestObject, where: q.Filter | None) -> tuple[list[dict[str, Any]], str | None]:
    """A `query.Filter` as the query service's `filters` and `filterExpression` (conditions numbered from 1)."""
    conditions: list[dict[str, Any]] = []

    def walk(node: q.Filter) -> str:
        if isinstance(node, q.Group):
            inner = f" {node.kind} ".join(walk(item) for item in node.items)
            return f"({inner})"
        assert isinstance(node, q.Condition)
        fmap = _present(shape, node.field)
        if node.op in ("isnull", "isnotnull"):
            conditions.append({"$eq" if node.op == "isnull" else "$ne": {fmap.rest: None}})
        elif node.op in ("like", "notlike"):
            op, core = _like(str(node.values[0]), node.op == "notlike")
            conditions.append({op: {fmap.rest: core}})
        elif node.op in ("in", "notin", "between"):
            conditions.append({_OPS[node.op]: {fmap.rest: [_filter_value(fmap, v) for v in node.values]}})
        else:
            conditions.append({_OPS[node.op]: {fmap.rest: _filter_value(fmap, node.values[0])}})
        return str(len(conditions))

    if where is None:
        return [], None
    expression = walk(where)
    if len(conditions) == 1:
        return conditions, None
    return conditions, expression[1:-1] if expression.startswith("(") and expression.endswith(")") else expression


def order_of(shape: RestObject, order_by: Any) -> list[dict[str, str]]:
    out = []
    for item in order_by or ():
        name, direction = (item, "asc") if isinstance(item, str) else item
        out.append({_present(shape, name).rest: "desc" if direction.lower().startswith("desc") else "asc"})
    return out


def row_of(shape: RestObject, select: list[str], row: Mapping[str, Any]) -> dict[str, Any]:
    """One query-service row as the gateway's `query` answers it: the XML field names asked for, dotted ones
    nested (`DISPLAYCONTACT.FIRSTNAME` under `DISPLAYCONTACT`), values in its spelling, empty ones as ""."""
    out: dict[str, Any] = {}
    for name in select:
        fmap = shape.field(name)
        value = row.get(fmap.rest) if fmap.rest else None
        _put(out, name, "" if value is None else fmap.to_xml(value))
    return out
