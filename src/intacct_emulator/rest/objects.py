"""Which REST object is which backend object, and how their fields correspond (reference §3).

Each `RestObject` maps dotted REST field names (`glJournal.id`, `dimensions.location.id`)
onto the backend's stored field names (JOURNAL, LOCATION): the wire layer owns
no records of its own. `key` is always the backend RECORDNO; `id` is the
backend's id field (RECORDNO for transactions, which have none: JE `key` = `id`).
A REST object whose backend object is missing on this branch is listed in
`MISSING` (the extension point: declare it here once the backend has it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from intacct_emulator.backend.objects import OBJECTS as BACKEND_OBJECTS, get_object

#: stored enum value -> REST spelling, where it is not simply the camel-cased stored one
TXN_TYPE = (("1", "debit"), ("-1", "credit"))


@dataclass(frozen=True)
class FieldMap:
    """One REST field. `ref` names the backend object a `<name>.id` field points at (so `<name>.key` works too)."""

    rest: str
    stored: str
    ref: str | None = None
    values: tuple[tuple[str, str], ...] = ()  # (stored, rest) pairs of an enum that does not camel-case
    readonly: bool = False


@dataclass(frozen=True)
class LinesMap:
    rest: str  # "lines" / "paymentDetails"
    fields: tuple[FieldMap, ...]


@dataclass(frozen=True)
class RestObject:
    path: str  # application/object
    backend: str  # backend object name
    fields: tuple[FieldMap, ...]
    writer: str | None = "generic"  # generic | invoice | payment | adjustment | None (read only)
    lines: LinesMap | None = None
    ignored: tuple[str, ...] = ()  # REST fields accepted on input and not modelled (dotted prefixes)
    updatable: bool = True
    deletable: bool = True
    fixed: tuple[tuple[str, str], ...] = ()  # stored field = value every record of this object has (a document type)
    _by_rest: dict[str, FieldMap] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_rest.update({f.rest: f for f in self.fields})

    def field(self, rest: str) -> FieldMap | None:
        return self._by_rest.get(rest)


def ref(rest: str, stored: str, target: str, **kw: object) -> FieldMap:
    return FieldMap(f"{rest}.id", stored, ref=target, **kw)  # type: ignore[arg-type]


#: User-defined dimensions (the backend's `udd` objects: FUND, PROGRAM): each is the platform object
#: `platform-apps/nsp::<name>` (reference §3.1) and, on GL, AR and AP lines, `dimensions.<name>.id` onto the
#: GLDIM<NAME> line field. How a UDD value is written on a line is "not found" in the reference: ours.
UDDS = {o.name.lower(): o.name for o in BACKEND_OBJECTS.values() if o.udd}


def _udd_lines() -> dict[str, str]:
    return {name: f"GLDIM{backend}" for name, backend in UDDS.items()}


def _dimensions(**stored: str) -> tuple[FieldMap, ...]:
    """`dimensions.<name>.id` for a line; each keyword is REST name = stored field."""
    targets = {"location": "LOCATION", "department": "DEPARTMENT", "class": "CLASS", "customer": "CUSTOMER",
               "vendor": "VENDOR", "item": "ITEM", "warehouse": "WAREHOUSE", "project": "PROJECT",
               "employee": "EMPLOYEE", **UDDS}
    return tuple(FieldMap(f"dimensions.{name}.id", column, ref=targets.get(name)) for name, column in stored.items())


def _audit() -> tuple[FieldMap, ...]:
    return (FieldMap("audit.createdDateTime", "WHENCREATED", readonly=True),
            FieldMap("audit.modifiedDateTime", "WHENMODIFIED", readonly=True),
            FieldMap("audit.createdBy", "CREATEDBY", readonly=True),
            FieldMap("audit.modifiedBy", "MODIFIEDBY", readonly=True))


def _entity() -> tuple[FieldMap, ...]:
    return (FieldMap("entity.id", "MEGAENTITYID", readonly=True), FieldMap("entity.name", "MEGAENTITYNAME", readonly=True),
            FieldMap("entity.key", "MEGAENTITYKEY", readonly=True))


def _contact(rest: str, stored: str) -> tuple[FieldMap, ...]:
    """A contact block (`contacts.default`) onto the backend's dotted contact fields (DISPLAYCONTACT.*)."""
    pairs = (("printAs", "PRINTAS"), ("companyName", "COMPANYNAME"), ("firstName", "FIRSTNAME"),
             ("lastName", "LASTNAME"), ("email1", "EMAIL1"), ("phone1", "PHONE1"),
             ("mailingAddress.addressLine1", "MAILADDRESS.ADDRESS1"),
             ("mailingAddress.addressLine2", "MAILADDRESS.ADDRESS2"), ("mailingAddress.city", "MAILADDRESS.CITY"),
             ("mailingAddress.state", "MAILADDRESS.STATE"), ("mailingAddress.postCode", "MAILADDRESS.ZIP"),
             ("mailingAddress.country", "MAILADDRESS.COUNTRY"))
    return tuple(FieldMap(f"{rest}.{name}", f"{stored}.{column}") for name, column in pairs)


