"""Backend throughput at volume, in-process (no HTTP): GLBATCH creates, lookups and paging over a big ledger.

    python bench/emulator_backend.py [--records 200000] [--db :memory:]

Prints ``name: value`` lines. The ledger is filled through the store directly
(the posting rules are measured separately by ``glbatch_create_per_second``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from lxml import etree

from intacct_emulator.backend import Backend
from intacct_emulator.backend.objects import get_object
from intacct_emulator.backend.records import insert_record
from intacct_emulator.config import DEMO_CREDENTIALS
from intacct_emulator.functions import HANDLERS, CallContext
from intacct_emulator.xmlsafe import parse_document

COMPANY = DEMO_CREDENTIALS["INTACCT_COMPANY_ID"]
NOW = dt.datetime.now(dt.timezone.utc)


def call(backend: Backend, xml: str) -> etree._Element:
    fn = parse_document(xml.encode())
    with backend.transaction() as conn:
        user = backend.user(conn, COMPANY, DEMO_CREDENTIALS["INTACCT_USER_ID"])
        ctx = CallContext(backend, conn, COMPANY, user, None, NOW, "")
        outcome = HANDLERS[fn.tag](ctx, fn)
    return outcome.children[0] if outcome.children else etree.Element("none")


def entry(reference: str) -> str:
    return (f"<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>{NOW:%m/%d/%Y}</BATCH_DATE>"
            f"<BATCH_TITLE>Bench</BATCH_TITLE><REFERENCENO>{reference}</REFERENCENO><ENTRIES>"
            "<GLENTRY><ACCOUNTNO>6100</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>10.00</TRX_AMOUNT>"
            "<DEPARTMENT>ADM</DEPARTMENT><LOCATION>100</LOCATION><GLDIMFUND>F01</GLDIMFUND></GLENTRY>"
            "<GLENTRY><ACCOUNTNO>2100</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>10.00</TRX_AMOUNT></GLENTRY>"
            "</ENTRIES></GLBATCH></create>")


def fill(backend: Backend, start: int, stop: int) -> None:
    odef = get_object("GLBATCH")
    lines = [{"ACCOUNTNO": "6100", "TR_TYPE": "1", "TRX_AMOUNT": "10.00", "DEPARTMENT": "ADM"},
             {"ACCOUNTNO": "2100", "TR_TYPE": "-1", "TRX_AMOUNT": "10.00"}]
    with backend.transaction() as conn:
        for i in range(start, stop):
            insert_record(conn, odef, COMPANY, {"JOURNAL": "GJ", "BATCH_DATE": NOW.date().isoformat(),
                                                "BATCH_TITLE": f"Fill {i}", "REFERENCENO": f"R{i}",
                                                "STATE": "Posted", "ENTRIES": lines},
                          entity=None, now=NOW, user_id="bench")


def page_through_read_by_query(backend: Backend, records: int) -> int:
    data = call(backend, "<readByQuery><object>GLBATCH</object><query>JOURNAL = 'GJ'</query>"
                         "<fields>RECORDNO,REFERENCENO,BATCH_DATE</fields><pagesize>1000</pagesize></readByQuery>")
    got, result_id = len(data), data.get("resultId")
    while got < records:
        got += len(call(backend, f"<readMore><resultId>{result_id}</resultId></readMore>"))
    return got


def page_through_query(backend: Backend, records: int) -> int:
    got = 0
    for offset in range(0, records, 2000):
        got += len(call(backend, "<query><select><field>RECORDNO</field><field>REFERENCENO</field></select>"
                                 f"<object>GLBATCH</object><pagesize>2000</pagesize><offset>{offset}</offset></query>"))
    return got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--db", default=":memory:")
    args = parser.parse_args()
    backend = Backend.open(args.db)
    backend.seed("demo")
    creates = 1000
    started = time.perf_counter()
    for i in range(creates):
        call(backend, entry(f"C{i}"))
    print(f"glbatch_create_per_second: {creates / (time.perf_counter() - started):.0f}")
    started = time.perf_counter()
    fill(backend, creates, args.records)
    print(f"ledger_records: {args.records}")
    print(f"ledger_fill_seconds: {time.perf_counter() - started:.1f}")
    started = time.perf_counter()
    for i in range(200):
        call(backend, "<query><select><field>RECORDNO</field></select><object>GLBATCH</object><filter><equalto>"
                      f"<field>REFERENCENO</field><value>R{creates + i * 97}</value></equalto></filter></query>")
    print(f"lookup_by_referenceno_ms: {(time.perf_counter() - started) / 200 * 1000:.2f}")
    for name, run in (("read_by_query_10000_seconds", page_through_read_by_query),
                      ("query_offset_10000_seconds", page_through_query)):
        started = time.perf_counter()
        run(backend, 10_000)
        print(f"{name}: {time.perf_counter() - started:.2f}")
    backend.close()


if __name__ == "__main__":
    main()
