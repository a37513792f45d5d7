"""Receivables and payables objects: customers, vendors, AR invoices and AR payments."""

from __future__ import annotations

from .catalogue import (
    Lines, ObjectDef, audit, boolean, contact, date, decimal, enum, integer, megaentity, recordno, status, text, texts,
    timestamp,
)

def contact_ref(prefix: str) -> tuple:
    """A contact block that names a CONTACT record (BILLTO, SHIPTO): its CONTACTNAME refers to the contact,
    the other parts are a copy of the contact's details, as a customer read shows them."""
    return (text(f"{prefix}.CONTACTNAME", ref="CONTACT"), *contact(prefix)[1:])


def balances() -> tuple:
    """TOTALENTERED/TOTALPAID/TOTALDUE and their transaction-currency (TRX_) copies, kept by the emulator."""
    return tuple(decimal(f"{prefix}TOTAL{part}", readonly=True) for prefix in ("", "TRX_")
                 for part in ("ENTERED", "PAID", "DUE"))


PAYMENT_METHODS = (
    "Printed Check", "Cash", "EFT", "Credit Card", "Online", "Online Charge Card", "Online ACH Debit", "Record Transfer",
)

CUSTOMER = ObjectDef(
    name="CUSTOMER",
    label="Customer",
    id_field="CUSTOMERID",
    name_field="NAME",
    writable=True,
    dimension_label="Customer",
    fields=(
        recordno(),
        text("CUSTOMERID", required=True),
        text("NAME", required=True),
        text("ENTITY", readonly=True),
        integer("PARENTKEY", readonly=True),
        text("PARENTID", ref="CUSTOMER"),
        text("PARENTNAME", readonly=True),
        *contact("DISPLAYCONTACT"),
        text("CONTACTINFO.CONTACTNAME", ref="CONTACT"),
        *contact_ref("BILLTO"),
        *contact_ref("SHIPTO"),
        text("CONTACT_LIST_INFO"),
        text("CUSTTYPE"),
        *texts("CUSTREPID", "CUSTREPNAME", "TERMNAME", "TERRITORYID", "SHIPPINGMETHOD", "RESALENO", "TAXID"),
        decimal("TOTALDUE", readonly=True),
        decimal("CREDITLIMIT"),
        integer("GLGRPKEY", readonly=True),
        text("GLGROUP"),
        text("ARACCOUNT", ref="GLACCOUNT"),
        text("ARACCOUNTTITLE", readonly=True),
        text("ACCOUNTLABEL"),
        text("CURRENCY"),
        status(),
        boolean("ONETIME"),
        boolean("ONHOLD"),
        boolean("EMAILOPTIN"),
        enum("DELIVERY_OPTIONS", ("Print", "E-Mail", "Print#~#E-Mail")),
        text("COMMENTS"),
        enum("OBJECTRESTRICTION", ("Unrestricted", "RootOnly", "Restricted")),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

VENDOR = ObjectDef(
    name="VENDOR",
    label="Vendor",
    id_field="VENDORID",
    name_field="NAME",
    writable=True,
    dimension_label="Vendor",
    fields=(
        recordno(),
        text("VENDORID", required=True),
        text("NAME", required=True),
        integer("PARENTKEY", readonly=True),
        text("PARENTID", ref="VENDOR"),
        text("PARENTNAME", readonly=True),
        *contact("DISPLAYCONTACT"),
        *texts("PAYTO.CONTACTNAME", "RETURNTO.CONTACTNAME", "CONTACTINFO.CONTACTNAME"),
        *texts("VENDORACCOUNTNO", "VENDTYPE", "ACCOUNTLABEL", "TERMNAME", "TAXID", "NAME1099", "FORM1099TYPE"),
        text("APACCOUNT", ref="GLACCOUNT"),
        text("APACCOUNTTITLE", readonly=True),
        decimal("TOTALDUE", readonly=True),
        decimal("CREDITLIMIT"),
        text("CURRENCY"),
        text("PAYMETHODKEY"),
        status(),
        boolean("ONETIME"),
        boolean("ONHOLD"),
        text("COMMENTS"),
        enum("OBJECTRESTRICTION", ("Unrestricted", "RootOnly", "Restricted")),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

ARINVOICE_LINE_FIELDS = (
    integer("RECORDNO", readonly=True),
    integer("RECORDKEY", readonly=True),
    integer("LINE_NO", readonly=True),
    text("ACCOUNTNO", required=True, ref="GLACCOUNT"),
    text("OFFSETGLACCOUNTNO", ref="GLACCOUNT"),
    text("ACCOUNTLABEL"),
    decimal("AMOUNT", required=True),
    decimal("TRX_AMOUNT"),
    decimal("TOTALPAID", readonly=True),
    decimal("TOTALDUE", readonly=True),
    text("ENTRYDESCRIPTION", label="Memo"),
    text("LOCATIONID", ref="LOCATION"),
    text("DEPARTMENTID", ref="DEPARTMENT"),
    text("CLASSID", ref="CLASS"),
    text("CUSTOMERID", ref="CUSTOMER"),
    text("ITEMID", ref="ITEM"),
    text("WAREHOUSEID", ref="WAREHOUSE"),
    *texts("PROJECTID", "VENDORID", "EMPLOYEEID", "CONTRACTID"),
    text("GLDIMFUND", ref="FUND"),
    text("GLDIMPROGRAM", ref="PROGRAM"),  # a second user-defined dimension (objects_ref)
)

ARINVOICE = ObjectDef(
    name="ARINVOICE",
    label="AR Invoice",
    ref_field="RECORDID",
    name_field="DESCRIPTION",
    lines=Lines("ARINVOICEITEMS", "arinvoiceitem", ARINVOICE_LINE_FIELDS),
    fields=(
        recordno(),
        text("RECORDID", label="Invoice number"),
        enum("STATE", ("Posted", "Draft", "Paid", "Partially Paid", "Reversed", "Selected")),
        text("CUSTOMERID", required=True, ref="CUSTOMER"),
        text("CUSTOMERNAME", readonly=True),
        *texts("DOCNUMBER", "DESCRIPTION", "DESCRIPTION2", "TERMNAME", "PONUMBER"),
        date("WHENCREATED", label="Invoice date"),
        date("WHENPOSTED"),
        date("WHENDISCOUNT"),
        date("WHENDUE"),
        date("WHENPAID"),
        text("BASECURR"),
        text("CURRENCY"),
        date("EXCH_RATE_DATE"),
        text("EXCH_RATE_TYPE_ID"),
        decimal("EXCHANGE_RATE"),
        decimal("TOTALENTERED", readonly=True),
        decimal("TOTALSELECTED", readonly=True),
        decimal("TOTALPAID", readonly=True),
        decimal("TOTALDUE", readonly=True),
        decimal("TRX_TOTALENTERED", readonly=True),
        decimal("TRX_TOTALPAID", readonly=True),
        decimal("TRX_TOTALDUE", readonly=True),
        *texts("BILLTOPAYTOCONTACTNAME", "SHIPTORETURNTOCONTACTNAME", "PRBATCH", "SUPDOCID", "EXTERNALID"),
        *texts("CUSTMESSAGEID", "CUSTMESSAGE.MESSAGE"),
        *contact("CONTACT"),
        *contact("SHIPTO"),
        *contact("BILLTO"),
        *texts("SHIPTO.VISIBLE", "BILLTO.VISIBLE", "SHIPTO.TAXGROUP.NAME", "SHIPTO.TAXID", "SHIPTO.TAXGROUP.RECORDNO"),
        integer("DUE_IN_DAYS", readonly=True),
        *texts("TAXSOLUTIONID", "TAXMETHOD"),
        decimal("RETAINAGEPERCENTAGE"),
        decimal("TRX_TOTALRETAINED", readonly=True),
        decimal("TRX_TOTALRELEASED", readonly=True),
        decimal("TOTALRETAINED", readonly=True),
        integer("PRRECORDKEY", readonly=True),
        text("MODULEKEY", readonly=True),
        boolean("SYSTEMGENERATED", readonly=True),
        timestamp("AUWHENCREATED", readonly=True, label="Audit when created"),
        *audit()[1:],  # WHENCREATED is the invoice date on ARINVOICE
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

ARPYMT_DETAIL_FIELDS = (
    integer("RECORDNO", readonly=True),
    integer("RECORDKEY", required=True, ref="ARINVOICE", label="Invoice record number"),
    integer("ENTRYKEY"),
    decimal("TRX_PAYMENTAMOUNT"),  # required unless the detail applies a credit
    decimal("PAYMENTAMOUNT", readonly=True),
    integer("ADJUSTMENTKEY", ref="ARADJUSTMENT", label="Credit memo record number"),
    integer("ADJUSTMENTENTRYKEY"),
    decimal("TRX_ADJUSTMENTAMOUNT", label="Credit applied"),
)

ARPYMT = ObjectDef(
    name="ARPYMT",
    label="AR Payment",
    writable=True,  # generic create only (see functions.writes.NOT_UPDATABLE)
    ref_field="DOCNUMBER",
    name_field="DESCRIPTION",
    lines=Lines("ARPYMTDETAILS", "ARPYMTDETAIL", ARPYMT_DETAIL_FIELDS),
    fields=(
        recordno(),
        integer("PRBATCHKEY", readonly=True),
        text("PRBATCH"),
        text("RECORDTYPE", readonly=True),
        text("DOCNUMBER", label="Reference number"),
        text("DESCRIPTION"),
        text("CUSTOMERID", ref="CUSTOMER", label="Customer ID (or PAYERNAME for several customers)"),
        text("CUSTOMERNAME", readonly=True),
        enum("PAYMENTMETHOD", PAYMENT_METHODS, required=True),
        enum("ACTION", ("Draft", "Submit"), label="Draft or submit"),
        date("RECEIPTDATE", required=True),
        date("PAYMENTDATE"),
        date("WHENPAID"),
        text("FINANCIALENTITY", label="Bank account"),
        *texts("FINANCIALENTITYTYPE", "FINANCIALACCOUNTNAME", "FINANCIALACCOUNTCURRENCY", "SUMMARYTITLE"),
        text("UNDEPOSITEDACCOUNTNO", ref="GLACCOUNT", label="Undeposited funds account"),
        enum("STATE", ("Posted", "Draft", "Confirmed", "Voided")),
        text("DISPLAYSTATE", readonly=True),
        *texts("PAYMENTMETHODKEY", "PAYERNAME", "BILLTOPAYTONAME", "BILLTOPAYTOKEY", "RECORDID", "SUPDOCID"),
        date("WHENCREATED", readonly=True, label="Payment date"),
        text("BASECURR"),
        text("CURRENCY"),
        date("EXCH_RATE_DATE"),
        text("EXCH_RATE_TYPE_ID"),
        decimal("EXCHANGE_RATE"),
        decimal("AMOUNTOPAY"),  # the docs' spelling in the parameter table
        decimal("AMOUNTTOPAY"),  # the docs' spelling in their examples
        decimal("TRX_AMOUNTTOPAY"),
        decimal("TOTALENTERED", readonly=True),
        decimal("TOTALPAID", readonly=True),
        decimal("TOTALDUE", readonly=True),
        decimal("TRX_TOTALENTERED", readonly=True),
        decimal("TRX_TOTALPAID", readonly=True),
        decimal("TRX_TOTALDUE", readonly=True),
        boolean("CLEARED", readonly=True),
        date("CLRDATE", readonly=True),
        *texts("PARENTPAYMENTKEY", "TAXSOLUTIONID", "MULTIENTITYPYMTKEY"),
        decimal("OVERPAYMENTAMOUNT"),
        text("OVERPAYMENTLOCATIONID", ref="LOCATION"),
        text("OVERPAYMENTDEPARTMENTID", ref="DEPARTMENT"),
        text("BILLTOPAYNAME"),
        timestamp("AUWHENCREATED", readonly=True),
        *audit()[1:],  # WHENCREATED is the payment date on ARPYMT
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

CONTACT = ObjectDef(
    name="CONTACT",
    label="Contact",
    id_field="CONTACTNAME",
    name_field="PRINTAS",
    writable=True,
    fields=(
        recordno(),
        text("CONTACTNAME", required=True),
        *texts("PREFIX", "FIRSTNAME", "INITIAL", "LASTNAME", "COMPANYNAME"),
        text("PRINTAS", required=True),
        *texts("TAXABLE", "TAXGROUP", "TAXID", "PHONE1", "PHONE2", "CELLPHONE", "PAGER", "FAX", "EMAIL1", "EMAIL2",
               "URL1", "URL2", "VISIBLE"),
        *texts("MAILADDRESS.ADDRESS1", "MAILADDRESS.ADDRESS2", "MAILADDRESS.CITY", "MAILADDRESS.STATE",
               "MAILADDRESS.ZIP", "MAILADDRESS.COUNTRY", "MAILADDRESS.COUNTRYCODE"),
        status(),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

# The invoice's line fields less the per-line balances, which adjustments do not keep.
ARADJUSTMENT_LINE_FIELDS = tuple(f for f in ARINVOICE_LINE_FIELDS if f.name not in ("TOTALPAID", "TOTALDUE"))

DOCUMENT_STATES = ("Posted", "Draft", "Paid", "Partially Paid", "Reversed", "Selected")


def adjustment_fields(party: str, document: str, document_key: str, document_label: str) -> tuple:
    """The header of an AR or AP adjustment: its party (CUSTOMER, VENDOR) and the document it may credit."""
    return (
        recordno(),
        text("RECORDTYPE", readonly=True),
        text("RECORDID", label="Adjustment number"),
        text("DOCNUMBER", label=f"{document_label} number the adjustment applies to"),
        integer(document_key, readonly=True, ref=document, relation=document,
                label=f"Record number of the {document_label.lower()} it was applied to"),
        enum("STATE", DOCUMENT_STATES),
        text(f"{party}ID", required=True, ref=party),
        text(f"{party}NAME", readonly=True),
        *texts("DESCRIPTION", "EXTERNALID", "PRBATCH", "SUPDOCID"),
        date("WHENCREATED", label="Adjustment date"),
        date("WHENPOSTED"),
        date("WHENPAID"),
        text("BASECURR"),
        text("CURRENCY"),
        *balances(),
        text("MODULEKEY", readonly=True),
        timestamp("AUWHENCREATED", readonly=True, label="Audit when created"),
        *audit()[1:],  # WHENCREATED is the adjustment date
        *megaentity(),
        text("RECORD_URL", readonly=True),
    )


# Debit and credit memos (RECORDTYPE 'ra'); a credit memo has a negative total.
ARADJUSTMENT = ObjectDef(
    name="ARADJUSTMENT",
    label="AR Adjustment",
    ref_field="RECORDID",
    name_field="DESCRIPTION",
    lines=Lines("ARADJUSTMENTITEMS", "aradjustmentitem", ARADJUSTMENT_LINE_FIELDS),
    fields=adjustment_fields("CUSTOMER", "ARINVOICE", "INVOICEKEY", "Invoice"),
)

OBJECTS = (CUSTOMER, VENDOR, CONTACT, ARINVOICE, ARPYMT, ARADJUSTMENT)
