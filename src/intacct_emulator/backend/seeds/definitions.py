"""The standard Order Entry transaction definitions every company starts with.

As in a new Intacct company: a Sales Quote and a Sales Order change nothing in
the ledgers, a Sales Invoice takes stock out and posts an AR invoice.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from ..objects import get_object
from ..records import insert_record

# DOCID, DOCCLASS, UPDATES_GL, UPDATES_INV, numbering prefix
STANDARD_DEFINITIONS = (
    ("Sales Quote", "Quote", "No", "No", "SQ-"),
    ("Sales Order", "Order", "No", "No", "SO-"),
    ("Sales Invoice", "Invoice", "Accounts Receivable", "Quantity and Value", "SI-"),
)


def install_standard_definitions(conn: sqlite3.Connection, company_id: str, *, now: dt.datetime,
                                 user_id: str) -> None:
    """Add the standard definitions to a company (the caller checks it has none yet)."""
    odef = get_object("SODOCUMENTPARAMS")
    for docid, docclass, updates_gl, updates_inv, prefix in STANDARD_DEFINITIONS:
        insert_record(conn, odef, company_id,
                      {"DOCID": docid, "DESCRIPTION": docid, "DOCCLASS": docclass, "UPDATES_GL": updates_gl,
                       "UPDATES_INV": updates_inv, "SEQUENCE": prefix, "STATUS": "active"},
                      entity=None, now=now, user_id=user_id)
