"""`bills show` lists every version written to Intacct and `bills delete` queues the cancellation, through the CLI
against the emulator over HTTP (issue 12)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from intacct_bridge.store.models import Action, utcnow
from intacct_bridge.store.repositories.posted_changes import CHANGED, supersede
from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import load_sample

from sync_cli_fixtures import cli  # noqa: F401  (fixture)

BILL = ("external_id,vendor_id,bill_number,bill_date,due_date,line_gl_account,line_amount\n"
        "b1,V-100,CLI-1,2026-11-02,2026-12-02,6010,{amount}\n")


def test_a_changed_bill_shows_its_versions_and_a_delete_queues_its_cancellation(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cli.workspace("Books")
    (tmp_path / "bill.csv").write_text(BILL.format(amount="100.00"), encoding="utf-8")
    cli("bills", "import", "bill.csv")
    assert cli("sync", "--kind", "bills").exit_code == 0
    (tmp_path / "bill.csv").write_text(BILL.format(amount="130.00"), encoding="utf-8")
    refused = cli("bills", "import", "bill.csv")
    assert refused.exit_code == 1
    refused = refused.output
    assert "refuses changes to posted records" in refused and "posted_changes" in refused
    kept = cli("bills", "delete", "b1")
    assert kept.exit_code == 1 and "refuses changes" in kept.output

    cli("settings", "set", "--posted-changes", "reverse")
    assert "1 updated" in cli("bills", "import", "bill.csv").output
    assert cli("sync").exit_code == 0
    shown = cli("bills", "show", "b1").output
    assert "version 1" in shown and "version 2" in shown and "cancellation (changed)" in shown
    (original, corrected) = cli.emu.admin.ledger("helping-hands", "APBILL")
    assert f"Intacct {corrected['RECORDNO']}" in shown and "amount -100.00" in shown and "amount 130.00" in shown

    assert "the cancellation of version 2 is posted at the next sync" in cli("bills", "delete", "b1").output
    assert "cancellation (deleted), unposted" in cli("bills", "show", "b1").output
    assert cli("sync").exit_code == 0
    assert [a["TOTALENTERED"] for a in cli.emu.admin.ledger("helping-hands", "APADJUSTMENT")] == ["-100.00",
                                                                                                 "-130.00"]
    again = cli("bills", "delete", "b1")
    assert again.exit_code == 1 and "already withdrawn" in again.output


def test_actions_show_lists_each_entry_and_reversal(cli):
    ws = cli.workspace("Helping Hands")
    assert cli("pull").exit_code == 0
    load_sample(cli.store, ws, generate(2, actions=1, invalid=0, excluded=0))
    assert cli("sync").exit_code == 0
    assert cli("settings", "set", "--posted-changes", "reverse").exit_code == 0
    with cli.store.write_session() as session:
        action = session.scalars(select(Action).where(Action.workspace_id == ws)).one()
        supersede(session, ws, action, CHANGED, utcnow())
        action.amount += Decimal("1.00")
        external_id = action.external_id
    assert cli("sync").exit_code == 0
    shown = cli("actions", "show", external_id).output
    assert "version 1" in shown and "entry, posted" in shown and "reversal (changed), posted" in shown
    assert "version 2" in shown and "-v2" in shown
