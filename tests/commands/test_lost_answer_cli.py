"""A run that finds its entries already in Intacct after a lost answer says it posted them (issue 14),
in the CLI's summary and in the API's run, never "posted 0"."""

from __future__ import annotations

from sqlalchemy import select, update

from intacct_bridge.store.models import Action, SyncRun
from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import load_sample
from sync_cli_fixtures import cli  # noqa: F401  (fixture)


def test_entries_found_already_posted_are_reported_as_posted(cli):
    from intacct_bridge.web.api.convert import run_out

    ws = cli.workspace("Helping Hands")
    assert cli("pull").exit_code == 0
    load_sample(cli.store, ws, generate(2, actions=5, invalid=0, excluded=0))
    first = cli("sync")
    assert first.exit_code == 0, first.output
    posted = len(cli.emu.admin.ledger("helping-hands", "GLBATCH"))
    assert posted == 5
    with cli.store.write_session() as session:  # as if every answer had been lost: nothing known as posted here
        session.execute(update(Action).values(status="unposted", intacct_recordno=None))

    again = cli("sync")

    assert again.exit_code == 0, again.output
    assert "posted 0" not in " ".join(again.output.split())
    assert "5 (5 found already in Intacct after a lost answer)" in again.output
    assert len(cli.emu.admin.ledger("helping-hands", "GLBATCH")) == 5  # nothing posted twice
    with cli.store.session() as session:
        run = session.scalars(select(SyncRun).order_by(SyncRun.id.desc())).first()
        shown = run_out(run)
    assert (shown.posted, shown.already_posted) == (5, 5)
    assert shown.posted_summary == "5 (5 found already in Intacct after a lost answer)"
