"""Reconcile 10,000 posted journal entries with the emulator and report the time and the cost.

    python bench/reconcile.py [--entries 10000]

The entries are made quickly: the emulator's bulk admin path (`/_emulator/records/bulk`, every posting rule
checked) writes the GLBATCHes, and the store gets the matching posted `postings` rows, as a sync leaves them.
Prints `entries`, `seconds` (the reconciliation alone, wall clock, emulator in-process), `requests` and
`api_transactions` (counted by the emulator), `drift` (0 expected) and `entries_per_second`.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from sqlalchemy import insert

from emulated_workspace import emulated


COMPANY = "helping-hands"
CHUNK = 2000


def _entry(uid: str, number: int, day: date) -> tuple[dict, dict]:
    """(the GLBATCH in the emulator's stored form, the posting row's request_summary)."""
    amount = f"{10 + number % 97}.{number % 100:02d}"
    lines = [("1100", "1", "debit"), ("4000", "-1", "credit")]
    reference = f"ib-{uid}-{number}"
    record = {"JOURNAL": "GJ", "BATCH_DATE": day.isoformat(), "BATCH_TITLE": f"Donation {number}",
              "REFERENCENO": reference, "STATE": "Posted",
              "ENTRIES": [{"ACCOUNTNO": a, "TR_TYPE": t, "TRX_AMOUNT": amount, "LOCATION": "100"} for a, t, _ in lines]}
    summary = {"reference_no": reference, "date": day.isoformat(), "amount": amount, "debit": "1100", "credit": "4000",
               "journal": "GJ", "description": f"Donation {number}", "defaults": [],
               "lines": [{"account": a, "side": s, "amount": amount, "dimensions": {"LOCATION": "100"}}
                         for a, _, s in lines]}
    return record, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    with emulated() as setting:
        emu, store, operator = setting.emu, setting.store, setting.operator
        from intacct_bridge.api import Bridge
        from intacct_bridge.store.models import Posting, Workspace

        workspace_id = setting.workspace("Bench")
        with store.session() as session:
            uid = session.get(Workspace, workspace_id).uid
        today, now = date.today(), datetime.now(UTC)
        for start in range(1, args.entries + 1, CHUNK):
            numbers = range(start, min(start + CHUNK, args.entries + 1))
            made = [_entry(uid, n, today - timedelta(days=n % 60)) for n in numbers]
            keys = emu.admin.bulk_create(COMPANY, "GLBATCH", [record for record, _ in made])
            with store.write_session() as session:
                session.execute(insert(Posting.__table__), [
                    {"workspace_id": workspace_id, "record_kind": "journal_entry", "record_id": n, "operation": "create",
                     "generation": 0, "controlid": f"ib-{uid}-{n}-g0", "reference_no": summary["reference_no"],
                     "state": "posted", "amount": Decimal(summary["amount"]), "posting_date": date.fromisoformat(summary["date"]),
                     "request_summary": summary, "intacct_recordno": key, "created_at": now, "finished_at": now}
                    for n, (_, summary), key in zip(numbers, made, keys, strict=True)])
        emu.admin.reset_usage()
        bridge = Bridge(store, workspace_id, operator)
        started = time.perf_counter()
        report = bridge.reconcile()
        seconds = time.perf_counter() - started
        usage = emu.admin.usage()[COMPANY]
    print(f"entries: {report.compared}")
    print(f"seconds: {seconds:.2f}")
    print(f"requests: {usage['requests']}")
    print(f"api_transactions: {usage['api_transactions']}")
    print(f"drift: {len(report.missing) + len(report.changed) + len(report.unrecorded)}")
    print(f"entries_per_second: {report.compared / seconds:.0f}")


if __name__ == "__main__":
    main()
