"""`errors list|retry|resolve` and `notifications set|show|log|deliver` over a real store and the emulator."""

from __future__ import annotations

import json
from datetime import date, timedelta

from intacct_bridge.cli import app
from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import load_sample

from sync_cli_fixtures import cli  # noqa: F401  (fixture)


def _rejected(cli, actions=4):
    ws = cli.workspace("Helping Hands")
    assert cli("pull").exit_code == 0
    load_sample(cli.store, ws, generate(2, actions=actions, invalid=0, excluded=0))
    cli.emu.admin.set_closed_through("helping-hands", None, date.today() + timedelta(days=1))
    result = cli("sync")
    assert result.exit_code == 4, result.output  # completed with errors: every one rejected
    return ws


def _listed(cli, *args):
    result = cli("errors", "list", "--json", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def test_errors_are_listed_by_class_with_their_fix_resolved_and_retried(cli):
    _rejected(cli)
    shown = cli("errors", "list", "--class", "closed-period")
    assert shown.exit_code == 0 and "Closed period" in shown.output and "reopen the period" in shown.output
    items = _listed(cli, "--class", "closed_period", "--kind", "actions")
    assert len(items) == 4 and {i["status"] for i in items} == {"rejected"}
    assert _listed(cli, "--class", "permission") == []
    assert "unknown error class 'nope'" in cli("errors", "list", "--class", "nope").output

    refused = cli("errors", "resolve", str(items[0]["id"]))
    assert refused.exit_code == 1 and "say why" in refused.output
    assert cli("errors", "resolve").exit_code == 1  # nothing chosen
    done = cli("errors", "resolve", str(items[0]["id"]), "--reason", "entered by hand in Intacct")
    assert done.exit_code == 0 and "Resolved 1 errors" in done.output
    (resolved,) = _listed(cli, "--state", "resolved")
    assert resolved["resolution"] == "entered by hand in Intacct" and resolved["resolved_by"].startswith("cli:")

    cli.emu.admin.set_closed_through("helping-hands", None, date(2000, 1, 1))
    retried = cli("errors", "retry", "--class", "closed_period")
    assert retried.exit_code == 0, retried.output
    assert "Released 3 errors" in retried.output and "succeeded" in retried.output
    assert len(cli.emu.admin.ledger("helping-hands", "GLBATCH")) == 3
    assert _listed(cli) == []


def test_notifications_are_set_shown_and_logged_without_the_secret(cli):
    cli.workspace("Helping Hands")
    hook = "https://93.184.216.34/hooks/intacct"  # a public address, no DNS needed
    refused = cli.runner.invoke(app,
                                ["notifications", "set", "--webhook", hook, "--secret-stdin"], input="short\n")
    assert refused.exit_code == 1 and "at least 16 characters" in refused.output
    saved = cli.runner.invoke(app,
                              ["notifications", "set", "--email", "ap@example.org", "--webhook", hook,
                               "--secret-stdin", "--event", "run.failed"], input="s3cret-s3cret-s3cret\n")
    assert saved.exit_code == 0, saved.output
    shown = cli("notifications", "show")
    assert "ap@example.org" in shown.output and "(secret set)" in shown.output and "s3cret" not in shown.output
    private = cli.runner.invoke(app,
                                ["notifications", "set", "--webhook", "http://10.0.0.5/hook"])
    assert private.exit_code == 1 and "private" in private.output
    assert "No notifications yet" in cli("notifications", "log").output


def test_errors_list_takes_the_days_they_last_failed(cli):
    from datetime import UTC, datetime

    from intacct_bridge.store.models import ReviewFlag

    ws = cli.workspace("Helping Hands")
    with cli.store.write_session() as session:
        for record_id, day in ((1, 2), (2, 5), (3, 9)):
            session.add(ReviewFlag(workspace_id=ws, record_kind="invoice", record_id=record_id, kind="rejected",
                                   error_class="closed_period", updated_at=datetime(2026, 10, day, 12, tzinfo=UTC),
                                   reasons=[{"message": "x"}]))
    assert [i["record_id"] for i in _listed(cli, "--from", "2026-10-03", "--to", "2026-10-09")] == [2, 3]
    exported = cli("errors", "list", "--csv", "--to", "2026-10-04")
    assert exported.exit_code == 0 and [line.split(",")[2] for line in exported.output.splitlines()[1:]] == ["1"]
    assert cli("errors", "list", "--from", "10/03/2026").exit_code == 2
