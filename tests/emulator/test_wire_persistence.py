"""State in a SQLite file survives a restart: records, sessions, the idempotency ledger, usage."""

from __future__ import annotations


def test_work_sessions_and_controlids_survive_a_restart(probe_for, tmp_path):
    db = str(tmp_path / "emulator.sqlite3")
    with probe_for(db=db) as probe:
        sessionid = probe.open_session()
        assert probe.call([("kept-1", probe.write("a"))], uniqueid="true").result().findtext("status") == "success"
    with probe_for(db=db) as probe:  # same file, new process state, seeding again changes nothing
        assert probe.written() == [("helping-hands", "a")]
        answer = probe.call([("kept-1", probe.write("a"))], uniqueid="true", auth=probe.session(sessionid))
        assert answer.auth_status == "success"
        assert answer.result().findtext("errormessage/error/errorno") == "XL03000013"
        assert probe.admin.usage()["helping-hands"]["requests"] == 3


def test_memory_database_starts_empty_each_time(probe_for):
    with probe_for() as probe:
        sessionid = probe.open_session()
    with probe_for() as probe:
        assert probe.call([("f", "<getAPISession/>")], auth=probe.session(sessionid)).auth_status == "failure"


def test_a_created_record_is_in_the_ledger_after_a_restart(wire_for, tmp_path):
    db = str(tmp_path / "emulator.sqlite3")
    create = ("<create><CLASS><CLASSID>PERSIST-1</CLASSID><NAME>Survives restarts</NAME>"
              "<STATUS>active</STATUS></CLASS></create>")
    with wire_for(db=db) as wire:
        result = wire.call([("c1", create)], uniqueid="true").result()
        assert result.findtext("status") == "success", result.findtext("errormessage/error/description")
        recordno = result.findtext("data/class/RECORDNO")
    with wire_for(db=db) as wire:
        ledger = {row["CLASSID"]: row for row in wire.admin.ledger("helping-hands", "CLASS")}
        assert ledger["PERSIST-1"]["NAME"] == "Survives restarts"
        assert str(ledger["PERSIST-1"]["RECORDNO"]) == recordno
        read = wire.call([("r", "<readByName><object>CLASS</object><keys>PERSIST-1</keys><fields>*</fields></readByName>")])
        assert read.result().findtext("data/CLASS/NAME") == "Survives restarts"