def _master(path: str, backend: str, id_: str, name: str, *extra: FieldMap, writer: str | None = "generic",
            ignored: tuple[str, ...] = ()) -> RestObject:
    """A master-data object: id, name, status, audit and entity, plus its own fields."""
    return RestObject(path, backend, (FieldMap("key", "RECORDNO", readonly=True), FieldMap("id", id_),
                                      FieldMap("name", name), FieldMap("status", "STATUS"),
                                      *extra, *_audit(), *_entity()), writer=writer, ignored=ignored)


JE_LINE_DIMENSIONS = _dimensions(location="LOCATION", department="DEPARTMENT", **{"class": "CLASSID"},
                                 customer="CUSTOMERID", vendor="VENDORID", item="ITEMID", project="PROJECTID",
                                 employee="EMPLOYEEID", contract="CONTRACTID", warehouse="WAREHOUSEID",
                                 task="TASKID", **_udd_lines())
AR_LINE_DIMENSIONS = _dimensions(location="LOCATIONID", department="DEPARTMENTID", **{"class": "CLASSID"},
                                 customer="CUSTOMERID", vendor="VENDORID", item="ITEMID", project="PROJECTID",
                                 employee="EMPLOYEEID", contract="CONTRACTID", warehouse="WAREHOUSEID",
                                 **_udd_lines())

JE_LINE_FIELDS = (
    FieldMap("key", "RECORDNO", readonly=True),
    FieldMap("lineNumber", "LINE_NO", readonly=True),
    FieldMap("txnType", "TR_TYPE", values=TXN_TYPE),
    FieldMap("txnAmount", "TRX_AMOUNT"),
    FieldMap("baseAmount", "AMOUNT"),
    ref("glAccount", "ACCOUNTNO", "GLACCOUNT"),
    FieldMap("documentId", "DOCUMENT"),
    FieldMap("description", "DESCRIPTION"),
    FieldMap("currency.txnCurrency", "CURRENCY"),
    FieldMap("currency.baseCurrency", "BASECURR"),
    FieldMap("isBillable", "BILLABLE"),
    *JE_LINE_DIMENSIONS,
)

JOURNAL_ENTRY = RestObject(
    "general-ledger/journal-entry", "GLBATCH",
    (FieldMap("key", "RECORDNO", readonly=True), FieldMap("id", "RECORDNO", readonly=True),
     FieldMap("txnNumber", "BATCHNO", readonly=True), ref("glJournal", "JOURNAL", "GLJOURNAL"),
     FieldMap("postingDate", "BATCH_DATE"), FieldMap("description", "BATCH_TITLE"),
     FieldMap("referenceNumber", "REFERENCENO"), FieldMap("state", "STATE"), FieldMap("reverseDate", "REVERSEDATE"),
     FieldMap("baseLocation.id", "BASELOCATION_NO"), FieldMap("moduleName", "MODULE", readonly=True),
     *_audit(), *_entity()),
    lines=LinesMap("lines", JE_LINE_FIELDS),
    ignored=("scheduledOperationKey", "attachment", "tax", "sequenceNumber"),
)

