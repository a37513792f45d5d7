"""`workspace`, `connect`, `settings`, `db`: what a finance admin types to set up, with trustworthy exit codes."""

from __future__ import annotations

import stat

from sqlalchemy import select
from workspace_cli_helpers import cli  # noqa: F401 - fixture

from intacct_bridge.crypto import SecretBox
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.models import Connection
from intacct_bridge.store.repositories.connections import load_connection
from intacct_bridge.store.repositories.settings import load_sync_settings


def test_db_upgrade_then_up_to_date(cli):
    assert "from empty to" in cli("db", "upgrade").output
    assert "is up to date" in cli("db", "upgrade").output


def test_create_and_list_workspaces(cli):
    assert "Created workspace Helping Hands (helping-hands)" in cli("workspace", "create", "Helping Hands").output
    cli("workspace", "create", "Second Org", "--slug", "org2")
    listing = cli("workspace", "list").output
    assert "helping-hands" in listing and "org2" in listing and "not connected" in listing
    duplicate = cli("workspace", "create", "helping hands", code=1)
    assert "already exists" in duplicate.output


def test_commands_need_a_workspace_and_pick_the_only_one(cli):
    assert "workspace create NAME" in cli("settings", "show", code=1).output
    cli("workspace", "create", "One")
    assert "One (one)" in cli("settings", "show").output
    cli("workspace", "create", "Two")
    assert "choose one with --workspace" in cli("settings", "show", code=1).output
    assert "Two (two)" in cli("settings", "show", "-w", "two").output
    assert "no workspace 'three'" in cli("settings", "show", "-w", "three", code=1).output


def test_connect_prompts_without_echo_and_stores_the_password_encrypted(cli, tmp_path):
    cli("workspace", "create", "Helping Hands")
    result = cli("connect", "--company-id", "helping-hands", "--user-id", "ws_bridge", "--entity", "E100",
                 input="demo-user-pw\n")
    assert "demo-user-pw" not in result.output
    assert "company helping-hands, user ws_bridge, entity E100" in result.output
    key_file = tmp_path / "data" / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    store = cli.store()
    with store.session() as session:
        row = session.scalar(select(Connection))
        assert "demo-user-pw" not in row.password_encrypted
        details = load_connection(session, row.workspace_id, SecretBox.from_settings(OperatorSettings()))
        assert details.password.get_secret_value() == "demo-user-pw" and details.entity_id == "E100"
    store.dispose()
    shown = cli("settings", "show").output
    assert "stored, encrypted" in shown and "demo-user-pw" not in shown


def test_connect_password_stdin_and_bad_input(cli):
    cli("workspace", "create", "W")
    cli("connect", "--company-id", "c", "--user-id", "u", "--password-stdin", input="pw from a script\n")
    assert "password cannot be empty" in cli("connect", "--company-id", "c", "--user-id", "u", "--password-stdin",
                                              input="\n", code=1).output
    assert "http(s) URL" in cli("connect", "--company-id", "c", "--user-id", "u", "--endpoint", "ftp://x",
                                "--password-stdin", input="pw\n", code=1).output
    assert cli("connect", "--company-id", "c", code=2).exit_code == 2  # usage: --user-id missing


def test_settings_set_and_show(cli):
    cli("workspace", "create", "W")
    cli("settings", "set", "--location", "require", "--department", "available", "--custom", "available",
        "--custom-field", "FUND", "--custom-label", "Fund", "--posting-mode", "batching", "--journal", "CRJ",
        "--start-date", "2025-01-01", "--schedule", "02:30", "--timezone", "America/New_York",
        "--default", "ticket:account:CR=4100", "--default", "ticket:account:DR=1000")
    shown = cli("settings", "show").output
    for text in ("location", "require", "Fund (object FUND, line field GLDIMFUND)", "batching", "CRJ",
                 "2025-01-01", "02:30 America/New_York", "ticket: account CR = 4100"):
        assert text in shown
    cli("settings", "set", "--remove-default", "ticket:account:DR", "--no-schedule")
    store = cli.store()
    with store.session() as session:
        s = load_sync_settings(session, 1)
        assert len(s.mapping_rules) == 1 and s.schedule_time is None
    store.dispose()


