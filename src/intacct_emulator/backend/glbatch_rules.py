"""The posting rules of a journal entry (GLBATCH), as the real gateway enforces them.

:func:`check_glbatch` returns every broken rule as a (description, description2)
pair naming the offending value and line, so a client sees all its mistakes at
once. It also fills the derived values (line numbers, entry dates, totals).
"""

from __future__ import annotations

import datetime as dt
import decimal
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from .catalogue import ObjectDef
from .errors import Problem
from .objects import get_object
from .records import Record, Scope, find_by_id
from .values import CENT, ValueError_, parse_decimal, to_wire

WRITABLE_STATES = ("Posted", "Draft")  # "Posted to post to the GL, otherwise Draft"

# GLENTRY field -> (object it names, label)
LINE_DIMENSIONS = {
    "LOCATION": ("LOCATION", "Location"),
    "DEPARTMENT": ("DEPARTMENT", "Department"),
    "CLASSID": ("CLASS", "Class"),
    "GLDIMFUND": ("FUND", "Fund"),
    "GLDIMPROGRAM": ("PROGRAM", "Program"),
    "PROJECTID": ("PROJECT", "Project"),
    "EMPLOYEEID": ("EMPLOYEE", "Employee"),
    "CUSTOMERID": ("CUSTOMER", "Customer"),
    "VENDORID": ("VENDOR", "Vendor"),
    "ITEMID": ("ITEM", "Item"),
    "WAREHOUSEID": ("WAREHOUSE", "Warehouse"),
}
# GLACCOUNT REQUIRE* flag -> (GLENTRY field, label)
REQUIRED_DIMENSIONS = {
    "REQUIREDEPT": ("DEPARTMENT", "Department"),
    "REQUIRELOC": ("LOCATION", "Location"),
    "REQUIRECLASS": ("CLASSID", "Class"),
    "REQUIREPROJECT": ("PROJECTID", "Project"),
    "REQUIRECUSTOMER": ("CUSTOMERID", "Customer"),
    "REQUIREVENDOR": ("VENDORID", "Vendor"),
    "REQUIREEMPLOYEE": ("EMPLOYEEID", "Employee"),
    "REQUIREITEM": ("ITEMID", "Item"),
    "REQUIREWAREHOUSE": ("WAREHOUSEID", "Warehouse"),
    "REQUIRECONTRACT": ("CONTRACTID", "Contract"),
    "REQUIREGLDIMFUND": ("GLDIMFUND", "Fund"),
}



Finder = Callable[[ObjectDef, str, Scope], "Record | None"]


@dataclass
class _Lookup:
    """Cached id lookups of one check (a batch names the same accounts and dimensions many times).

    `finder` is the caller's own (cached across a request's entries) when it has one.
    """

    conn: sqlite3.Connection
    company_id: str
    scope: Scope
    finder: Finder | None = None
    cache: dict[tuple[str, str], Record | None] = field(default_factory=dict)

    def find(self, object_name: str, value: str) -> Record | None:
        key = (object_name, value)
        if key not in self.cache:
            odef = get_object(object_name)
            assert odef is not None
            if self.finder is not None:
                self.cache[key] = self.finder(odef, value, self.scope)
            else:
                self.cache[key] = find_by_id(self.conn, odef, self.company_id, value, self.scope)
        return self.cache[key]


def _amount(raw: object) -> decimal.Decimal | None:
    """A line amount as a finite Decimal of sane size, or None (NaN, Infinity, 1e40 and words are not amounts)."""
    try:
        return parse_decimal(str(raw))
    except ValueError_:
        return None


def _amount_problem(raw: str, number: int) -> Problem | None:
    amount = _amount(raw)
    if amount is None:
        return (f"Invalid amount '{raw}' on line {number}", "TRX_AMOUNT must be a number.")
    if amount <= 0:
        return (f"Amount {raw} on line {number} must be positive",
                "TRX_AMOUNT is always positive; TR_TYPE 1 (debit) or -1 (credit) gives the side.")
    if amount != amount.quantize(CENT):
        return (f"Amount {raw} on line {number} has more than 2 decimal places",
                "Round TRX_AMOUNT to cents.")
    return None


def _line_problems(look: _Lookup, line: Record, number: int, multi_entity: bool) -> list[Problem]:
    problems: list[Problem] = []
    tr_type = str(line.get("TR_TYPE", ""))
    if tr_type not in ("1", "-1"):
        problems.append((f"Invalid TR_TYPE '{tr_type}' on line {number}", "TR_TYPE is 1 (debit) or -1 (credit)."))
    if not line.get("TRX_AMOUNT") and line.get("AMOUNT"):
        line["TRX_AMOUNT"] = line["AMOUNT"]  # the docs' own examples send AMOUNT
    if not line.get("TRX_AMOUNT"):
        problems.append((f"Amount missing on line {number}", "Give TRX_AMOUNT (the absolute amount)."))
    elif amount_problem := _amount_problem(str(line["TRX_AMOUNT"]), number):
        problems.append(amount_problem)
    if multi_entity and not line.get("LOCATION"):
        problems.append((f"Location missing on line {number}", "A multi-entity company needs LOCATION on every line."))
    accountno = str(line.get("ACCOUNTNO", ""))
    account = look.find("GLACCOUNT", accountno)
    if account is None:
        problems.append((f"Account {accountno} on line {number} does not exist", "Use an account of the chart."))
    elif account.get("STATUS") != "active":
        problems.append((f"Account {accountno} on line {number} is inactive", "Post to an active account."))
    for fieldname, (object_name, label) in LINE_DIMENSIONS.items():
        value = str(line.get(fieldname, ""))
        if not value:
            continue
        record = look.find(object_name, value)
        if record is None:
            problems.append((f"{label} {value} on line {number} does not exist", f"Invalid {label} '{value}'."))
        elif record.get("STATUS", "active") != "active":
            problems.append((f"{label} {value} on line {number} is inactive", f"Use an active {label}."))
    if account is not None:
        for flag, (fieldname, label) in REQUIRED_DIMENSIONS.items():
            if account.get(flag) == "true" and not str(line.get(fieldname, "")):
                problems.append((f"Account {accountno} on line {number} requires a {label}",
                                 f"Give {fieldname} on line {number}."))
    return problems


