"""The demo's closed-period chapter (issue 12): the books are closed through a recent day in Intacct, a
late donation dated before it arrives, and with `closed_period_policy = next_open` it posts on the first
open day, its original date leading the entry's title and noted in the run log."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from rich.console import Console

from intacct_bridge.api import Bridge
from intacct_bridge.commands.sync import print_report
from intacct_bridge.domain.vocabulary import ClosedPeriodPolicy
from intacct_bridge.sync.sample import SampleData
from intacct_bridge.sync.sample_load import load_actions

LATE = "T-LATE-01"


def closed_period_story(bridge: Bridge, emu, company: str, data: SampleData, console: Console) -> bool:
    """Close the books through 10 days ago, import a donation dated 20 days ago, sync; True when it moved."""
    now = datetime.now(UTC)
    closed = (now - timedelta(days=10)).date()
    emu.admin.set_closed_through(company, None, closed)
    bridge.set_closed_period_policy(ClosedPeriodPolicy.NEXT_OPEN)
    model = next(a for a in data.actions if a.type == "donation" and not a.fix and not a.excluded)
    happened = now - timedelta(days=20)
    load_actions(bridge.store, bridge.workspace_id, [replace(
        model, external_id=LATE, happened_at=happened, created_at=now, url=model.url.replace(model.external_id, LATE),
        summary=f"Late donation of {model.amount} on {happened.date()}")])
    console.print(f"  In Intacct: books closed through {closed}. Settings: closed_period_policy = next_open. "
                  f"Donation {LATE} dated {happened.date()} arrives.")
    run = bridge.sync()
    print_report(run)
    notes = [n.get("note") for line in bridge.run_log(run.run_id) for n in line.defaults_used or []]
    moved = [e for e in emu.admin.ledger(company, "GLBATCH")
             if e.get("BATCH_TITLE", "").startswith(f"(dated {happened.date().isoformat()}")]
    for entry in moved:
        console.print(f"  {entry['REFERENCENO']}  {entry['BATCH_DATE']}  {entry['BATCH_TITLE']}", highlight=False)
    for note in notes:
        console.print(f"  run log: {note}", highlight=False)
    ok = (len(moved) == 1 and moved[0]["BATCH_DATE"] == (closed + timedelta(days=1)).isoformat()
          and any(notes))
    console.print("Closed period — moved to the next open day, as expected." if ok
                  else "[red]MISMATCH: the late donation was not moved to the next open day[/]")
    return ok