def test_settings_set_refuses_bad_values_with_exit_1_or_2(cli):
    cli("workspace", "create", "W")
    assert "no custom field is set" in cli("settings", "set", "--custom", "require", code=1).output
    assert "unknown time zone" in cli("settings", "set", "--timezone", "Mars/Base", code=1).output
    assert "YYYY-MM-DD" in cli("settings", "set", "--start-date", "01/02/2025", code=1).output
    assert "TYPE:DIMENSION:SIDE=VALUE" in cli("settings", "set", "--default", "ticket=4100", code=1).output
    assert "not connected yet" in cli("settings", "set", "--endpoint", "https://x", code=1).output
    wrong_removal = cli("settings", "set", "--remove-default", "ticket:account", code=1).output
    assert "--remove-default 'ticket:account': write TYPE:DIMENSION:SIDE," in wrong_removal
    cli("settings", "set", "--location", "sometimes", code=2)


def test_connect_checks_the_workspace_before_asking_for_the_password(cli):
    cli("workspace", "create", "One")
    cli("workspace", "create", "Two")
    result = cli("connect", "--company-id", "c", "--user-id", "u", code=1)
    assert "choose one with --workspace" in result.output and "password" not in result.output.lower()


def test_an_unreachable_database_is_a_message_not_a_traceback(cli, monkeypatch):
    monkeypatch.setenv("INTACCT_BRIDGE_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    result = cli("workspace", "list", code=1)
    assert "cannot use the database" in result.output and "Traceback" not in result.output


def test_the_workspace_can_come_from_a_dotenv_file(cli, tmp_path):
    cli("workspace", "create", "One")
    cli("workspace", "create", "Two")
    (tmp_path / ".env").write_text("INTACCT_BRIDGE_WORKSPACE=two\n", encoding="utf-8")
    assert "Two (two)" in cli("settings", "show").output


def test_rotate_key_re_encrypts_passwords_under_the_new_key(cli, tmp_path, monkeypatch):
    from cryptography.fernet import Fernet

    cli("workspace", "create", "W")
    cli("connect", "--company-id", "c", "--user-id", "u", "--password-stdin", input="user-pw\n")
    assert "INTACCT_BRIDGE_SECRET_KEY" in cli("db", "rotate-key", code=1).output
    old = (tmp_path / "data" / "secret.key").read_text().strip()
    new = Fernet.generate_key().decode()
    monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", f"{new},{old}")
    assert "Re-encrypted 1 stored password(s)" in cli("db", "rotate-key").output
    monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", new)  # the old key is gone now
    store = cli.store()
    with store.session() as session:
        details = load_connection(session, 1, SecretBox.from_settings(OperatorSettings()))
        assert details.password.get_secret_value() == "user-pw"
    store.dispose()
    monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", Fernet.generate_key().decode())
    assert "cannot be decrypted" in cli("db", "rotate-key", code=1).output


def test_connect_rest_stores_the_secret_encrypted_and_settings_switch_the_api(cli):
    cli("workspace", "create", "Rest Org")
    result = cli("connect-rest", "--client-id", "app.INTACCT.app.sage.com", "--company-id", "acme",
                 "--user-id", "ws_user", input="client-s3cret\n")
    assert "client-s3cret" not in result.output and "speaks the REST API" in result.output
    store = cli.store()
    with store.session() as session:
        row = session.scalar(select(Connection))
        assert row.api == "rest" and "client-s3cret" not in row.client_secret_encrypted
        details = load_connection(session, row.workspace_id, SecretBox.from_settings(OperatorSettings()))
        assert details.client_secret.get_secret_value() == "client-s3cret" and details.company_id == "acme"
    cli("settings", "set", "--api", "xml")
    with store.session() as session:
        assert session.scalar(select(Connection.api)) == "xml"
    assert "one of xml, rest" in cli("settings", "set", "--api", "soap", code=1).output
    assert "client secret cannot be empty" in cli("connect-rest", "--client-id", "x", "--secret-stdin",
                                                  input="\n", code=1).output
    store.dispose()