def _normalise_amount(line: Record) -> None:
    """Store a valid TRX_AMOUNT as cents ('1500' -> '1500.00'); AMOUNT (base currency) follows it."""
    amount = _amount(line.get("TRX_AMOUNT", ""))
    if amount is not None and amount == amount.quantize(CENT):
        line["TRX_AMOUNT"] = str(amount.quantize(CENT))
        line["AMOUNT"] = line["TRX_AMOUNT"]


def _balance_problem(lines: list[Record]) -> tuple[Problem | None, decimal.Decimal, decimal.Decimal]:
    debits = credits = decimal.Decimal("0.00")
    for line in lines:
        amount = _amount(line.get("TRX_AMOUNT", ""))
        if amount is None:
            continue
        if str(line.get("TR_TYPE")) == "1":
            debits += amount
        elif str(line.get("TR_TYPE")) == "-1":
            credits += amount
    debits, credits = debits.quantize(CENT), credits.quantize(CENT)
    if debits != credits:
        return (f"Debits {debits} do not equal credits {credits}",
                "The entry is out of balance; debits must equal credits."), debits, credits
    return None, debits, credits


def _header_problems(look: _Lookup, record: Record, closed_through: dt.date | None) -> list[Problem]:
    problems: list[Problem] = []
    symbol = str(record.get("JOURNAL", ""))
    journal = look.find("GLJOURNAL", symbol)
    if journal is None:
        problems.append((f"Journal {symbol} does not exist", "Use the symbol of an existing journal."))
    elif journal.get("STATUS") != "active":
        problems.append((f"Journal {symbol} is inactive", "Post to an active journal."))
    else:
        record["ADJ"] = "T" if journal.get("ADJ") == "true" else "F"
    if record.get("STATE") not in WRITABLE_STATES:
        problems.append((f"Invalid STATE '{record.get('STATE')}'", "Use Posted to post to the GL, otherwise Draft."))
    batch_date = str(record.get("BATCH_DATE", ""))
    reverse_date = str(record.get("REVERSEDATE", ""))
    if batch_date and reverse_date and reverse_date <= batch_date:
        problems.append((f"Reverse date {_us(reverse_date)} is not after the posting date {_us(batch_date)}",
                         "REVERSEDATE must be later than BATCH_DATE."))
    if batch_date and closed_through is not None and dt.date.fromisoformat(batch_date) <= closed_through:
        problems.append((f"Posting date {_us(batch_date)} is in a closed period",
                         f"The books are closed through {_us(closed_through.isoformat())}; use a later BATCH_DATE."))
    return problems


def _us(iso_date: str) -> str:
    """An ISO date as the gateway prints dates (MM/DD/YYYY)."""
    return to_wire(get_object("GLBATCH").field("BATCH_DATE"), iso_date)


def check_glbatch(
    conn: sqlite3.Connection, company_id: str, scope: Scope, closed_through: dt.date | None, record: Record,
    *, multi_entity: bool = False, finder: Finder | None = None,
) -> list[Problem]:
    """Every broken posting rule of ``record``; fills line numbers, amounts, memos, entry dates and totals.

    ``multi_entity``: the company has entities, so every line needs a LOCATION (per the docs).
    ``finder``: how to read a named record (default: `find_by_id`; a request passes its cached lookups).
    """
    look = _Lookup(conn, company_id, scope, finder)
    lines: list[Record] = record.get("ENTRIES", [])
    record["STATE"] = record.get("STATE") or "Posted"
    problems = _header_problems(look, record, closed_through)
    if len(lines) < 2:
        problems.append((f"A journal entry needs at least 2 lines; {len(lines)} given",
                         "Add the balancing line(s) under ENTRIES."))
    for number, line in enumerate(lines, start=1):
        problems.extend(_line_problems(look, line, number, multi_entity))
        line["LINE_NO"] = str(number)
        _normalise_amount(line)
        line["ENTRY_DATE"] = record.get("BATCH_DATE", "")
        line["DESCRIPTION"] = line.get("DESCRIPTION") or record.get("BATCH_TITLE", "")
    balance, debits, credits = _balance_problem(lines)
    if balance:
        problems.append(balance)
    record["TOTAL_DEBIT"], record["TOTAL_CREDIT"] = str(debits), str(credits)
    record["MODULE"] = "2.GL"
    return problems
