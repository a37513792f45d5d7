"""The demo's summary-posting chapter (issue 12, nonprofit practice): the day's donations go to Intacct as one
summary entry whose lines add them up by account, side and dimensions (a dry run shows it first, nothing sent);
one donation is then edited at the source, which reverses its share alone and posts the corrected version in a
new summary (the posted summary is never edited); another is deleted, which reverses its share only; and a
reconciliation of the day finds no drift."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.commands.reconcile import print_report as print_reconciliation
from intacct_bridge.commands._dry_run_table import print_summary_preview
from intacct_bridge.commands.sync import print_report
from intacct_bridge.domain.vocabulary import PostedChanges, SummaryPeriod
from intacct_bridge.store.models import Action, utcnow
from intacct_bridge.store.repositories.posted_changes import CHANGED, supersede, withdraw_or_refuse
from intacct_bridge.store.repositories.settings import SettingsChange, load_sync_settings, update_settings
from intacct_bridge.sync.sample import SampleData
from intacct_bridge.sync.engine import RunReport
from intacct_bridge.sync.sample_load import load_actions

DONATIONS = 5
EDITED, DELETED = "T-SUM-02", "T-SUM-04"
RAISE = Decimal("25.00")


def summary_story(bridge: Bridge, emu, company: str, data: SampleData, console: Console, chapter: int) -> bool:
    """Run the chapter; True when every step showed what it should."""
    console.print(Rule(f"{chapter}. Donations posted as a daily summary; an edit and a delete after posting"))
    today = _today_donations(bridge, data, console)
    dry = bridge.sync(dry_run=True)
    console.print("  Dry run (nothing saved, nothing sent) — the summary entry it would post:")
    for entry in dry.summaries:
        print_summary_preview(entry, DONATIONS)
    run = bridge.sync()
    print_report(run)
    posted = [s for s in bridge.summaries(status="posted") if s.posting_date == today]
    summary = bridge.summary(posted[0].id) if len(posted) == 1 else None
    _show_summary(summary, console)
    posted_ok = (summary is not None and summary.action_count == DONATIONS and _posted(run, "journal_summary") == 1
                 and [e.reference for e in dry.summaries] == [summary.reference])

    console.print(f"  Donation {EDITED} changed at the source (amount + {RAISE}) and {DELETED} deleted, both after "
                  "the summary was posted (posted_changes = reverse).")
    was = _edit_and_delete(bridge)
    corrected = bridge.sync()
    print_report(corrected)
    entries = _ledger_story(emu, company, summary.reference if summary else "", console)
    reversals = [e for e in entries if "-rev" in e["REFERENCENO"]]
    later = [s for s in bridge.summaries(status="posted") if s.posting_date == today and s.id != (
        summary.id if summary else None)]
    changes_ok = (_posted(corrected, "journal_reversal") == 2 and _posted(corrected, "journal_summary") == 1
                  and len(reversals) == 2
                  and sorted(_debit(e) for e in reversals) == sorted(was.values())
                  and len(later) == 1 and later[0].action_count == 1
                  and later[0].debit_total == was[EDITED] + RAISE
                  and _debit(next(e for e in entries if e["REFERENCENO"] == summary.reference)) == summary.debit_total)

    report = bridge.reconcile(since=today)
    print_reconciliation(report)
    ok = posted_ok and changes_ok and not report.drift
    console.print("Summary posting — one entry for the day, each change reversed by its own share, "
                  "reconciled with no drift, as expected." if ok
                  else "[red]MISMATCH: summary posting did not show what it should[/]")
    return ok


def _today_donations(bridge: Bridge, data: SampleData, console: Console) -> date:
    """Summarize donations by day; import five valid donations made today (the sample's are all older)."""
    bridge.set_summary_posting(["donation"], SummaryPeriod.DAY)
    with bridge.store.write_session() as session:
        update_settings(session, bridge.workspace_id, SettingsChange(posted_changes=PostedChanges.REVERSE))
        zone = load_sync_settings(session, bridge.workspace_id).zone()
    now = datetime.now(UTC)
    models = [a for a in data.actions if a.type == "donation" and not a.fix and not a.excluded][:DONATIONS]
    load_actions(bridge.store, bridge.workspace_id, [
        replace(model, external_id=f"T-SUM-{n:02d}", happened_at=now, created_at=now,
                url=model.url.replace(model.external_id, f"T-SUM-{n:02d}"),
                summary=f"Donation of {model.amount} today")
        for n, model in enumerate(models, start=1)])
    console.print(f"  Settings: summary_action_types = donation, summary_period = day. {len(models)} donations "
                  f"made today arrive: {', '.join(f'T-SUM-{n:02d}' for n in range(1, len(models) + 1))}.")
    return now.astimezone(zone).date()


def _show_summary(summary, console: Console) -> None:
    if summary is None:
        console.print("[red]  no single summary entry was posted for today[/]")
        return
    table = Table("account", "side", "dimensions", "amount",
                  title=f"Summary {summary.reference} in Intacct (record {summary.intacct_recordno}): "
                        f"{summary.action_count} donations, debits {summary.debit_total}")
    for line in summary.lines:
        table.add_row(line["account"], line["side"],
                      ", ".join(f"{k}={v}" for k, v in sorted(line["dimensions"].items())), line["amount"])
    console.print(table)
    console.print("  It holds: " + ", ".join(f"{a.external_id} {a.amount}" for a in summary.actions),
                  highlight=False)


def _edit_and_delete(bridge: Bridge) -> dict[str, Decimal]:
    """The source's edit and delete, as intake applies them; returns what each had posted."""
    with bridge.store.write_session() as session:
        actions = {a.external_id: a for a in session.scalars(select(Action).where(
            Action.workspace_id == bridge.workspace_id, Action.external_id.in_((EDITED, DELETED))))}
        was = {name: a.amount for name, a in actions.items()}
        supersede(session, bridge.workspace_id, actions[EDITED], CHANGED, utcnow())
        actions[EDITED].amount = actions[EDITED].amount + RAISE
        withdraw_or_refuse(session, bridge.workspace_id, actions[DELETED], utcnow())
    return was


def _ledger_story(emu, company: str, reference: str, console: Console) -> list[dict]:
    """Today's summary entries and the reversals of their shares, as Intacct holds them."""
    entries = [e for e in emu.admin.ledger(company, "GLBATCH")
               if e.get("REFERENCENO") == reference or reference in e.get("BATCH_TITLE", "")
               or "T-SUM-" in e.get("BATCH_TITLE", "")]
    table = Table("reference", "date", "debit", "description", title="Today's donations in Intacct")
    for entry in entries:
        table.add_row(entry["REFERENCENO"], entry["BATCH_DATE"], f"{_debit(entry):,.2f}", entry["BATCH_TITLE"][:90])
    console.print(table)
    return entries


def _posted(run: RunReport, kind: str) -> int:
    """What the run posted of one kind with nothing of it rejected (the AP chapter leaves a bill held for review,
    so the run as a whole is not `succeeded`)."""
    counts = run.tally.by_kind.get(kind, {})
    return counts.get("posted", 0) if not (counts.get("failed") or counts.get("unconfirmed")) else -1


def _debit(entry: dict) -> Decimal:
    return sum((Decimal(line["TRX_AMOUNT"]) for line in entry["ENTRIES"] if line["TR_TYPE"] == "1"), Decimal("0.00"))
