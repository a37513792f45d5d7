"""General-ledger objects: accounts, journals, journal entries and entities."""

from __future__ import annotations

from .catalogue import (
    Field, Lines, ObjectDef, audit, boolean, date, decimal, enum, integer, megaentity, recordno, status, text, texts,
    timestamp,
)

_REQUIRE_FLAGS = tuple(
    boolean(f"REQUIRE{dim}")
    for dim in ("DEPT", "LOC", "CLASS", "PROJECT", "CUSTOMER", "VENDOR", "EMPLOYEE", "ITEM", "WAREHOUSE", "CONTRACT")
)

GLACCOUNT = ObjectDef(
    name="GLACCOUNT",
    label="GL Account",
    id_field="ACCOUNTNO",
    name_field="TITLE",
    writable=True,
    fields=(
        recordno(),
        text("ACCOUNTNO", required=True, label="Account number"),
        text("TITLE", required=True),
        enum("ACCOUNTTYPE", ("balancesheet", "incomestatement"), label="Account type", default="balancesheet"),
        enum("NORMALBALANCE", ("debit", "credit"), label="Normal balance", default="debit"),
        enum("CLOSINGTYPE", ("non-closing account", "closing account", "closed-to account"),
             label="Period end closing type", default="non-closing account"),
        text("CLOSINGACCOUNTNO", ref="GLACCOUNT"),
        text("CLOSINGACCOUNTTITLE", readonly=True),
        status(),
        text("CATEGORY"),
        integer("CATEGORYKEY"),
        text("ALTERNATIVEACCOUNT"),
        *_REQUIRE_FLAGS,
        boolean("REQUIREGLDIMFUND", label="Require Fund"),
        boolean("TAXABLE"),
        text("TAXCODE"),
        text("MRCCODE"),
        boolean("ENABLEGLDIMFUND", label="Fund available"),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

GLJOURNAL = ObjectDef(
    name="GLJOURNAL",
    label="Journal",
    id_field="SYMBOL",
    name_field="TITLE",
    writable=True,
    fields=(
        recordno(),
        text("SYMBOL", required=True),
        text("TITLE", required=True),
        status(),
        boolean("ADJ", label="Adjustment journal"),
        text("BOOKID"),
        *audit(),
        *megaentity(),
    ),
)

GLENTRY_FIELDS: tuple[Field, ...] = (
    integer("RECORDNO", readonly=True),
    integer("BATCHNO", readonly=True),
    integer("LINE_NO", readonly=True),
    text("DOCUMENT"),
    text("ACCOUNTNO", required=True, ref="GLACCOUNT"),
    enum("TR_TYPE", ("1", "-1"), required=True, label="Transaction type"),
    decimal("TRX_AMOUNT", label="Transaction amount"),  # required, but AMOUNT is accepted in its place
    decimal("AMOUNT"),
    text("CURRENCY"),
    text("BASECURR"),
    date("EXCH_RATE_DATE"),
    text("EXCH_RATE_TYPE_ID"),
    decimal("EXCHANGE_RATE"),
    text("ALLOCATION"),
    text("LOCATION", ref="LOCATION"),
    text("DEPARTMENT", ref="DEPARTMENT"),
    text("PROJECTID", ref="PROJECT"),
    text("TASKID"),
    text("CUSTOMERID", ref="CUSTOMER"),
    text("VENDORID", ref="VENDOR"),
    text("EMPLOYEEID", ref="EMPLOYEE"),
    text("ITEMID", ref="ITEM"),
    text("CLASSID", ref="CLASS"),
    text("CONTRACTID"),
    text("WAREHOUSEID", ref="WAREHOUSE"),
    text("COSTTYPEID"),
    text("GLDIMFUND", ref="FUND", label="Fund"),
    text("GLDIMPROGRAM", ref="PROGRAM", label="Program"),
    text("DESCRIPTION", label="Memo"),
    boolean("BILLABLE"),
    date("ENTRY_DATE", readonly=True),
)

# Journal entry states and the one-letter codes legacy queries use (STATE = 'S'), per the journal-entries page
GLBATCH_STATES = ("Draft", "Submitted", "Partially Approved", "Approved", "Posted", "Declined", "Reversal Pending",
                  "Reversed")
GLBATCH_STATE_CODES = (("I", "Draft"), ("S", "Submitted"), ("X", "Partially Approved"), ("A", "Approved"),
                       ("P", "Posted"), ("R", "Declined"), ("L", "Reversal Pending"), ("Z", "Reversed"))

GLBATCH = ObjectDef(
    name="GLBATCH",
    label="Journal Entry",
    name_field="BATCH_TITLE",
    ref_field="REFERENCENO",
    writable=True,
    lines=Lines("ENTRIES", "GLENTRY", GLENTRY_FIELDS),
    fields=(
        recordno(),
        integer("BATCHNO", readonly=True),
        text("BATCH_TITLE", required=True, label="Description"),
        text("JOURNAL", required=True, ref="GLJOURNAL"),
        integer("JOURNALKEY", readonly=True),
        date("BATCH_DATE", required=True, label="Posting date"),
        text("MODULE", readonly=True),
        date("REVERSEDATE"),
        text("HISTORY_COMMENT"),
        text("REFERENCENO", label="Reference number"),
        text("BASELOCATION_NO", label="Source entity"),
        text("BASELOCATION", readonly=True),
        text("SUPDOCID"),
        enum("STATE", GLBATCH_STATES, aliases=GLBATCH_STATE_CODES, default="Posted"),
        enum("TAXIMPLICATIONS", ("None", "Inbound", "Outbound")),
        text("TRANSACTIONSOURCE"),
        text("TAXSOLUTIONID"),
        *texts("VATVENDORID", "VATCUSTOMERID", "VATCONTACTID"),
        *(text(name, readonly=True) for name in (
            "BALANCE", "JOURNAL_BILLABLE", "ADJ", "CHILDENTITY", "USERKEY", "REVERSED", "REVERSEDKEY",
            "REVERSEDFROM", "TEMPLATEKEY", "PRBATCHKEY", "PRBATCHRECTYPE", "MODIFIEDBYID", "SCHOPKEY",
            "RRSENTRYKEY", "RRSKEY", "CONTRACTSCHEDULEENTRYKEY", "CONTRACTSCHEDULEKEY", "GLACCTALLOCATIONRUNKEY",
            "BASELOCATION_NAME", "USERINFO.LOGINID", "LOCATIONKEY")),
        timestamp("MODIFIED", readonly=True),
        decimal("TOTAL_DEBIT", readonly=True),
        decimal("TOTAL_CREDIT", readonly=True),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

# Journal entry lines as their own read-only object (kept in step with GLBATCH by the write hooks)
GLENTRY = ObjectDef(
    name="GLENTRY",
    label="Journal Entry Line",
    ref_field="BATCHNO",
    entity_scoped=True,
    fields=(
        *GLENTRY_FIELDS,
        integer("BATCH_NUMBER", readonly=True),
        date("BATCH_DATE", readonly=True),
        text("BATCHTITLE", readonly=True),
        text("JOURNAL", readonly=True),
        text("STATE", readonly=True),
        integer("ACCOUNTKEY", readonly=True),
        text("ACCOUNTTITLE", readonly=True),
        text("STATISTICAL", readonly=True),
        text("USERNO", readonly=True),
        *audit(),
        *megaentity(),
    ),
)

LOCATIONENTITY = ObjectDef(
    name="LOCATIONENTITY",
    label="Entity",
    id_field="LOCATIONID",
    name_field="NAME",
    entity_scoped=False,
    fields=(
        recordno(),
        text("LOCATIONID"),
        text("NAME"),
        text("REPORTPRINTAS"),
        text("SUPERVISORID"),
        integer("FIRSTMONTH"),
        integer("FIRSTMONTHTAX"),
        integer("WEEKSTART"),
        text("FEDERALID"),
        date("STARTDATE"),
        date("ENDDATE"),
        status(),
        boolean("HAS_IE_RELATION"),
        *texts("CUSTOMERID", "CUSTOMERNAME", "VENDORID", "VENDORNAME", "CURRENCY", "TAXID"),
        boolean("ENABLELEGALCONTACT"),
        *texts("LEGALNAME", "LEGALADDRESS1", "LEGALADDRESS2", "LEGALCITY", "LEGALSTATE", "LEGALZIPCODE"),
        *texts("LEGALCOUNTRY", "OPCOUNTRY", "ADDRESSCOUNTRYDEFAULT"),
        text("RECORD_URL", readonly=True),
        *audit(),
    ),
)

OBJECTS = (GLACCOUNT, GLJOURNAL, GLBATCH, GLENTRY, LOCATIONENTITY)