JOURNAL_ENTRY_LINE = RestObject(
    "general-ledger/journal-entry-line", "GLENTRY",
    (*JE_LINE_FIELDS, FieldMap("id", "RECORDNO", readonly=True), FieldMap("journalEntry.key", "BATCHNO", readonly=True),
     FieldMap("journalEntry.id", "BATCHNO", readonly=True), FieldMap("entryDate", "BATCH_DATE", readonly=True),
     FieldMap("state", "STATE", readonly=True), *_entity()),
    writer=None,
)

INVOICE_LINE_FIELDS = (
    FieldMap("key", "RECORDNO", readonly=True), FieldMap("lineNumber", "LINE_NO", readonly=True),
    FieldMap("txnAmount", "AMOUNT"), ref("glAccount", "ACCOUNTNO", "GLACCOUNT"),
    ref("overrideOffsetGLAccount", "OFFSETGLACCOUNTNO", "GLACCOUNT"), FieldMap("accountLabel.id", "ACCOUNTLABEL"),
    FieldMap("memo", "ENTRYDESCRIPTION"), FieldMap("totalTxnAmountDue", "TOTALDUE", readonly=True),
    FieldMap("totalTxnAmountPaid", "TOTALPAID", readonly=True), *AR_LINE_DIMENSIONS,
)

INVOICE = RestObject(
    "accounts-receivable/invoice", "ARINVOICE",
    (FieldMap("key", "RECORDNO", readonly=True), FieldMap("id", "RECORDNO", readonly=True),
     FieldMap("invoiceNumber", "RECORDID"), ref("customer", "CUSTOMERID", "CUSTOMER"),
     FieldMap("customer.name", "CUSTOMERNAME", readonly=True), FieldMap("referenceNumber", "PONUMBER"),
     FieldMap("description", "DESCRIPTION"), FieldMap("term.id", "TERMNAME"), FieldMap("invoiceDate", "WHENCREATED"),
     FieldMap("postingDate", "WHENPOSTED"), FieldMap("dueDate", "WHENDUE"), FieldMap("state", "STATE"),
     FieldMap("currency.txnCurrency", "CURRENCY"), FieldMap("currency.baseCurrency", "BASECURR"),
     FieldMap("totalTxnAmount", "TOTALENTERED", readonly=True), FieldMap("totalTxnAmountDue", "TOTALDUE", readonly=True),
     FieldMap("totalTxnAmountPaid", "TOTALPAID", readonly=True), FieldMap("recordType", "RECORDTYPE", readonly=True),
     FieldMap("externalId", "EXTERNALID"), *_audit(), *_entity()),
    writer="invoice", lines=LinesMap("lines", INVOICE_LINE_FIELDS), updatable=False,
    ignored=("customerMessage", "contacts", "currency.exchangeRate", "attachment"),
)

#: A credit memo a payment detail applies (SPEC-EX payment-detail lists `arAdjustment(Line)` and `inlineTxn(Line)`
#: with `txnCurrency.{paymentAmount, inlineAmount, ...}`; which one names a credit memo is UNVERIFIED). Each form
#: pairs its reference with its amount; `rest_credit_detail` says which one the emulator takes (the other is an
#: unknown field, 400 REST-1043).
CREDIT_DETAILS = {"arAdjustment": "txnCurrency.adjustmentAmount", "inlineTxn": "txnCurrency.inlineAmount"}


def credit_detail(name: str) -> tuple[FieldMap, ...]:
    return (ref(name, "ADJUSTMENTKEY", "ARADJUSTMENT"), FieldMap(f"{name}Line.key", "ADJUSTMENTENTRYKEY"),
            FieldMap(CREDIT_DETAILS[name], "TRX_ADJUSTMENTAMOUNT"))


