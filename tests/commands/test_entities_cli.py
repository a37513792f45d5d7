"""`entities pull|list|show|reference|level` and the multi-entity settings over the CLI, against the emulator
over HTTP: values per entity, settings that take only what was pulled, the warning on a level change, an
entity the user cannot reach named by test-connection."""

from __future__ import annotations

from sync_cli_fixtures import cli  # noqa: F401  (fixture)

GROUP = {"INTACCT_COMPANY_ID": "helping-hands-group"}


def text_of(result) -> str:
    """The output with the table borders taken out and runs of spaces made one."""
    return " ".join(result.output.translate({ord(c): " " for c in "│┃┏┓┗┛┡┩└┘━─┳┻╇┴┬"}).split())


def test_entities_commands_and_the_level_warning(cli):
    cli.workspace("Group", **GROUP)
    assert "run `intacct-bridge entities pull`" in text_of(cli("entities", "list"))
    assert cli("pull").exit_code == 0   # accounts and dimensions, each value with its owning entity
    pulled = cli("entities", "pull")
    assert pulled.exit_code == 0, pulled.output
    assert "Pulled entity: 3, journal: 4, AR term: 5, tax detail: 3; 3 entity campaign(s) created." in text_of(pulled)
    listed = text_of(cli("entities", "list"))
    assert "E200 Helping Hands West active 1 ARTERM, 1 DEPARTMENT, 1 LOCATION" in listed
    shown = text_of(cli("entities", "show", "E100"))
    assert "E100 Helping Hands East" in shown and "DEPARTMENT D-E100 East Outreach" in shown
    missing = cli("entities", "show", "E999")
    assert missing.exit_code == 1 and "no entity 'E999'" in text_of(missing)
    journals = text_of(cli("entities", "reference", "journals"))
    assert "GJ General Journal active top level" in journals
    refused = cli("settings", "set", "--journal", "ZZ")
    assert refused.exit_code == 1 and "journal 'ZZ' is not in Intacct: choose one of ADJ, CRJ, GJ" in text_of(refused)
    level = cli("entities", "level", "entity", "--default-entity", "E100")
    assert level.exit_code == 0
    assert "warning: posting level changes from top to entity: 0 record(s) not posted yet" in text_of(level)
    back = cli("settings", "set", "--posting-level", "top")
    assert back.exit_code == 0 and "warning: posting level changes from entity to top" in text_of(back)
    shown = text_of(cli("settings", "show"))
    assert "posting level top" in shown and "default entity E100" in shown


def test_test_connection_names_an_entity_the_user_cannot_reach(cli):
    workspace_id = cli.workspace("East only", INTACCT_USER_ID="ws_east", **GROUP)
    from intacct_bridge.store.models import Connection

    with cli.store.write_session() as session:
        session.get(Connection, workspace_id).entity_id = "E100"   # ws_east may not sign in at the top level
    assert cli("entities", "pull").exit_code == 0
    assert cli("entities", "level", "entity", "--default-entity", "E300").exit_code == 0
    result = cli("test-connection")
    assert result.exit_code == 1
    text = text_of(result)
    assert "user ws_east cannot reach entity E300" in text and "entity access" in text
