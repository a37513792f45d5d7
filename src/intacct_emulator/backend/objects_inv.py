"""Inventory and order-entry objects: items, warehouses, stock totals and sales documents."""

from __future__ import annotations

from .catalogue import (
    Lines, ObjectDef, audit, boolean, contact, date, decimal, enum, integer, megaentity, recordno, status, text, texts,
    timestamp,
)

ITEM_TYPES = (
    "Inventory", "Non-Inventory", "Non-Inventory (Purchase only)", "Non-Inventory (Sales only)", "Kit", "Stockable Kit",
)

ITEM = ObjectDef(
    name="ITEM",
    label="Item",
    id_field="ITEMID",
    name_field="NAME",
    writable=True,
    dimension_label="Item",
    fields=(
        recordno(),
        text("ITEMID", required=True),
        status(),
        boolean("MRR"),
        text("NAME", required=True),
        *texts("EXTENDED_DESCRIPTION", "PODESCRIPTION", "SODESCRIPTION", "PRODUCTLINEID", "CYCLE", "PRODUCTTYPE"),
        enum("ITEMTYPE", ITEM_TYPES, required=True),
        enum("COST_METHOD", ("Standard", "Average", "FIFO", "LIFO"), default="Standard"),
        text("GLGROUP"),
        decimal("BASEPRICE"),
        decimal("STANDARD_COST"),
        boolean("TAXABLE"),
        *texts("TAXGROUP", "UOMGRP", "UPC", "NOTE", "WEIGHT", "DENSITY"),
        text("INCOMEACCTKEY", ref="GLACCOUNT", label="Revenue GL account"),
        text("EXPENSEACCTKEY", ref="GLACCOUNT", label="Expense GL account"),
        text("INVACCTKEY", ref="GLACCOUNT", label="Inventory GL account"),
        text("COGSACCTKEY", ref="GLACCOUNT", label="COGS GL account"),
        boolean("ALLOW_BACKORDER"),
        boolean("HASSTARTENDDATES"),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

WAREHOUSE = ObjectDef(
    name="WAREHOUSE",
    label="Warehouse",
    id_field="WAREHOUSEID",
    name_field="NAME",
    writable=True,
    dimension_label="Warehouse",
    fields=(
        recordno(),
        text("WAREHOUSEID", required=True),
        text("NAME", required=True),
        text("LOC.LOCATIONID", ref="LOCATION", label="Location"),
        text("LOC.NAME", readonly=True),
        text("PARENTID", ref="WAREHOUSE"),
        text("MANAGERID"),
        *contact("CONTACTINFO"),
        text("SHIPTO.CONTACTNAME"),
        boolean("USEDINGL"),
        boolean("ENABLENEGATIVEINV"),
        status(),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

# Stock on hand per item and warehouse (legacy get_icitemtotals); not a documented generic object.
ICITEMTOTAL = ObjectDef(
    name="ICITEMTOTAL",
    label="Item totals",
    ref_field="ITEMID",
    listed=False,
    fields=(
        recordno(),
        text("ITEMID", ref="ITEM"),
        text("WAREHOUSEID", ref="WAREHOUSE"),
        decimal("ONHAND"),
        decimal("ONORDER"),
        decimal("ONHOLD"),
        timestamp("WHENCREATED", readonly=True),
        timestamp("WHENMODIFIED", readonly=True),  # moves whenever the quantities change, for incremental pulls
        *megaentity(),
    ),
)

DOCUMENT_CLASSES = ("Quote", "Order", "List", "Invoice", "Adjustment", "Other")

# Order Entry transaction definitions (the documents' DOCPARID). Field names beyond DOCID are ours: UNVERIFIED.
SODOCUMENTPARAMS = ObjectDef(
    name="SODOCUMENTPARAMS",
    label="Order Entry Transaction Definition",
    id_field="DOCID",
    name_field="DESCRIPTION",
    fields=(
        recordno(),
        text("DOCID", required=True, label="Template name"),
        text("DESCRIPTION"),
        enum("DOCCLASS", DOCUMENT_CLASSES, required=True, label="Template type"),
        enum("UPDATES_GL", ("No", "Accounts Receivable", "General Ledger"), default="No",
             label="Transaction posting"),
        enum("UPDATES_INV", ("No", "Quantity", "Value", "Quantity and Value"), default="No",
             label="Inventory effect"),
        text("SEQUENCE", label="Document numbering prefix"),
        status(),
        *audit(),
        *megaentity(),
    ),
)

SODOCUMENT_LINE_FIELDS = (
    integer("RECORDNO", readonly=True),
    integer("DOCHDRNO", readonly=True),
    integer("LINE_NO", readonly=True),
    text("ITEMID", required=True, ref="ITEM"),
    text("ITEMDESC"),
    decimal("QUANTITY", required=True),
    text("UNIT"),
    decimal("PRICE"),
    decimal("TOTAL", readonly=True),
    decimal("DISCOUNTPERCENT"),
    boolean("TAXABLE"),
    text("WAREHOUSE.LOCATIONID", ref="WAREHOUSE", label="Warehouse"),
    text("LOCATION", ref="LOCATION"),
    text("DEPARTMENT", ref="DEPARTMENT"),
    text("CLASSID", ref="CLASS"),
    text("MEMO"),
)

# Order Entry states and the one-letter codes legacy queries use, per the order-entry-transactions page
SODOCUMENT_STATE_CODES = (("S", "Submitted"), ("A", "Approved"), ("X", "Partially Approved"), ("R", "Declined"),
                          ("I", "Draft"), ("O", "Pending"), ("D", "Closed"), ("G", "In Progress"), ("C", "Converted"),
                          ("P", "Partially Converted"))

SODOCUMENT = ObjectDef(
    name="SODOCUMENT",
    label="Order Entry Transaction",
    id_field="DOCID",
    name_field="DOCNO",
    ref_field="PONUMBER",
    lines=Lines("SODOCUMENTENTRIES", "sodocumententry", SODOCUMENT_LINE_FIELDS),
    fields=(
        recordno(),
        text("DOCID", readonly=True, label="Document ID"),
        text("DOCNO", label="Document number"),
        text("DOCPARID", label="Transaction definition"),
        text("CUSTVENDID", ref="CUSTOMER", label="Customer ID"),
        text("CUSTVENDNAME", readonly=True),
        date("WHENCREATED", label="Date"),
        date("WHENDUE"),
        date("WHENPOSTED"),
        enum("STATE", tuple(state for _, state in SODOCUMENT_STATE_CODES), aliases=SODOCUMENT_STATE_CODES),
        text("PONUMBER", label="Reference number"),
        *texts("MESSAGE", "TERM.NAME", "SHIPVIA", "CURRENCY", "BASECURR", "EXTERNALID", "SUPDOCID", "CREATEDFROM"),
        *contact("SHIPTO")[:1],
        *contact("BILLTO")[:1],
        decimal("SUBTOTAL", readonly=True),
        decimal("TOTAL", readonly=True),
        decimal("TRX_TOTAL", readonly=True),
        integer("PRRECORDKEY", readonly=True, ref="ARINVOICE", relation="ARINVOICE", label="AR invoice record number"),
        timestamp("AUWHENCREATED", readonly=True),
        *audit()[1:],
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

OBJECTS = (ITEM, WAREHOUSE, ICITEMTOTAL, SODOCUMENTPARAMS, SODOCUMENT)
