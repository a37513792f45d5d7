"""`mapping`: rules, skip rules and the description template from the terminal; the next scheduled sync."""

from __future__ import annotations

from workspace_cli_helpers import cli  # noqa: F401 - fixture


def test_rules_skip_rules_and_template(cli):
    cli("workspace", "create", "One")
    cli.pull_accounts(1, {"4400": "Gala Revenue"})
    refused = cli("mapping", "add-rule", "--if", "amount gt abc", "--then", "account:CR=4400", code=1)
    assert "condition 1: Amount: the value 'abc' is not an amount" in refused.output
    assert "write FIELD OPERATOR VALUE" in cli("mapping", "add-rule", "--if", "amount", "--then", "account:CR=4400",
                                              code=1).output
    assert "no CR account '9' has been pulled" in cli("mapping", "add-rule", "--if", "amount gt 1",
                                                      "--then", "account:CR=9", code=1).output
    added = cli("mapping", "add-rule", "--if", "amount between 10 and 20", "--if", "type equals ticket", "--join", "or",
                "--then", "account:CR=4400").output
    assert "if Amount is between 10.00 and 20.00 OR Action type equals ticket then CR account 4400" in added
    assert "then CR account 4400" in cli("mapping", "rules").output
    assert "Test orders: External id starts with test-" in cli("mapping", "add-skip", "Test orders",
                                                              "--if", "external_id starts_with test-").output
    assert "paused" in cli("mapping", "pause-skip", "1").output
    assert "paused" in cli("mapping", "skip-rules").output
    assert "unknown placeholder(s) {donor}" in cli("mapping", "template", "--set", "{donor}", code=1).output
    shown = cli("mapping", "template", "--set", "{type} {external_id}").output
    assert "Preview on a sample action: ticket t-1001" in shown
    assert "(none" in cli("mapping", "template", "--clear").output
    cli("mapping", "remove-rule", "1")
    assert "No mapping rules" in cli("mapping", "rules").output


def test_settings_show_the_next_scheduled_sync(cli):
    cli("workspace", "create", "One")
    assert "next scheduled sync" not in cli("settings", "show").output
    cli("settings", "set", "--every-hours", "6")
    assert "next scheduled sync" in cli("settings", "show").output


def test_campaigns_create_value_queues_it_for_intacct(cli):
    cli("workspace", "create", "One")
    assert "cannot be created from here" in cli("campaigns", "create-value", "location", "L-1", "West", code=1).output
    cli("settings", "set", "--location", "available")
    done = cli("campaigns", "create-value", "location", "L-1", "West Region").output
    assert "LOCATION L-1 (West Region) is created in Sage Intacct at the next sync" in done
    assert "id 'a b'" in cli("campaigns", "create-value", "location", "a b", "x", code=1).output
