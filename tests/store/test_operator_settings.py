"""Operator settings: INTACCT_BRIDGE_* lines, the deployment's sender, the default endpoint and database."""

from __future__ import annotations

from intacct_bridge.settings import DEFAULT_ENDPOINT, OperatorSettings


def test_sender_and_endpoint_come_from_the_intacct_lines(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INTACCT_SENDER_ID", "intacct-bridge")
    monkeypatch.setenv("INTACCT_SENDER_PASSWORD", "bridge-sender-pw")
    monkeypatch.setenv("INTACCT_ENDPOINT", "http://127.0.0.1:9/ia/xml/xmlgw.phtml")
    settings = OperatorSettings()
    assert settings.sender_id == "intacct-bridge"
    assert settings.sender_password.get_secret_value() == "bridge-sender-pw"
    assert settings.default_endpoint == "http://127.0.0.1:9/ia/xml/xmlgw.phtml"
    assert "bridge-sender-pw" not in repr(settings)


def test_defaults_database_in_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("INTACCT_ENDPOINT", "INTACCT_BRIDGE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INTACCT_BRIDGE_DATA_DIR", str(tmp_path / "data"))
    settings = OperatorSettings()
    assert settings.default_endpoint == DEFAULT_ENDPOINT
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path / 'data' / 'intacct-bridge.db'}"
    assert (tmp_path / "data").is_dir()
    monkeypatch.setenv("INTACCT_BRIDGE_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert OperatorSettings().resolved_database_url() == "postgresql+psycopg://u@h/db"


def test_a_dotenv_file_in_the_working_directory_is_read(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INTACCT_BRIDGE_WORKSPACE", raising=False)
    (tmp_path / ".env").write_text("INTACCT_BRIDGE_WORKSPACE=helping-hands\n", encoding="utf-8")
    assert OperatorSettings().workspace == "helping-hands"
