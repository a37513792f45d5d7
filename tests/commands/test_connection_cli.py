"""`test-connection` tells each setup problem apart and prints the fix in plain words."""

from __future__ import annotations

import pytest

from intacct_bridge.domain.vocabulary import Dimension, DimensionMode
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings

from sync_cli_fixtures import cli  # noqa: F401  (fixture)


def test_a_good_connection_passes_every_check(cli):
    cli.workspace("Helping Hands")
    result = cli("test-connection")
    assert result.exit_code == 0, result.output
    for check in ("sign in", "read Accounts", "read Locations", "read Departments", "read Fund", "journal GJ",
                  "read Journal Entries", "Connection OK"):
        assert check in result.output
    assert "passed" in cli("status").output


@pytest.mark.parametrize(("overrides", "title", "fix"), [
    ({"INTACCT_USER_PASSWORD": "Wr0ng-s3cret"}, "Intacct refused the sign-in", "Company > Admin > Web Services users"),
    ({"INTACCT_COMPANY_ID": "no-webservices"}, "is not subscribed to Web Services", "Company > Admin > Subscriptions"),
    ({"INTACCT_COMPANY_ID": "ip-locked"}, "blocks sign-ins from this server", "Enforce IP address filters"),
])
def test_sign_in_problems_are_told_apart(cli, overrides, title, fix):
    cli.workspace("Broken", **overrides)
    result = cli("test-connection")
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert title in text and fix in text and "Intacct said:" in text
    assert "Wr0ng-s3cret" not in result.output and "demo-user-pw" not in result.output  # never echoed


def test_sender_not_authorized(cli, monkeypatch):
    cli.workspace("Helping Hands")
    monkeypatch.setenv("INTACCT_SENDER_ID", "rogue-sender")
    monkeypatch.setenv("INTACCT_SENDER_PASSWORD", "rogue-pw")
    result = cli("test-connection")
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "Sender ID 'rogue-sender' is not authorized for company 'helping-hands'" in text
    assert "Web Services authorizations add the sender ID 'rogue-sender'" in text


def test_missing_permissions_are_each_named(cli):
    ws = cli.workspace("Limited", INTACCT_USER_ID="ws_limited")
    with cli.store.write_session() as session:
        update_settings(session, ws, SettingsChange(modes={Dimension.CLASS: DimensionMode.REQUIRE}))
    result = cli("test-connection")
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "user ws_limited cannot read Departments" in text and "Company > Departments" in text
    assert "user ws_limited cannot read Classes" in text and "Company > Classes" in text
    assert "set Classes to Exclude" in text
