"""The Backend API the wire layer consumes: actors, transactions, savepoints, seed, ledger."""

from __future__ import annotations

import datetime as dt

import pytest

from intacct_emulator.backend import Backend


@pytest.fixture
def backend() -> Backend:
    b = Backend.open(":memory:")
    b.seed("demo")
    return b


def test_demo_actors(backend: Backend) -> None:
    with backend.transaction() as conn:
        sender = backend.sender(conn, "intacct-bridge")
        assert sender is not None and sender.password == "bridge-sender-pw"
        assert "bridge-sender-pw" not in repr(sender)
        assert backend.sender_authorized(conn, "intacct-bridge", "helping-hands")
        assert backend.sender_authorized(conn, "intacct-bridge", "helping-hands-group")
        assert backend.sender(conn, "rogue-sender") is not None
        assert not backend.sender_authorized(conn, "rogue-sender", "helping-hands")
        assert backend.sender(conn, "nobody") is None

        company = backend.company(conn, "helping-hands")
        assert company.web_services and company.allowed_ips is None
        assert company.closed_through == dt.date(dt.date.today().year - 1, 12, 31)
        assert backend.company(conn, "no-webservices").web_services is False
        assert backend.company(conn, "ip-locked").allowed_ips == ["203.0.113.10"]

        user = backend.user(conn, "helping-hands", "ws_bridge")
        assert user.password == "demo-user-pw" and user.active and user.may_access("CLASS")
        limited = backend.user(conn, "helping-hands", "ws_limited")
        assert not limited.may_access("DEPARTMENT") and not limited.may_access("CLASS")
        assert limited.may_access("GLACCOUNT")
        for company_id in ("helping-hands-group", "no-webservices", "ip-locked"):
            assert backend.user(conn, company_id, "ws_bridge").password == "demo-user-pw"

        assert [e.entity_id for e in backend.entities(conn, "helping-hands-group")] == ["E100", "E200", "E300"]
        assert backend.entity(conn, "helping-hands", "E100") is None


def test_seed_is_idempotent(backend: Backend) -> None:
    with backend.transaction() as conn:
        before = len(backend.records(conn, "helping-hands", "GLACCOUNT"))
    backend.seed("demo")
    with backend.transaction() as conn:
        assert len(backend.records(conn, "helping-hands", "GLACCOUNT")) == before


def test_demo_chart_and_dimensions(backend: Backend) -> None:
    with backend.transaction() as conn:
        accounts = backend.records(conn, "helping-hands", "GLACCOUNT")
        assert 55 <= len(accounts) <= 70
        assert {a["ACCOUNTTYPE"] for a in accounts} == {"balancesheet", "incomestatement"}
        assert {a["NORMALBALANCE"] for a in accounts} == {"debit", "credit"}
        assert sum(a["STATUS"] == "inactive" for a in accounts) == 2
        assert any(a.get("REQUIREDEPT") == "true" for a in accounts)
        counts = {o: len(backend.records(conn, "helping-hands", o)) for o in ("LOCATION", "DEPARTMENT", "CLASS", "FUND")}
        assert counts == {"LOCATION": 5, "DEPARTMENT": 8, "CLASS": 6, "FUND": 10}
        symbols = {j["SYMBOL"] for j in backend.records(conn, "helping-hands", "GLJOURNAL")}
        assert {"GJ", "CRJ", "ADJ"} <= symbols
        e100 = backend.records(conn, "helping-hands-group", "CUSTOMER", entity_id="E100")
        assert e100 and all(c["MEGAENTITYID"] == "E100" for c in e100)


def test_transaction_rolls_back_and_savepoint_alone(backend: Backend) -> None:
    with pytest.raises(RuntimeError):
        with backend.transaction() as conn:
            backend.set_closed_through(conn, "helping-hands", None, dt.date(2030, 1, 1))
            raise RuntimeError("boom")
    with backend.transaction() as conn:
        assert backend.company(conn, "helping-hands").closed_through.year < 2030
        with pytest.raises(RuntimeError):
            with backend.savepoint(conn):
                backend.set_closed_through(conn, "helping-hands", None, dt.date(2030, 1, 1))
                raise RuntimeError("inner")
        backend.set_closed_through(conn, "helping-hands-group", "E200", dt.date(2029, 6, 30))
    with backend.transaction() as conn:
        assert backend.company(conn, "helping-hands").closed_through.year < 2030
        assert backend.closed_through(conn, "helping-hands-group", "E200") == dt.date(2029, 6, 30)
        assert backend.closed_through(conn, "helping-hands-group", "E100").year < 2029


def test_file_database_persists(tmp_path) -> None:
    path = tmp_path / "emu.sqlite"
    first = Backend.open(path)
    first.seed("demo")
    first.close()
    second = Backend.open(path)
    with second.transaction() as conn:
        assert second.company(conn, "helping-hands") is not None
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    second.seed("demo")
    second.close()


def test_records_and_result_sets_survive_a_reopen(tmp_path) -> None:
    from backend_helpers import Caller, glbatch_xml, line

    path = tmp_path / "emu.sqlite"
    first = Backend.open(path)
    first.seed("demo")
    call = Caller(first)
    recordno = call.data(glbatch_xml([line("1000", "1", "9.99"), line("2100", "-1", "9.99")],
                                     reference="KEEP")).findtext("glbatch/RECORDNO")
    result_id = call.data("<readByQuery><object>GLACCOUNT</object><query></query><pagesize>10</pagesize>"
                          "</readByQuery>").get("resultId")
    first.close()
    second = Backend.open(path)
    again = Caller(second)
    entry = again.data(f"<read><object>GLBATCH</object><keys>{recordno}</keys></read>")[0]
    assert entry.findtext("REFERENCENO") == "KEEP" and entry.findtext("ENTRIES/GLENTRY/TRX_AMOUNT") == "9.99"
    assert again.data(f"<readMore><resultId>{result_id}</resultId></readMore>").get("count") == "10"
    created = again.data("<create><CLASS><CLASSID>AFTER</CLASSID><NAME>a</NAME></CLASS></create>")
    assert int(created.findtext("class/RECORDNO")) > int(recordno)
    second.close()


def test_unknown_seed_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown seed"):
        Backend.open(":memory:").seed("nope")