PAYMENT = RestObject(
    "accounts-receivable/payment", "ARPYMT",
    (FieldMap("key", "RECORDNO", readonly=True), FieldMap("id", "RECORDNO", readonly=True),
     ref("customer", "CUSTOMERID", "CUSTOMER"), FieldMap("paymentMethod", "PAYMENTMETHOD"),
     FieldMap("documentNumber", "DOCNUMBER"), FieldMap("payerName", "PAYERNAME"), FieldMap("description", "DESCRIPTION"),
     FieldMap("paymentSummary.receiptDate", "RECEIPTDATE"), FieldMap("paymentDate", "PAYMENTDATE"),
     FieldMap("financialEntity.entityId", "FINANCIALENTITY"), FieldMap("undepositedGLAccount.id", "UNDEPOSITEDACCOUNTNO"),
     FieldMap("txnCurrency.currency", "CURRENCY"), FieldMap("baseCurrency.currency", "BASECURR"),
     FieldMap("txnCurrency.totalAmount", "TRX_AMOUNTTOPAY"), FieldMap("state", "STATE", readonly=True),
     FieldMap("totalAmountPaid", "TOTALPAID", readonly=True), *_audit(), *_entity()),
    writer="payment",
    lines=LinesMap("paymentDetails", (ref("arInvoice", "RECORDKEY", "ARINVOICE"),
                                      FieldMap("arInvoiceLine.key", "ENTRYKEY"),
                                      FieldMap("txnCurrency.paymentAmount", "TRX_PAYMENTAMOUNT"),
                                      *(field for name in CREDIT_DETAILS for field in credit_detail(name)))),
    updatable=False, deletable=False,
)

ADJUSTMENT = RestObject(
    "accounts-receivable/adjustment", "ARADJUSTMENT",
    (FieldMap("key", "RECORDNO", readonly=True), FieldMap("id", "RECORDNO", readonly=True),
     FieldMap("adjustmentNumber", "RECORDID"), ref("customer", "CUSTOMERID", "CUSTOMER"),
     FieldMap("createdDate", "WHENCREATED"), FieldMap("postingDate", "WHENPOSTED"),
     FieldMap("description", "DESCRIPTION"), FieldMap("documentNumber", "DOCNUMBER"), FieldMap("state", "STATE"),
     FieldMap("externalId", "EXTERNALID"),
     FieldMap("txnCurrency.currency", "CURRENCY"), FieldMap("baseCurrency.currency", "BASECURR"),
     FieldMap("totalTxnAmount", "TOTALENTERED", readonly=True), FieldMap("totalDue", "TOTALDUE", readonly=True),
     FieldMap("txnType", "RECORDTYPE", readonly=True), *_audit(), *_entity()),
    writer="adjustment",
    lines=LinesMap("lines", (FieldMap("txnCurrency.amount", "AMOUNT"), ref("glAccount", "ACCOUNTNO", "GLACCOUNT"),
                             ref("overrideOffsetGLAccount", "OFFSETGLACCOUNTNO", "GLACCOUNT"),
                             FieldMap("memo", "ENTRYDESCRIPTION"), *AR_LINE_DIMENSIONS)),
    updatable=False, ignored=("adjustmentSummary", "baseCurrency.paidDate", "txnCurrency.currency"),
)

STOCK = RestObject(
    "inventory-control/item-warehouse-inventory", "ICITEMTOTAL",
    (FieldMap("key", "RECORDNO", readonly=True), FieldMap("id", "RECORDNO", readonly=True),
     ref("item", "ITEMID", "ITEM"), ref("warehouse", "WAREHOUSEID", "WAREHOUSE"),
     FieldMap("quantityOnHand", "ONHAND"), FieldMap("quantityOnOrder", "ONORDER"), FieldMap("quantityOnHold", "ONHOLD")),
    writer=None,
)

AP_LINE_DIMENSIONS = _dimensions(location="LOCATIONID", department="DEPARTMENTID", **{"class": "CLASSID"},
                                 customer="CUSTOMERID", vendor="VENDORID", item="ITEMID", project="PROJECTID",
                                 employee="EMPLOYEEID", contract="CONTRACTID", warehouse="WAREHOUSEID",
                                 **_udd_lines())

