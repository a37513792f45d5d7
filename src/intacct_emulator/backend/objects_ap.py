"""Payables objects: AP terms, AP bills and AP adjustments (vendor credit and debit memos).

Field names follow the gateway's APBILL / APADJUSTMENT / APTERM objects: a bill's number is
RECORDID, its date WHENCREATED, its lines APBILLITEMS/APBILLITEM with ACCOUNTNO, TRX_AMOUNT and
ENTRYDESCRIPTION; an adjustment names the bill it adjusts by its number in DOCNUMBER.
"""

from __future__ import annotations

from .catalogue import (
    Lines, ObjectDef, audit, date, decimal, enum, integer, megaentity, recordno, status, text, texts, timestamp,
)
from .objects_ar import DOCUMENT_STATES, adjustment_fields, balances

APTERM = ObjectDef(
    name="APTERM",
    label="AP Term",
    id_field="NAME",
    name_field="NAME",
    writable=True,
    fields=(
        recordno(),
        text("NAME", required=True),
        text("DESCRIPTION"),
        status(),
        integer("DUEDATE", label="Due in days"),
        enum("DUEFROM", ("from bill date", "of the month of bill date", "of next month from bill date")),
        integer("DISCDATE", label="Discount days"),
        enum("DISCFROM", ("from bill date", "of the month of bill date", "of next month from bill date")),
        decimal("DISCAMOUNT"),
        enum("DISCPERCAMN", ("Percentage", "Amount")),
        *audit(),
        *megaentity(),
    ),
)

APBILL_LINE_FIELDS = (
    integer("RECORDNO", readonly=True),
    integer("RECORDKEY", readonly=True),
    integer("LINE_NO", readonly=True),
    text("ACCOUNTNO", ref="GLACCOUNT", label="GL account (or the item's expense account)"),
    text("OFFSETGLACCOUNTNO", ref="GLACCOUNT"),
    text("ACCOUNTLABEL"),
    decimal("TRX_AMOUNT", required=True, label="Amount"),
    decimal("AMOUNT", readonly=True),
    decimal("TOTALPAID", readonly=True),
    decimal("TOTALDUE", readonly=True),
    text("ENTRYDESCRIPTION", label="Memo"),
    text("LOCATIONID", ref="LOCATION"),
    text("DEPARTMENTID", ref="DEPARTMENT"),
    text("CLASSID", ref="CLASS"),
    text("ITEMID", ref="ITEM"),
    text("WAREHOUSEID", ref="WAREHOUSE"),
    text("CUSTOMERID", ref="CUSTOMER"),
    *texts("PROJECTID", "VENDORID", "EMPLOYEEID", "CONTRACTID", "BILLABLE"),
    text("GLDIMFUND", ref="FUND"),
    text("GLDIMPROGRAM", ref="PROGRAM"),  # a second user-defined dimension (objects_ref)
)

APBILL = ObjectDef(
    name="APBILL",
    label="AP Bill",
    ref_field="RECORDID",
    name_field="DESCRIPTION",
    writable=True,  # generic create; see functions.bills
    lines=Lines("APBILLITEMS", "APBILLITEM", APBILL_LINE_FIELDS),
    fields=(
        recordno(),
        text("RECORDTYPE", readonly=True),
        text("RECORDID", label="Bill number"),
        text("VENDORID", required=True, ref="VENDOR"),
        text("VENDORNAME", readonly=True),
        *texts("DOCNUMBER", "DESCRIPTION", "PRBATCH", "SUPDOCID"),
        text("TERMNAME", label="AP term"),
        date("WHENCREATED", required=True, label="Bill date"),
        date("WHENPOSTED"),
        date("WHENDUE"),
        date("WHENPAID", readonly=True),
        enum("ACTION", ("Draft", "Submit")),
        enum("STATE", DOCUMENT_STATES, readonly=True),
        text("BASECURR"),
        text("CURRENCY"),
        date("EXCH_RATE_DATE"),
        text("EXCH_RATE_TYPE_ID"),
        decimal("EXCHANGE_RATE"),
        *balances(),
        integer("DUE_IN_DAYS", readonly=True),
        text("MODULEKEY", readonly=True),
        timestamp("AUWHENCREATED", readonly=True, label="Audit when created"),
        *audit()[1:],  # WHENCREATED is the bill date on APBILL
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

APADJUSTMENT_LINE_FIELDS = tuple(f for f in APBILL_LINE_FIELDS if f.name not in ("TOTALPAID", "TOTALDUE"))

# Vendor debit and credit memos (RECORDTYPE 'pa'); a credit memo has a negative total.
APADJUSTMENT = ObjectDef(
    name="APADJUSTMENT",
    label="AP Adjustment",
    ref_field="RECORDID",
    name_field="DESCRIPTION",
    lines=Lines("APADJUSTMENTITEMS", "apadjustmentitem", APADJUSTMENT_LINE_FIELDS),
    fields=adjustment_fields("VENDOR", "APBILL", "BILLKEY", "Bill"),
)

OBJECTS = (APTERM, APBILL, APADJUSTMENT)
