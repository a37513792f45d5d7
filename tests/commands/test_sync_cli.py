"""`pull`, `sync [--dry-run] [--action]`, `runs list|show`, `status`: output and exit codes."""

from __future__ import annotations

from sqlalchemy import select

from intacct_bridge.store.locks import RunLock
from intacct_bridge.store.models import Action
from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import apply_fix, load_sample

from sync_cli_fixtures import cli  # noqa: F401  (fixture)


def _loaded(cli, name="Helping Hands", actions=60, invalid=2):
    ws = cli.workspace(name)
    assert cli("pull").exit_code == 0
    data = generate(2, actions=actions, invalid=invalid, excluded=1)
    load_sample(cli.store, ws, data)
    return ws, data


def test_pull_reports_values_and_campaigns(cli):
    cli.workspace("Helping Hands")
    result = cli("pull")
    assert result.exit_code == 0, result.output
    assert "Pulled 90 values from 4 objects: 180 campaigns created" in result.output


def test_dry_run_prints_entries_and_invalid_actions_and_posts_nothing(cli):
    _loaded(cli)
    result = cli("sync", "--dry-run", "--show", "5")
    assert result.exit_code == 3, result.output  # it would halt
    assert "Journal entries that would be posted" in result.output and "… and 52 more" in result.output
    assert "Actions that need review" in result.output and "Dry run" in result.output
    assert cli.emu.admin.ledger("helping-hands", "GLBATCH") == []


def test_sync_halts_with_exit_3_then_succeeds_after_fixes(cli):
    ws, data = _loaded(cli)
    halted = cli("sync")
    assert halted.exit_code == 3, halted.output
    assert "halted: 2 of 59 actions need review" in halted.output and "no DR account" in halted.output
    for sample in data.actions:
        if sample.fix:
            apply_fix(cli.store, ws, sample.external_id, sample.fix)
    done = cli("sync")
    assert done.exit_code == 0, done.output
    assert "succeeded" in done.output and len(cli.emu.admin.ledger("helping-hands", "GLBATCH")) == 59

    listing = cli("runs", "list")
    assert listing.exit_code == 0 and "halted" in listing.output and "succeeded" in listing.output
    shown = cli("runs", "show", "2", "--outcome", "posted", "--limit", "3")
    assert shown.exit_code == 0 and shown.output.count("posted") >= 3
    status = cli("status")
    assert status.exit_code == 0 and "#2 succeeded" in status.output and "59 posted" in status.output


def test_sync_one_action(cli):
    ws, data = _loaded(cli, invalid=0)
    with cli.store.session() as session:
        target = session.scalar(select(Action.id).where(Action.external_id == "A-00007"))
    result = cli("sync", "--action", str(target))
    assert result.exit_code == 0, result.output
    assert [e["REFERENCENO"].rsplit("-", 1)[1] for e in cli.emu.admin.ledger("helping-hands", "GLBATCH")] == [str(target)]


def test_second_run_is_refused_with_exit_5(cli):
    ws, _ = _loaded(cli)
    with RunLock(cli.store, ws, heartbeat_every=None):
        result = cli("sync")
    assert result.exit_code == 5
    assert "already running for this workspace" in result.output


def test_workspace_must_be_named_when_there_are_several(cli):
    cli.workspace("First")
    cli.workspace("Second")
    assert cli("status").exit_code == 1
    assert cli("status", workspace="second").exit_code == 0


def test_unknown_run_is_an_error(cli):
    cli.workspace("Helping Hands")
    result = cli("runs", "show", "99")
    assert result.exit_code == 1 and "no run 99" in result.output


def test_an_unusable_database_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from intacct_bridge.cli import app

    (tmp_path / "a-directory").mkdir()  # SQLite cannot open a directory as its database file
    monkeypatch.setenv("INTACCT_BRIDGE_DATABASE_URL", f"sqlite:///{tmp_path / 'a-directory'}")
    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "cannot use the database" in result.output