# Declared against the APBILL/APTERM objects being added to the backend on another branch (generic create
# with the bill hooks, like ARPYMT); served once the backend has them, listed in MISSING until then.
BILL = RestObject(
    "accounts-payable/bill", "APBILL",
    (FieldMap("key", "RECORDNO", readonly=True), FieldMap("id", "RECORDNO", readonly=True),
     FieldMap("billNumber", "RECORDID"), ref("vendor", "VENDORID", "VENDOR"),
     FieldMap("vendor.name", "VENDORNAME", readonly=True), FieldMap("referenceNumber", "DOCNUMBER"),
     FieldMap("description", "DESCRIPTION"), FieldMap("term.id", "TERMNAME"), FieldMap("createdDate", "WHENCREATED"),
     FieldMap("postingDate", "WHENPOSTED"), FieldMap("dueDate", "WHENDUE"), FieldMap("state", "STATE", readonly=True),
     FieldMap("currency.txnCurrency", "CURRENCY"), FieldMap("currency.baseCurrency", "BASECURR"),
     FieldMap("totalTxnAmount", "TOTALENTERED", readonly=True), FieldMap("totalTxnAmountDue", "TOTALDUE", readonly=True),
     FieldMap("totalTxnAmountPaid", "TOTALPAID", readonly=True), FieldMap("recordType", "RECORDTYPE", readonly=True),
     *_audit(), *_entity()),
    lines=LinesMap("lines", (FieldMap("key", "RECORDNO", readonly=True), FieldMap("txnAmount", "TRX_AMOUNT"),
                             ref("glAccount", "ACCOUNTNO", "GLACCOUNT"), FieldMap("memo", "ENTRYDESCRIPTION"),
                             *AP_LINE_DIMENSIONS)),
    updatable=False,
    ignored=("contacts", "currency.exchangeRate", "attachment", "isTaxInclusive", "paymentPriority", "isOnHold",
             "discountCutOffDate", "recommendedPaymentDate", "lines.hasForm1099", "lines.project",
             "lines.totalTxnAmount"),
)

AP_ADJUSTMENT = RestObject(
    "accounts-payable/adjustment", "APADJUSTMENT",
    (FieldMap("key", "RECORDNO", readonly=True), FieldMap("id", "RECORDNO", readonly=True),
     FieldMap("adjustmentNumber", "RECORDID"), ref("vendor", "VENDORID", "VENDOR"),
     FieldMap("createdDate", "WHENCREATED"), FieldMap("postingDate", "WHENPOSTED"),
     FieldMap("description", "DESCRIPTION"), FieldMap("documentNumber", "DOCNUMBER"), FieldMap("state", "STATE"),
     FieldMap("externalId", "EXTERNALID"),
     FieldMap("txnCurrency.currency", "CURRENCY"), FieldMap("baseCurrency.currency", "BASECURR"),
     FieldMap("totalTxnAmount", "TOTALENTERED", readonly=True), FieldMap("totalDue", "TOTALDUE", readonly=True),
     FieldMap("txnType", "RECORDTYPE", readonly=True), *_audit(), *_entity()),
    writer="ap_adjustment",
    lines=LinesMap("lines", (FieldMap("txnCurrency.amount", "AMOUNT"), ref("glAccount", "ACCOUNTNO", "GLACCOUNT"),
                             FieldMap("memo", "ENTRYDESCRIPTION"), *AP_LINE_DIMENSIONS)),
    updatable=False, ignored=("adjustmentSummary", "baseCurrency.paidDate", "txnCurrency.currency"),
)

