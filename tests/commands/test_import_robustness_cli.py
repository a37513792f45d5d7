"""`actions import` on files that used to crash or pass silently: empty, header only, huge fields, control characters."""

from __future__ import annotations

from sqlalchemy import select
from workspace_cli_helpers import cli  # noqa: F401 - fixture

from intacct_bridge.store.models import Action

HEADER = "external_id,type,amount,happened_at,summary\n"


def _workspace(cli):
    cli("workspace", "create", "Helping Hands")


def test_an_empty_or_header_only_file_is_an_error(cli, tmp_path):
    _workspace(cli)
    for name, text in (("empty.csv", ""), ("header.csv", HEADER), ("empty.jsonl", "\n")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = cli("actions", "import", str(path), code=1)
        assert "nothing to import" in result.output and "nothing was imported" in result.output


def test_a_huge_field_is_named_by_line_and_field_not_a_traceback(cli, tmp_path):
    _workspace(cli)
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "d-1,donation,5,2025-06-30,ok\nd-2,donation,5,2025-06-30," + "x" * 200_000 + "\n",
                    encoding="utf-8")
    result = cli("actions", "import", str(path), code=1)
    assert "Traceback" not in result.output
    assert "summary" in result.output and "200,000 characters" in result.output and "2,000" in result.output


def test_a_control_character_is_refused_then_replaced_when_the_workspace_chooses(cli, tmp_path):
    _workspace(cli)
    path = tmp_path / "bell.csv"
    path.write_text(HEADER + "d-1,donation,5,2025-06-30,Gala\x07dinner\n", encoding="utf-8")
    refused = cli("actions", "import", str(path), code=1)
    assert "U+0007" in refused.output and "summary" in refused.output
    cli("settings", "set", "--control-characters", "replace")
    assert "replace" in cli("settings", "show").output
    assert "1 new" in cli("actions", "import", str(path)).output
    store = cli.store()
    with store.session() as session:
        assert session.scalar(select(Action.summary)) == "Gala\ufffddinner"
    store.dispose()


def test_review_shows_the_fix_that_fits_each_reason(cli, tmp_path):
    import json

    from intacct_bridge.domain.values import parse_amount
    from intacct_bridge.store.models import ReviewFlag

    _workspace(cli)
    path = tmp_path / "two.csv"
    path.write_text(HEADER + "d-1,donation,,2025-06-30,no amount\nd-2,donation,5,2025-06-30,ok\n", encoding="utf-8")
    cli("actions", "import", str(path))
    store = cli.store()
    with store.session() as session:
        session.add(ReviewFlag(action_id=1, workspace_id=1, reasons=[parse_amount(None)[1].as_dict()]))
    store.dispose()
    listed = cli("review", "list").output
    assert "actions import" in listed and "actions tag" not in listed
    [row] = [json.loads(line) for line in cli("review", "list", "--json").output.splitlines()]
    assert row["reasons"][0]["remedy"] == "source" and "import the action again" in row["reasons"][0]["fix"]
