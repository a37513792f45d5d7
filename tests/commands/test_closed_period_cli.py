"""`settings set --closed-period-policy`: shown by `settings show`, refused when unknown."""

from __future__ import annotations

from sync_cli_fixtures import cli  # noqa: F401  (fixture)


def test_settings_choose_the_next_open_period(cli):
    cli.workspace("Helping Hands")
    assert "closed periods" in cli("settings", "show").output and "reject" in cli("settings", "show").output
    done = cli("settings", "set", "--closed-period-policy", "next_open")
    assert done.exit_code == 0, done.output
    assert "next_open" in cli("settings", "show").output
    assert cli("settings", "set", "--closed-period-policy", "sometimes").exit_code == 2