DECLARED: tuple[RestObject, ...] = (
    JOURNAL_ENTRY, JOURNAL_ENTRY_LINE, INVOICE, PAYMENT, ADJUSTMENT, AP_ADJUSTMENT, STOCK, BILL,
    _master("accounts-payable/term", "APTERM", "NAME", "NAME", FieldMap("description", "DESCRIPTION"),
            FieldMap("dueDate.days", "DUEDATE")),
    _master("accounts-receivable/term", "ARTERM", "NAME", "NAME", FieldMap("description", "DESCRIPTION")),

    _master("general-ledger/account", "GLACCOUNT", "ACCOUNTNO", "TITLE", FieldMap("accountType", "ACCOUNTTYPE"),
            FieldMap("normalBalance", "NORMALBALANCE"), FieldMap("closingType", "CLOSINGTYPE"),
            FieldMap("category", "CATEGORY")),
    _master("general-ledger/journal", "GLJOURNAL", "SYMBOL", "TITLE", FieldMap("isAdjustment", "ADJ")),
    _master("company-config/location", "LOCATION", "LOCATIONID", "NAME", ref("parent", "PARENTID", "LOCATION"),
            FieldMap("currency", "CURRENCY")),
    _master("company-config/department", "DEPARTMENT", "DEPARTMENTID", "TITLE",
            ref("parent", "PARENTID", "DEPARTMENT")),
    _master("company-config/class", "CLASS", "CLASSID", "NAME", FieldMap("description", "DESCRIPTION"),
            ref("parent", "PARENTID", "CLASS")),
    _master("platform-apps/nsp::fund", "FUND", "id", "name", FieldMap("description", "description"),
            FieldMap("isRestricted", "RESTRICTED")),
    *(_master(f"platform-apps/nsp::{name}", backend, "id", "name", FieldMap("description", "description"))
      for name, backend in UDDS.items() if name != "fund"),
    _master("accounts-receivable/customer", "CUSTOMER", "CUSTOMERID", "NAME", ref("parent", "PARENTID", "CUSTOMER"),
            FieldMap("totalDue", "TOTALDUE", readonly=True), FieldMap("creditLimit", "CREDITLIMIT"),
            FieldMap("currency", "CURRENCY"), FieldMap("term.id", "TERMNAME"),
            *_contact("contacts.default", "DISPLAYCONTACT"),
            ref("arAccount", "ARACCOUNT", "GLACCOUNT"),
            ignored=("contacts.primary", "contacts.billTo", "contacts.shipTo", "contacts.default.contactName")),
    _master("accounts-payable/vendor", "VENDOR", "VENDORID", "NAME", FieldMap("totalDue", "TOTALDUE", readonly=True),
            FieldMap("term.id", "TERMNAME"), ref("apAccount", "APACCOUNT", "GLACCOUNT"), FieldMap("taxId", "TAXID"),
            FieldMap("vendorType.id", "VENDTYPE"), FieldMap("currency", "CURRENCY"),
            *_contact("contacts.default", "DISPLAYCONTACT"),
            ignored=("contacts.primary", "contacts.payTo", "contacts.returnTo", "contacts.default.contactName")),
    _master("inventory-control/item", "ITEM", "ITEMID", "NAME", FieldMap("itemType", "ITEMTYPE"),
            FieldMap("description", "EXTENDED_DESCRIPTION"), FieldMap("basePrice", "BASEPRICE"),
            FieldMap("standardCost", "STANDARD_COST"), FieldMap("isTaxable", "TAXABLE"), FieldMap("productLine.id", "PRODUCTLINEID"),
            ref("glAccounts.revenue", "INCOMEACCTKEY", "GLACCOUNT"),
            ref("glAccounts.expense", "EXPENSEACCTKEY", "GLACCOUNT")),
    _master("inventory-control/warehouse", "WAREHOUSE", "WAREHOUSEID", "NAME",
            ref("location", "LOC.LOCATIONID", "LOCATION")),
    _master("company-config/entity", "LOCATIONENTITY", "LOCATIONID", "NAME", writer=None),
    # the reference data and dimensions a workspace pulls (issue 10): projects (reference §3.2), employees and tax
    # details (paths ours: company-config/employee, tax/tax-detail; an employee's `name` is its contact's name)
    _master("projects/project", "PROJECT", "PROJECTID", "NAME", FieldMap("description", "DESCRIPTION"),
            ref("customer", "CUSTOMERID", "CUSTOMER"), ref("parent", "PARENTID", "PROJECT"),
            ref("location", "LOCATIONID", "LOCATION"), ref("department", "DEPARTMENTID", "DEPARTMENT")),
    _master("company-config/employee", "EMPLOYEE", "EMPLOYEEID", "PERSONALINFO.CONTACTNAME",
            FieldMap("title", "TITLE"), ref("location", "LOCATIONID", "LOCATION"),
            ref("department", "DEPARTMENTID", "DEPARTMENT")),
    _master("tax/tax-detail", "TAXDETAIL", "DETAILID", "DETAILID", FieldMap("description", "DESCRIPTION"),
            FieldMap("taxType", "TAXTYPE"), FieldMap("taxRate", "VALUE"), ref("glAccount", "GLACCOUNT", "GLACCOUNT")),
)

