"""Function dispatch over real HTTP: savepoints, transaction="true", uniqueid (reject and replay), crashes.

Probe handlers stand in for real functions here so each wire rule is seen in
isolation: `probeWrite` inserts a row (and fails on the value "bad"), `probeCrash`
raises something a handler must never raise.
"""

from __future__ import annotations

import logging

import pytest
from lxml.builder import E

from intacct_emulator.dispatch import FunctionSet
from intacct_emulator.functions import HANDLERS, CallContext, ErrorInfo, FunctionFailure, FunctionOutcome


def probe_write(ctx: CallContext, element) -> FunctionOutcome:
    value = element.findtext("value")
    ctx.conn.execute("INSERT INTO probe_writes (company_id, value) VALUES (?, ?)", (ctx.company_id, value))
    if value == "bad":
        raise FunctionFailure(ErrorInfo("BL01001973", "Probe refused", f"The value '{value}' is not accepted."))
    return FunctionOutcome([E.data(E.probe(E.VALUE(value)), listtype="probe", count="1")], billable=1)


def probe_crash(ctx: CallContext, element) -> FunctionOutcome:
    raise RuntimeError("handler bug")


PROBES = FunctionSet({**HANDLERS, "probeWrite": probe_write, "probeCrash": probe_crash}, FunctionFailure, CallContext)


def write(value: str) -> str:
    return f"<probeWrite><value>{value}</value></probeWrite>"


@pytest.fixture
def probe(wire_for):
    with wire_for(functions=PROBES) as wire:
        with wire.emulator.state.backend.transaction() as conn:
            conn.execute("CREATE TABLE probe_writes (company_id TEXT, value TEXT)")
        yield wire


def written(wire) -> list[tuple[str, str]]:
    with wire.emulator.state.backend.transaction() as conn:
        return [tuple(row) for row in conn.execute("SELECT company_id, value FROM probe_writes ORDER BY rowid")]


def statuses(answer) -> list[str]:
    return [result.findtext("status") for result in answer.results]


def test_without_transaction_each_function_stands_alone(probe):
    answer = probe.call([("f1", write("a")), ("f2", write("bad")), ("f3", write("b"))])
    assert statuses(answer) == ["success", "failure", "success"]
    assert [r.findtext("controlid") for r in answer.results] == ["f1", "f2", "f3"]
    assert answer.result(0).findtext("data/probe/VALUE") == "a"
    failure = answer.result(1)
    assert probe.errornos(failure.findall("errormessage/error")) == ["BL01001973"]
    assert failure.find("data") is None
    assert written(probe) == [("helping-hands", "a"), ("helping-hands", "b")]  # the failed insert rolled back


def test_transaction_true_rolls_everything_back(probe):
    answer = probe.call([("f1", write("a")), ("f2", write("bad")), ("f3", write("b"))], transaction="true")
    assert statuses(answer) == ["aborted", "failure", "aborted"]
    assert probe.errornos(answer.result(1).findall("errormessage/error")) == ["BL01001973", "XL03000009"]
    for index in (0, 2):
        errors = answer.result(index).findall("errormessage/error")
        assert probe.errornos(errors) == ["XL03000009"]
        assert errors[0].findtext("description") == (
            "The entire transaction in this operation has been rolled back due to an error.")
    assert written(probe) == []


def test_transaction_true_commits_when_all_succeed(probe):
    answer = probe.call([("f1", write("a")), ("f2", write("b"))], transaction="true")
    assert statuses(answer) == ["success", "success"]
    assert written(probe) == [("helping-hands", "a"), ("helping-hands", "b")]


def test_unexpected_handler_error_is_dl02000001_and_logged(probe, caplog):
    with caplog.at_level(logging.ERROR, logger="intacct_emulator"):
        answer = probe.call([("f1", "<probeCrash/>"), ("f2", write("a"))])
    assert statuses(answer) == ["failure", "success"]
    error = answer.result(0).find("errormessage/error")
    assert (error.findtext("errorno"), error.findtext("description2")) == (
        "DL02000001", "There was an error processing the request.")
    assert b"handler bug" not in answer.http.content
    crash = [r for r in caplog.records if "probeCrash" in r.getMessage()]
    assert crash and crash[0].exc_info is not None


def test_uniqueid_reject_mode_names_the_duplicate(probe):
    assert statuses(probe.call([("once-1", write("a"))], uniqueid="true")) == ["success"]
    again = probe.call([("once-1", write("a"))], uniqueid="true")
    assert statuses(again) == ["failure"]
    error = again.result().find("errormessage/error")
    assert (error.findtext("errorno"), error.findtext("description"), error.findtext("description2")) == (
        "XL03000013", "Duplicate control ID", "A function with control ID 'once-1' was already executed for this company.")
    assert written(probe) == [("helping-hands", "a")]


def test_uniqueid_replay_mode_answers_the_first_result_again(probe):
    probe.admin.set_config(idempotency_mode="replay")
    first = probe.call([("once-2", write("a"))], uniqueid="true")
    again = probe.call([("once-2", write("changed"))], uniqueid="true")
    assert statuses(again) == ["success"]
    assert again.result().findtext("data/probe/VALUE") == "a"
    assert first.http.text.count("<result>") == again.http.text.count("<result>") == 1
    assert written(probe) == [("helping-hands", "a")]


def test_omitted_uniqueid_means_true(probe):
    probe.call([("same", write("a"))], uniqueid=None)
    assert statuses(probe.call([("same", write("a"))], uniqueid=None)) == ["failure"]
    assert probe.call([("same", write("a"))], uniqueid=None).root.findtext("control/uniqueid") is None


def test_uniqueid_false_runs_every_time(probe):
    for _ in range(2):
        assert statuses(probe.call([("same", write("a"))], uniqueid="false")) == ["success"]
    assert len(written(probe)) == 2


def test_a_failed_function_may_be_retried_with_its_controlid(probe):
    assert statuses(probe.call([("retry-me", write("bad"))], uniqueid="true")) == ["failure"]
    assert statuses(probe.call([("retry-me", write("good"))], uniqueid="true")) == ["success"]
    assert written(probe) == [("helping-hands", "good")]


def test_controlids_are_remembered_per_company(probe):
    probe.call([("shared", write("a"))], uniqueid="true")
    other = probe.call([("shared", write("b"))], uniqueid="true", auth=probe.login("helping-hands-group"))
    assert statuses(other) == ["success"]


def test_rolled_back_transaction_forgets_its_controlids(probe):
    probe.call([("t1", write("a")), ("t2", write("bad"))], uniqueid="true", transaction="true")
    retry = probe.call([("t1", write("a")), ("t2", write("fixed"))], uniqueid="true", transaction="true")
    assert statuses(retry) == ["success", "success"]
    assert written(probe) == [("helping-hands", "a"), ("helping-hands", "fixed")]


def test_duplicate_inside_a_transaction_aborts_it_in_reject_mode(probe):
    probe.call([("dup", write("a"))], uniqueid="true")
    answer = probe.call([("new", write("b")), ("dup", write("a"))], uniqueid="true", transaction="true")
    assert statuses(answer) == ["aborted", "failure"]
    assert probe.errornos(answer.result(1).findall("errormessage/error")) == ["XL03000013", "XL03000009"]
    assert written(probe) == [("helping-hands", "a")]
