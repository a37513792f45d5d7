"""In-process helpers for backend/function tests: a seeded backend and a way to call one function."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from intacct_emulator.backend import Backend
from intacct_emulator.functions import HANDLERS, CallContext, FunctionFailure

NOW = dt.datetime(dt.date.today().year, 6, 15, 12, 0, tzinfo=dt.timezone.utc)
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True)


class Caller:
    """Calls handlers against a backend as one user of one company (optionally at an entity)."""

    def __init__(self, backend: Backend, company_id: str = "helping-hands", user_id: str = "ws_bridge",
                 entity_id: str | None = None, now: dt.datetime = NOW) -> None:
        self.backend, self.company_id, self.user_id, self.entity_id, self.now = (
            backend, company_id, user_id, entity_id, now)

    def __call__(self, xml: str):
        """Run the function element in ``xml``; return the outcome (commits) or raise FunctionFailure (rolls back)."""
        fn = etree.fromstring(xml, PARSER)
        with self.backend.transaction() as conn:
            user = self.backend.user(conn, self.company_id, self.user_id)
            ctx = CallContext(self.backend, conn, self.company_id, user, self.entity_id, self.now,
                              "http://127.0.0.1/ia/xml/xmlgw.phtml")
            with self.backend.savepoint(conn):
                return HANDLERS[fn.tag](ctx, fn)

    def fail(self, xml: str) -> FunctionFailure:
        try:
            self(xml)
        except FunctionFailure as failure:
            return failure
        raise AssertionError("the function did not fail")

    def data(self, xml: str) -> etree._Element:
        outcome = self(xml)
        return outcome.children[0]


def texts(data: etree._Element, path: str) -> list[str]:
    return [(e.text or "") for e in data.iterfind(path)]


def seeded_backend() -> Backend:
    backend = Backend.open(":memory:")
    backend.seed("demo")
    return backend


def glbatch_xml(lines: list[dict[str, str]], *, journal: str = "GJ", date: str | None = None,
                reference: str = "EXT-1", title: str = "Test entry") -> str:
    """A create GLBATCH element; ``lines`` are GLENTRY field dicts."""
    date = date or f"06/30/{NOW.year}"
    entries = "".join("<GLENTRY>" + "".join(f"<{k}>{v}</{k}>" for k, v in line.items()) + "</GLENTRY>"
                      for line in lines)
    return (f"<create><GLBATCH><JOURNAL>{journal}</JOURNAL><BATCH_DATE>{date}</BATCH_DATE>"
            f"<BATCH_TITLE>{title}</BATCH_TITLE><REFERENCENO>{reference}</REFERENCENO>"
            f"<ENTRIES>{entries}</ENTRIES></GLBATCH></create>")


def line(account: str, tr_type: str, amount: str, **dims: str) -> dict[str, str]:
    return {"ACCOUNTNO": account, "TR_TYPE": tr_type, "TRX_AMOUNT": amount, **dims}
