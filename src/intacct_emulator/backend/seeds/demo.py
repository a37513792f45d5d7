"""The ``demo`` seed: the companies, senders, users and records every part of the project relies on.

Names here are fixed by ARCHITECTURE §1.4; change them only together with that page.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING

from ..models import Entity
from ..objects import OBJECTS, get_object
from ..records import insert_record
from . import demo_chart as chart
from .definitions import install_standard_definitions

if TYPE_CHECKING:
    from ..store import Backend

SENDER_ID, SENDER_PASSWORD = "intacct-bridge", "bridge-sender-pw"
ROGUE_SENDER_ID, ROGUE_SENDER_PASSWORD = "rogue-sender", "rogue-pw"
#: The REST wire's OAuth clients (intacct_emulator.rest): one registered under the bridge's sender, authorized
#: for every demo company, and one under the rogue sender, authorized for none.
CLIENT_ID, CLIENT_SECRET = "a1b2c3d4e5f6.INTACCT.app.sage.com", "bridge-client-secret"
CLIENT_REDIRECT_URIS = ("http://127.0.0.1/callback", "http://localhost/callback")
ROGUE_CLIENT_ID, ROGUE_CLIENT_SECRET = "rogue0000000.INTACCT.app.sage.com", "rogue-client-secret"
USER_ID, USER_PASSWORD = "ws_bridge", "demo-user-pw"
LIMITED_USER_ID = "ws_limited"
COMPANY_ID = "helping-hands"
GROUP_COMPANY_ID = "helping-hands-group"
NO_WS_COMPANY_ID = "no-webservices"
IP_LOCKED_COMPANY_ID = "ip-locked"
IP_LOCKED_ALLOWED = ["203.0.113.10"]
ENTITIES = [("E100", "Helping Hands East"), ("E200", "Helping Hands West"), ("E300", "Helping Hands Foundation")]
SEED_USER = "Admin"


class Writer:
    """Inserts seed records of one company, stamped as created by the seeding admin at one instant."""

    def __init__(self, conn: sqlite3.Connection, company_id: str, now: dt.datetime) -> None:
        self.conn, self.company_id, self.now = conn, company_id, now

    def put(self, object_name: str, fields: dict[str, str], entity: Entity | None = None) -> dict:
        odef = get_object(object_name)
        assert odef is not None, object_name
        return insert_record(
            self.conn, odef, self.company_id, fields, entity=entity, now=self.now, user_id=SEED_USER
        )


def _last_year_end(now: dt.datetime) -> dt.date:
    return dt.date(now.year - 1, 12, 31)


def seed_demo(backend: Backend, conn: sqlite3.Connection) -> None:
    """Create every demo company, sender, user and record (the caller guards against running twice)."""
    now = dt.datetime.now(dt.timezone.utc)
    closed = _last_year_end(now)
    backend.add_company(conn, COMPANY_ID, "Helping Hands Community Services", closed_through=closed)
    backend.add_company(conn, GROUP_COMPANY_ID, "Helping Hands Group", closed_through=closed)
    backend.add_company(conn, NO_WS_COMPANY_ID, "No Web Services Inc.", web_services=False, closed_through=closed)
    backend.add_company(conn, IP_LOCKED_COMPANY_ID, "IP Locked Ltd.", allowed_ips=IP_LOCKED_ALLOWED, closed_through=closed)
    all_companies = [COMPANY_ID, GROUP_COMPANY_ID, NO_WS_COMPANY_ID, IP_LOCKED_COMPANY_ID]
    backend.add_sender(conn, SENDER_ID, SENDER_PASSWORD, all_companies)
    backend.add_sender(conn, ROGUE_SENDER_ID, ROGUE_SENDER_PASSWORD, [])
    for company_id in all_companies:
        backend.add_user(conn, company_id, USER_ID, USER_PASSWORD)
    limited = frozenset(OBJECTS) - {"DEPARTMENT", "CLASS"}
    backend.add_user(conn, COMPANY_ID, LIMITED_USER_ID, USER_PASSWORD, permissions=limited)

    seed_single_entity(Writer(conn, COMPANY_ID, now))
    _seed_group(backend, Writer(conn, GROUP_COMPANY_ID, now))
    for company_id in (NO_WS_COMPANY_ID, IP_LOCKED_COMPANY_ID):
        _seed_chart(Writer(conn, company_id, now), chart.ACCOUNTS[:10])
    for company_id in all_companies:  # last, so the records above keep their RECORDNOs
        install_standard_definitions(conn, company_id, now=now, user_id=SEED_USER)
    for company_id in (COMPANY_ID, GROUP_COMPANY_ID):  # after them, so theirs stay the same too
        _seed_ap_terms(Writer(conn, company_id, now))
    _seed_reference(Writer(conn, COMPANY_ID, now))  # issue 10, after everything so no RECORDNO above moves
    group = Writer(conn, GROUP_COMPANY_ID, now)
    _seed_reference(group)
    for entity_id, object_name, fields in chart.ENTITY_OWNED:
        group.put(object_name, fields, backend.entity(conn, GROUP_COMPANY_ID, entity_id))
    backend.add_user(conn, GROUP_COMPANY_ID, chart.RESTRICTED_USER_ID, USER_PASSWORD,
                     entities=chart.RESTRICTED_USER_ENTITIES)


def _seed_ap_terms(w: Writer) -> None:
    """The AP terms bills may name (top level: every entity sees them)."""
    for name, days, due_from, status in chart.AP_TERMS:
        w.put("APTERM", {"NAME": name, "DESCRIPTION": name, "DUEDATE": days, "DUEFROM": due_from, "STATUS": status})


def _seed_chart(w: Writer, accounts: list, entity: Entity | None = None) -> None:
    for accountno, title, acctype, normal, category, status, required in accounts:
        fields = {
            "ACCOUNTNO": accountno, "TITLE": title, "ACCOUNTTYPE": acctype, "NORMALBALANCE": normal,
            "CLOSINGTYPE": "non-closing account" if acctype == chart.BS else "closing account",
            "CLOSINGACCOUNTNO": "" if acctype == chart.BS else "3000",
            "CATEGORY": category, "STATUS": status, "TAXABLE": "false",
        }
        fields.update({f"REQUIRE{dim}": "true" for dim in required})
        w.put("GLACCOUNT", fields, entity)


def _seed_journals(w: Writer) -> None:
    for symbol, title, status in chart.JOURNALS:
        w.put("GLJOURNAL", {"SYMBOL": symbol, "TITLE": title, "STATUS": status, "ADJ": str(symbol == "ADJ").lower()})


def _seed_dimensions(w: Writer, entity: Entity | None = None) -> None:
    for locid, name, status in chart.LOCATIONS:
        w.put("LOCATION", {"LOCATIONID": locid, "NAME": name, "STATUS": status, "CURRENCY": "USD"}, entity)
    for deptid, title, status in chart.DEPARTMENTS:
        w.put("DEPARTMENT", {"DEPARTMENTID": deptid, "TITLE": title, "STATUS": status}, entity)
    for classid, name, status in chart.CLASSES:
        w.put("CLASS", {"CLASSID": classid, "NAME": name, "STATUS": status}, entity)
    for fundid, name, status, restricted in chart.FUNDS:
        w.put("FUND", {"id": fundid, "name": name, "STATUS": status, "RESTRICTED": restricted}, entity)


def _seed_reference(w: Writer) -> None:
    """AR terms, tax details, projects, employees and the Program dimension, at the top level."""
    for name, description, days, status in chart.AR_TERMS:
        w.put("ARTERM", {"NAME": name, "DESCRIPTION": description, "DUEDATE": days, "STATUS": status})
    for detailid, description, taxtype, percent, status in chart.TAX_DETAILS:
        w.put("TAXDETAIL", {"DETAILID": detailid, "DESCRIPTION": description, "TAXTYPE": taxtype, "VALUE": percent,
                            "STATUS": status})
    for projectid, name, status in chart.PROJECTS:
        w.put("PROJECT", {"PROJECTID": projectid, "NAME": name, "STATUS": status})
    for employeeid, name, status in chart.EMPLOYEES:
        w.put("EMPLOYEE", {"EMPLOYEEID": employeeid, "PERSONALINFO.CONTACTNAME": name, "STATUS": status})
    for programid, name, status in chart.PROGRAMS:
        w.put("PROGRAM", {"id": programid, "name": name, "STATUS": status})


def seed_single_entity(w: Writer) -> None:
    _seed_chart(w, chart.ACCOUNTS)
    _seed_journals(w)
    _seed_dimensions(w)
    for custid, name, email in chart.CUSTOMERS:
        w.put("CUSTOMER", {
            "CUSTOMERID": custid, "NAME": name, "STATUS": "active", "ARACCOUNT": "1200", "CURRENCY": "USD",
            "DISPLAYCONTACT.PRINTAS": name, "DISPLAYCONTACT.COMPANYNAME": name, "DISPLAYCONTACT.EMAIL1": email,
            "TOTALDUE": "0.00",
        })
    for vendid, name, status in chart.VENDORS:
        w.put("VENDOR", {"VENDORID": vendid, "NAME": name, "STATUS": status, "APACCOUNT": "2000",
                         "DISPLAYCONTACT.PRINTAS": name, "TOTALDUE": "0.00"})
    for itemid, name, itemtype, price, income in chart.ITEMS:
        fields = {"ITEMID": itemid, "NAME": name, "ITEMTYPE": itemtype, "STATUS": "active", "BASEPRICE": price,
                  "INCOMEACCTKEY": income, "TAXABLE": "false"}
        if itemtype != "Non-Inventory (Sales only)":
            fields["EXPENSEACCTKEY"] = "5100"  # what an AP bill line naming the item posts to
        if itemtype == "Inventory":
            fields.update(COST_METHOD="Average", INVACCTKEY="1300", COGSACCTKEY="5500", STANDARD_COST="6.00")
        w.put("ITEM", fields)
    for whid, name, locid in chart.WAREHOUSES:
        w.put("WAREHOUSE", {"WAREHOUSEID": whid, "NAME": name, "LOC.LOCATIONID": locid, "STATUS": "active",
                            "USEDINGL": "true"})
    for itemid, whid, onhand in chart.STOCK:
        w.put("ICITEMTOTAL", {"ITEMID": itemid, "WAREHOUSEID": whid, "ONHAND": onhand, "ONORDER": "0",
                              "ONHOLD": "0"})


def _seed_group(backend: Backend, w: Writer) -> None:
    """Three entities; a shared top-level chart, journals and funds; entity-level locations, classes, customers."""
    entities: list[Entity] = []
    for entity_id, name in ENTITIES:
        record = w.put("LOCATIONENTITY", {"LOCATIONID": entity_id, "NAME": name, "STATUS": "active",
                                          "CURRENCY": "USD", "REPORTPRINTAS": name, "FIRSTMONTH": "1"})
        backend.add_entity(w.conn, w.company_id, entity_id, name, int(record["RECORDNO"]))
        entities.append(backend.entity(w.conn, w.company_id, entity_id))
    _seed_chart(w, chart.ACCOUNTS)
    _seed_journals(w)
    for deptid, title, status in chart.DEPARTMENTS:
        w.put("DEPARTMENT", {"DEPARTMENTID": deptid, "TITLE": title, "STATUS": status})
    for fundid, name, status, restricted in chart.FUNDS:
        w.put("FUND", {"id": fundid, "name": name, "STATUS": status, "RESTRICTED": restricted})
    w.put("CLASS", {"CLASSID": "C500", "NAME": "General Operations", "STATUS": "active"})
    for index, entity in enumerate(entities, start=1):
        number = entity.entity_id[1:]
        w.put("LOCATION", {"LOCATIONID": f"{number}-HQ", "NAME": f"{entity.name} Office", "STATUS": "active",
                           "PARENTID": "", "CURRENCY": "USD"}, entity)
        w.put("CLASS", {"CLASSID": f"C{index}00", "NAME": f"{entity.name} Programs", "STATUS": "active"}, entity)
        for n in (1, 2):
            custid = f"{entity.entity_id}-CUST-{n:02d}"
            w.put("CUSTOMER", {"CUSTOMERID": custid, "NAME": f"{entity.name} Donor {n}", "STATUS": "active",
                               "ARACCOUNT": "1200", "TOTALDUE": "0.00"}, entity)
    w.put("CUSTOMER", {"CUSTOMERID": "SHARED-CUST-01", "NAME": "Statewide Giving Alliance", "STATUS": "active",
                       "ARACCOUNT": "1200", "TOTALDUE": "0.00"})
