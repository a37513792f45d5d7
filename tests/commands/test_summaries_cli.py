"""Summary posting from the CLI and the Python API: `settings set --summary-types`, `sync`, `summaries list|show`,
`actions show` naming the summary, and `reconcile` finding no drift in a summarized workspace."""

from __future__ import annotations

import json

from intacct_bridge.api import Bridge
from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import load_sample

from sync_cli_fixtures import cli  # noqa: F401  (fixture)


def test_summaries_from_the_cli_and_the_python_api(cli):
    ws = cli.workspace("Helping Hands")
    assert cli("pull").exit_code == 0
    assert "off (one entry per action)" in cli("settings", "show").output
    done = cli("settings", "set", "--summary-types", "Donation, membership", "--summary-period", "day")
    assert done.exit_code == 0, done.output
    assert "donation, membership (one entry per day)" in cli("settings", "show").output
    assert cli("settings", "set", "--summary-period", "week").exit_code == 2
    load_sample(cli.store, ws, generate(3, actions=12, invalid=0, excluded=0))
    bridge = Bridge.open("helping-hands")
    try:   # a dry run from the Python API: the summary entries, in memory only
        dry = bridge.sync(dry_run=True)
        assert dry.summaries and all(s.debit_total == s.credit_total > 0 for s in dry.summaries)
        assert bridge.summaries() == []
    finally:
        bridge.close()
    previewed = cli("sync", "--dry-run")
    assert previewed.exit_code == 0, previewed.output
    first_preview = dry.summaries[0]
    assert f"Summary entry that would be posted: {first_preview.reference}" in previewed.output
    assert f"debits {first_preview.debit_total}, credits {first_preview.credit_total}" in previewed.output
    assert f"It would hold: {first_preview.shares[0].external_id} {first_preview.shares[0].amount}" in previewed.output
    assert json.loads(cli("summaries", "list", "--json").output or "null") is None
    synced = cli("sync")
    assert synced.exit_code == 0, synced.output

    listed = [json.loads(line) for line in cli("summaries", "list", "--json").output.splitlines()]
    assert listed and all(s["status"] == "posted" for s in listed)
    assert {s["reference"] for s in listed} == {s.reference for s in dry.summaries}   # what the dry run showed
    table = cli("summaries", "list")
    assert listed[0]["reference"] in table.output
    first = listed[0]
    shown = cli("summaries", "show", str(first["id"]))
    assert shown.exit_code == 0, shown.output
    held = json.loads(cli("summaries", "show", str(first["id"]), "--json").output)["actions"]
    assert len(held) == first["action_count"] and held[0]["external_id"] in shown.output
    assert "actions it holds" in shown.output and "lines" in shown.output
    action = cli("actions", "show", held[0]["external_id"])
    assert f"{first['id']}: {first['reference']}" in action.output
    assert cli("summaries", "show", "9999").exit_code == 1
    assert cli("reconcile").exit_code == 0

    bridge = Bridge.open("helping-hands")
    try:
        assert [s.id for s in bridge.summaries()] == [s["id"] for s in listed]
        assert bridge.summary(first["id"]).actions[0].external_id == held[0]["external_id"]
        assert bridge.action_summary(held[0]["action_id"]).id == first["id"]
        settings = bridge.set_summary_posting(["ticket"], "run")
        assert settings.summary_types == frozenset({"ticket"}) and settings.summary_period.value == "run"
    finally:
        bridge.close()
