"""What `sync` and `runs list` print, read as a finance admin reads it: ids as typed, tables that fit 80 columns."""

from __future__ import annotations

from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import load_sample

from sync_cli_fixtures import cli  # noqa: F401  (fixture)


def _loaded(cli, actions=20, invalid=2):
    ws = cli.workspace("Helping Hands")
    assert cli("pull").exit_code == 0
    load_sample(cli.store, ws, generate(2, actions=actions, invalid=invalid, excluded=1))
    return ws


def test_sync_one_action_by_its_external_id(cli):
    _loaded(cli, invalid=0)
    result = cli("sync", "--action", "A-00007")
    assert result.exit_code == 0, result.output
    assert len(cli.emu.admin.ledger("helping-hands", "GLBATCH")) == 1
    unknown = cli("sync", "--action", "A-NOPE")
    assert unknown.exit_code == 1 and "A-NOPE" in unknown.output


def test_dry_run_review_has_summaries_and_no_posting_bar(cli, monkeypatch):
    _loaded(cli)
    result = cli("sync", "--dry-run")
    assert result.exit_code == 3, result.output
    review = result.output.split("need review", 1)[1]
    assert "Posting journal entries" not in result.output  # a dry run posts nothing
    rows = [line for line in review.splitlines() if "A-0" in line]
    assert rows and all(line.split("│")[3].strip() for line in rows), review  # the summary column is filled


def test_runs_list_fits_80_columns(cli, monkeypatch):
    _loaded(cli)
    cli("sync", "--dry-run")
    cli("sync")
    monkeypatch.setenv("COLUMNS", "80")
    listing = cli("runs", "list").output
    lines = listing.splitlines()
    assert max(len(line) for line in lines) <= 80
    rows = {line.split()[0]: line for line in lines if line.strip()[:1].isdigit()}
    assert set(rows) == {"1", "2"}  # one line per run, its id first
    assert "dry run" in rows["1"] and "halted" in rows["1"]
    assert "manual" in rows["2"] and "halted" in rows["2"] and "0 of 19" in rows["2"]  # on the run's own line