SALES_DOCUMENT_FIELDS = (
    FieldMap("key", "RECORDNO", readonly=True), FieldMap("id", "DOCID", readonly=True),
    FieldMap("documentNumber", "DOCNO"), FieldMap("transactionDefinition.id", "DOCPARID", readonly=True),
    ref("customer", "CUSTVENDID", "CUSTOMER"), FieldMap("customer.name", "CUSTVENDNAME", readonly=True),
    FieldMap("transactionDate", "WHENCREATED"), FieldMap("dueDate", "WHENDUE"),
    FieldMap("referenceNumber", "PONUMBER"), FieldMap("message", "MESSAGE"), FieldMap("term.id", "TERM.NAME"),
    FieldMap("externalId", "EXTERNALID"), FieldMap("state", "STATE"), FieldMap("shippingMethod.id", "SHIPVIA"),
    FieldMap("createdFrom", "CREATEDFROM"), FieldMap("currency.txnCurrency", "CURRENCY"),
    FieldMap("currency.baseCurrency", "BASECURR"), FieldMap("subtotal", "SUBTOTAL", readonly=True),
    FieldMap("total", "TOTAL", readonly=True), FieldMap("totalTxnAmount", "TRX_TOTAL", readonly=True),
    ref("arInvoice", "PRRECORDKEY", "ARINVOICE", readonly=True), *_audit(), *_entity(),
)

SALES_DOCUMENT_LINE_FIELDS = (
    FieldMap("key", "RECORDNO", readonly=True), FieldMap("lineNumber", "LINE_NO", readonly=True),
    ref("item", "ITEMID", "ITEM"), FieldMap("itemDescription", "ITEMDESC"), FieldMap("quantity", "QUANTITY"),
    FieldMap("unit", "UNIT"), FieldMap("price", "PRICE"), FieldMap("txnAmount", "TOTAL", readonly=True),
    ref("warehouse", "WAREHOUSE.LOCATIONID", "WAREHOUSE"), FieldMap("memo", "MEMO"),
    *_dimensions(location="LOCATION", department="DEPARTMENT", **{"class": "CLASSID"}),
)

#: Order Entry documents (reference §2.1: `/objects/order-entry/document::Sales%20Invoice/453`, the type in the
#: path; §4.1 the same as a query object). The field names are ours (reconstructed: the reference quotes no
#: document body); `subtotals` (tax amounts) is accepted and dropped, as the XML side drops `<subtotals>`.
DOCUMENT_PREFIX = "order-entry/document"
ALL_DOCUMENTS = RestObject(DOCUMENT_PREFIX, "SODOCUMENT", SALES_DOCUMENT_FIELDS, writer=None,
                           lines=LinesMap("lines", SALES_DOCUMENT_LINE_FIELDS))


def document_object(doctype: str) -> RestObject:
    """`order-entry/document::<type>`: the documents of one transaction definition, written through its rules."""
    return RestObject(f"{DOCUMENT_PREFIX}::{doctype}", "SODOCUMENT", SALES_DOCUMENT_FIELDS, writer="sales_document",
                      lines=LinesMap("lines", SALES_DOCUMENT_LINE_FIELDS), updatable=False, deletable=False,
                      fixed=(("DOCPARID", doctype),), ignored=("subtotals",))


#: The REST objects served: every declared one whose backend object exists.
OBJECTS: dict[str, RestObject] = {o.path: o for o in DECLARED if get_object(o.backend) is not None}

#: The extension point: REST objects the product uses that this emulator cannot serve yet, and why.
#: A declared object whose backend object is missing lands here by itself; add the backend object and it is served.
#: Asked for, they answer 404 naming the gap.
MISSING = {
    **{o.path: f"the backend has no {o.backend} object yet" for o in DECLARED if o.path not in OBJECTS},
    "accounts-payable/bill-line": "bill lines are read through their bill (GET accounts-payable/bill/{key})",
}


def get(path: str) -> RestObject | None:
    if path == DOCUMENT_PREFIX:
        return ALL_DOCUMENTS
    if path.startswith(DOCUMENT_PREFIX + "::") and len(path) > len(DOCUMENT_PREFIX) + 2:
        return document_object(path[len(DOCUMENT_PREFIX) + 2:])
    return OBJECTS.get(path)
