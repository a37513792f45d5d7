"""`actions list --csv`, `runs list --csv`, `errors list --csv`, `audit list` and `user disable`."""

from __future__ import annotations

import csv
import io
import json

from intacct_bridge.store.repositories.audit import AuditFilter, list_entries
from workspace_cli_helpers import cli  # noqa: F401 (fixture)

CSV = ("external_id,type,amount,happened_at,created_at,summary\n"
       "D-1,donation,10.00,2026-10-01,2026-10-01T10:00:00Z,One\n"
       "D-2,ticket,20.00,2026-10-02,2026-10-02T10:00:00Z,=cmd\n"
       "D-3,donation,30.00,2026-10-03,2026-10-03T10:00:00Z,Three\n")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_exports_and_the_audit_log_from_the_cli(cli, tmp_path):  # noqa: F811
    cli("workspace", "create", "Helping Hands")
    (tmp_path / "a.csv").write_text(CSV)
    cli("actions", "import", str(tmp_path / "a.csv"))
    out = cli("actions", "list", "--csv", "--min", "15", "--sort", "amount", "--desc").stdout
    rows = _rows(out)
    assert [r["external_id"] for r in rows] == ["D-3", "D-2"] and rows[1]["summary"] == "'=cmd"
    assert [r["external_id"] for r in _rows(cli("actions", "list", "--csv", "--type", "ticket").stdout)] == ["D-2"]
    assert _rows(cli("runs", "list", "--csv").stdout) == [] and "status" in cli("runs", "list", "--csv").stdout
    assert _rows(cli("errors", "list", "--csv").stdout) == []
    cli("settings", "set", "--journal", "GJ")
    listed = [json.loads(line) for line in cli("audit", "list", "--json").stdout.splitlines()]
    assert listed[0]["action"] == "settings.changed" and listed[0]["via"] == "cli"
    assert listed[0]["detail"] == {"journal": "GJ"}
    assert "settings.changed" in cli("audit", "list").stdout
    assert cli("audit", "list", "--action", "user").stdout.strip() == "No audit entries match."


def test_user_disable_is_audited_and_refuses_the_last_user(cli):  # noqa: F811
    cli("user", "create", "ann", "--password-stdin", input="long enough password\n")
    refused = cli("user", "disable", "ann", code=None)
    assert refused.exit_code != 0 and "last active user" in refused.output
    cli("user", "create", "bob", "--password-stdin", input="long enough password\n")
    assert "Disabled console user ann" in cli("user", "disable", "ann").stdout
    assert "disabled" in cli("user", "list").stdout
    store = cli.store()
    with store.session() as session:
        entries = [(e.action, e.target, e.via) for e in list_entries(session, AuditFilter(action="user"))]
    store.dispose()
    assert entries == [("user.disabled", "ann", "cli"), ("user.created", "bob", "cli"), ("user.created", "ann", "cli")]


def test_overview_prints_the_checklist_and_the_schedule(cli):  # noqa: F811
    cli("workspace", "create", "Helping Hands")
    text = cli("overview").stdout
    assert "Setup: 0 of 5 done" in text and "Connect to Sage Intacct" in text
    assert "Next scheduled sync: none" in text and "Posted: 0.00 in 0 records" in text
    cli("settings", "set", "--schedule", "02:30", "--timezone", "UTC")
    found = json.loads(cli("overview", "--json").stdout)
    assert found["next_sync"].endswith("02:30:00+00:00") and len(found["checklist"]) == 5
