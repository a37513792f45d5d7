"""`reconcile` over a real store and the emulator: exit 0 with no drift, 6 with drift, JSON for scripts."""

from __future__ import annotations

import json

from intacct_bridge.store.models import Workspace
from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import load_sample

from sync_cli_fixtures import cli  # noqa: F401  (fixture)

COMPANY = "helping-hands"


def test_reconcile_exits_0_without_drift_and_6_after_an_entry_is_changed_in_intacct(cli):
    ws = cli.workspace("Helping Hands")
    assert cli("pull").exit_code == 0
    load_sample(cli.store, ws, generate(2, actions=3, invalid=0, excluded=0))
    assert cli("sync").exit_code == 0

    clean = cli("reconcile")
    assert clean.exit_code == 0, clean.output
    assert "Compared 3 records" in clean.output and "No drift" in clean.output

    with cli.store.session() as session:
        uid = session.get(Workspace, ws).uid
    entry = next(e for e in cli.emu.admin.ledger(COMPANY, "GLBATCH") if e["REFERENCENO"].startswith(f"ib-{uid}-"))
    cli.emu.admin.update_record(COMPANY, "GLBATCH", entry["RECORDNO"], fields={"JOURNAL": "ADJ"})
    drifted = cli("reconcile", "--kind", "actions")
    assert drifted.exit_code == 6, drifted.output
    assert "Changed in Intacct" in drifted.output and "journal" in drifted.output and "Drift found" in drifted.output

    as_json = cli("reconcile", "--json")
    assert as_json.exit_code == 6
    report = json.loads(as_json.output)
    assert report["drift"] and report["changed"][0]["differences"] == [
        {"field": "journal", "ours": "GJ", "theirs": "ADJ"}]

    assert cli("reconcile", "--since", "2999-01-01").exit_code == 0
    other_kinds = cli("reconcile", "--kind", "vendors", "--kind", "invoices")
    assert other_kinds.exit_code == 0 and "By kind" in other_kinds.output and "vendor" in other_kinds.output
    refused = cli("reconcile", "--kind", "donkeys")
    assert refused.exit_code == 1 and "unknown record kind" in refused.output


def test_settings_choose_reversals_dated_on_the_change(cli):
    cli.workspace("Helping Hands")
    assert "posted changes" in cli("settings", "show").output
    done = cli("settings", "set", "--posted-changes", "reverse", "--reversal-date", "change")
    assert done.exit_code == 0, done.output
    shown = cli("settings", "show").output
    assert "reverse" in shown and "change" in shown
    assert cli("settings", "set", "--posted-changes", "sometimes").exit_code == 2


def test_settings_choose_when_to_reconcile_and_the_recorded_ones_are_listed(cli):
    ws = cli.workspace("Helping Hands")
    refused = cli("settings", "set", "--reconcile", "daily")
    assert refused.exit_code != 0 and "needs a time" in refused.output
    assert cli("settings", "set", "--reconcile", "daily", "--reconcile-at", "6h").exit_code != 0
    done = cli("settings", "set", "--reconcile", "daily", "--reconcile-at", "06:15", "--timezone", "Europe/Paris")
    assert done.exit_code == 0, done.output
    assert "daily at 06:15 Europe/Paris" in cli("settings", "show").output
    assert cli("settings", "set", "--reconcile", "after_sync").exit_code == 0
    assert "after_sync" in cli("settings", "show").output

    assert cli("pull").exit_code == 0
    load_sample(cli.store, ws, generate(3, actions=2, invalid=0, excluded=0))
    assert cli("sync").exit_code == 0                 # reconciles after it (no drift)
    listed = cli("reconcile", "--recorded")
    assert listed.exit_code == 0 and "after sync run" in listed.output and "no drift" in listed.output
    (row,) = json.loads(cli("reconcile", "--recorded", "--json").output)
    assert row["trigger"] == "after_sync" and row["drift"] is False and row["summary"]["compared"] == 2


def test_reconcile_of_master_data_and_bills_exits_0_clean_and_6_on_drift_grouped_by_kind(cli):
    from intacct_bridge.api import Bridge
    from intacct_bridge.settings import OperatorSettings

    ws = cli.workspace("Helping Hands")
    bridge = Bridge(cli.store, ws, OperatorSettings())
    bridge.import_vendors([{"external_id": "sup-1", "vendor_id": "CLI-V1", "name": "Paper Supplies"}])
    bridge.import_bills([{"external_id": "b1", "vendor_id": "CLI-V1", "number": "CLI-1", "bill_date": "2026-11-05",
                          "due_date": "2026-12-05", "lines": [{"gl_account": "6010", "amount": "42.00",
                                                               "location": "100"}]}])
    synced = cli("sync")
    assert synced.exit_code == 0, synced.output

    clean = cli("reconcile", "--kind", "vendors", "--kind", "bills")
    assert clean.exit_code == 0, clean.output
    assert "Compared 2 records" in clean.output and "No drift" in clean.output

    vendor = next(v for v in cli.emu.admin.ledger(COMPANY, "VENDOR") if v["VENDORID"] == "CLI-V1")
    cli.emu.admin.update_record(COMPANY, "VENDOR", vendor["RECORDNO"], fields={"NAME": "Paper & Co"})
    drifted = cli("reconcile")
    assert drifted.exit_code == 6, drifted.output
    assert "By kind" in drifted.output and "field NAME" in drifted.output and "Paper & Co" in drifted.output
    report = json.loads(cli("reconcile", "--json").output)
    assert report["by_kind"]["vendor"]["changed"] == 1 and report["by_kind"]["bill"]["matched"] == 1
