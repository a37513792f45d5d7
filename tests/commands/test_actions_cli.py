"""`actions import|list|show|tag`, `review list`, `campaigns list` through the CLI."""

from __future__ import annotations

from sqlalchemy import func, select
from workspace_cli_helpers import cli  # noqa: F401 - fixture

from intacct_bridge.domain.model import Reason
from intacct_bridge.store.models import Action, ReviewFlag

GOOD = (
    "external_id,type,amount,happened_at,constituent_name,summary,campaigns\n"
    "d-1,donation,25.00,2025-06-30,Ada Lovelace,Spring appeal,CR 4000;DR 1000\n"
    "d-2,ticket,10,2025-06-30,Grace Hopper,Gala ticket,DR 1000\n"
)


def setup_workspace(cli, tmp_path):
    cli("workspace", "create", "Helping Hands")
    cli.pull_accounts(1, {"1000": "Cash", "4000": "Donations", "4100": "Ticket Revenue"})
    path = tmp_path / "actions.csv"
    path.write_text(GOOD, encoding="utf-8")
    return path


def action_count(cli) -> int:
    store = cli.store()
    with store.session() as session:
        n = session.scalar(select(func.count()).select_from(Action))
    store.dispose()
    return n


def test_import_then_reimport(cli, tmp_path):
    path = setup_workspace(cli, tmp_path)
    assert "Imported 2 action(s) from actions.csv: 2 new, 0 updated, 0 unchanged" in cli("actions", "import", str(path)).output
    assert "0 new, 0 updated, 2 unchanged" in cli("actions", "import", str(path)).output


def test_a_half_bad_file_imports_nothing(cli, tmp_path):
    setup_workspace(cli, tmp_path)
    bad = tmp_path / "half.csv"
    bad.write_text(GOOD + "d-3,ticket,ten dollars,2025-06-30,Bob,,\nd-4,,5,2025-13-01,Bob,,CR 4100\n", encoding="utf-8")
    result = cli("actions", "import", str(bad), code=1)
    out = result.output
    assert "line" in out and "amount" in out and "'ten dollars' is not a number" in out
    assert "type" in out and "happened_at" in out
    assert "nothing was imported" in out
    assert action_count(cli) == 0


def test_json_lines_import_and_unknown_format(cli, tmp_path):
    setup_workspace(cli, tmp_path)
    path = tmp_path / "actions.jsonl"
    path.write_text('{"id": "j-1", "type": "donation", "amount": 5.5, "campaigns": ["CR 4000", "DR 1000"]}\n'
                    'oops\n', encoding="utf-8")
    assert "not valid JSON" in cli("actions", "import", str(path), code=1).output
    path.write_text('{"id": "j-1", "type": "donation", "amount": 5.5, "happened_at": "2025-06-30"}\n', encoding="utf-8")
    assert "1 new" in cli("actions", "import", str(path)).output
    other = tmp_path / "actions.txt"
    other.write_text("x", encoding="utf-8")
    assert "--format csv" in cli("actions", "import", str(other), code=1).output
    assert cli("actions", "import", str(tmp_path / "missing.csv"), code=2).exit_code == 2


def test_list_filters_and_show(cli, tmp_path):
    cli("actions", "import", str(setup_workspace(cli, tmp_path)))
    listing = cli("actions", "list").output
    assert "d-1" in listing and "d-2" in listing and "25.00" in listing
    only_tickets = cli("actions", "list", "--type", "ticket").output
    assert "d-2" in only_tickets and "d-1" not in only_tickets
    by_campaign = cli("actions", "list", "--campaign", "CR 4000").output
    assert "d-1" in by_campaign and "d-2" not in by_campaign
    assert "More may follow: --after 1" in cli("actions", "list", "--limit", "1").output
    shown = cli("actions", "show", "d-1").output
    assert "Spring appeal" in shown and "CR 4000 - Donations (Accounts)" in shown
    assert "no action 'x'" in cli("actions", "show", "x", code=1).output


def test_review_list_and_fixing_by_tag(cli, tmp_path):
    cli("actions", "import", str(setup_workspace(cli, tmp_path)))
    assert "Nothing needs review" in cli("review", "list").output
    store = cli.store()
    with store.session() as session:
        session.add(ReviewFlag(action_id=2, workspace_id=1, reasons=[
            Reason("account.CR", "no CR account: add one campaign from [Sage Intacct] Accounts with side CR").as_dict()]))
    store.dispose()
    review = cli("review", "list").output
    assert "d-2" in review and "no CR account" in review and "1 action(s) need review" in review
    assert "(review)" in cli("actions", "list", "--flagged").output
    assert "Changed 1 action(s)" in cli("actions", "tag", "d-2", "--add", "CR 4100").output
    assert "CR 4100 - Ticket Revenue" in cli("actions", "show", "d-2").output
    assert "already as asked" in cli("actions", "tag", "d-2", "--add", "CR 4100").output
    assert "no campaign 'CR 9'" in cli("actions", "tag", "d-2", "--add", "CR 9", code=1).output
    assert "--add CAMPAIGN" in cli("actions", "tag", "d-2", code=1).output
    assert "managed by the sync" in cli("actions", "tag", "d-2", "--remove", "System Needs Review", code=1).output


def test_campaigns_list(cli, tmp_path):
    cli("actions", "import", str(setup_workspace(cli, tmp_path)))
    listing = cli("campaigns", "list", "--category", "Accounts").output
    assert "CR 4000 - Donations" in listing and "DR 1000 - Cash" in listing and "System Needs Review" not in listing
    assert "System Needs Review" in cli("campaigns", "list").output
    assert "No campaigns match" in cli("campaigns", "list", "--search", "zzz").output


def test_add_own_campaign_then_import_with_it(cli, tmp_path):
    setup_workspace(cli, tmp_path)
    assert "Added campaign Spring Gala in Events" in cli("campaigns", "add", "Spring Gala", "--category", "Events").output
    assert "choose a category of your own" in cli("campaigns", "add", "X", "--category", "[System]", code=1).output
    path = tmp_path / "gala.csv"
    path.write_text("external_id,type,amount,happened_at,campaigns\ng-1,ticket,50,2025-06-30,Spring Gala;CR 4100;DR 1000\n",
                    encoding="utf-8")
    assert "1 new" in cli("actions", "import", str(path)).output
    assert "Spring Gala" in cli("actions", "list", "--campaign", "Events: Spring Gala").output


def test_json_lines_output_for_scripts(cli, tmp_path):
    import json

    cli("actions", "import", str(setup_workspace(cli, tmp_path)))
    rows = [json.loads(line) for line in cli("actions", "list", "--json").output.splitlines()]
    assert [r["external_id"] for r in rows] == ["d-1", "d-2"]
    assert rows[0]["amount"] == "25.00" and rows[0]["campaigns"] == ["CR 4000 - Donations", "DR 1000 - Cash"]
    assert rows[0]["happened_at"].startswith("2025-06-30T") and rows[0]["needs_review"] is False
    assert cli("review", "list", "--json").output == ""
