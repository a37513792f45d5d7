"""Function dispatch over real HTTP: savepoints, transaction="true", uniqueid (reject and replay), crashes.

The `probe` fixture (conftest) swaps in probe handlers so each wire rule is seen
in isolation: `probeWrite` inserts a row (and fails on the value "bad"),
`probeCrash` raises something a handler must never raise.
"""

from __future__ import annotations

import logging


def statuses(answer) -> list[str]:
    return [result.findtext("status") for result in answer.results]


def test_without_transaction_each_function_stands_alone(probe):
    answer = probe.call([("f1", probe.write("a")), ("f2", probe.write("bad")), ("f3", probe.write("b"))])
    assert statuses(answer) == ["success", "failure", "success"]
    assert [r.findtext("controlid") for r in answer.results] == ["f1", "f2", "f3"]
    assert answer.result(0).findtext("data/probe/VALUE") == "a"
    failure = answer.result(1)
    assert probe.errornos(failure.findall("errormessage/error")) == ["BL01001973"]
    assert failure.find("data") is None
    assert probe.written() == [("helping-hands", "a"), ("helping-hands", "b")]  # the failed insert rolled back


def test_transaction_true_rolls_everything_back(probe):
    answer = probe.call([("f1", probe.write("a")), ("f2", probe.write("bad")), ("f3", probe.write("b"))], transaction="true")
    assert statuses(answer) == ["aborted", "failure", "aborted"]
    assert probe.errornos(answer.result(1).findall("errormessage/error")) == ["BL01001973", "XL03000009"]
    for index in (0, 2):
        errors = answer.result(index).findall("errormessage/error")
        assert probe.errornos(errors) == ["XL03000009"]
        assert errors[0].findtext("description") == (
            "The entire transaction in this operation has been rolled back due to an error.")
    assert probe.written() == []


def test_transaction_true_commits_when_all_succeed(probe):
    answer = probe.call([("f1", probe.write("a")), ("f2", probe.write("b"))], transaction="true")
    assert statuses(answer) == ["success", "success"]
    assert probe.written() == [("helping-hands", "a"), ("helping-hands", "b")]


def test_unexpected_handler_error_is_dl02000001_and_logged(probe, caplog):
    with caplog.at_level(logging.ERROR, logger="intacct_emulator"):
        answer = probe.call([("f1", "<probeCrash/>"), ("f2", probe.write("a"))])
    assert statuses(answer) == ["failure", "success"]
    error = answer.result(0).find("errormessage/error")
    assert (error.findtext("errorno"), error.findtext("description2")) == (
        "DL02000001", "There was an error processing the request.")
    assert b"handler bug" not in answer.http.content
    crash = [r for r in caplog.records if "probeCrash" in r.getMessage()]
    assert crash and crash[0].exc_info is not None


def test_uniqueid_reject_mode_names_the_duplicate(probe):
    assert statuses(probe.call([("once-1", probe.write("a"))], uniqueid="true")) == ["success"]
    again = probe.call([("once-1", probe.write("a"))], uniqueid="true")
    assert statuses(again) == ["failure"]
    error = again.result().find("errormessage/error")
    assert (error.findtext("errorno"), error.findtext("description"), error.findtext("description2")) == (
        "XL03000013", "Duplicate control ID", "A function with control ID 'once-1' was already executed for this company.")
    assert probe.written() == [("helping-hands", "a")]


def test_uniqueid_replay_mode_answers_the_first_result_again(probe):
    probe.admin.set_config(idempotency_mode="replay")
    first = probe.call([("once-2", probe.write("a"))], uniqueid="true")
    again = probe.call([("once-2", probe.write("changed"))], uniqueid="true")
    assert statuses(again) == ["success"]
    assert again.result().findtext("data/probe/VALUE") == "a"
    assert first.http.text.count("<result>") == again.http.text.count("<result>") == 1
    assert probe.written() == [("helping-hands", "a")]


def test_omitted_uniqueid_means_true(probe):
    probe.call([("same", probe.write("a"))], uniqueid=None)
    assert statuses(probe.call([("same", probe.write("a"))], uniqueid=None)) == ["failure"]
    assert probe.call([("same", probe.write("a"))], uniqueid=None).root.findtext("control/uniqueid") is None


def test_uniqueid_false_runs_every_time(probe):
    for _ in range(2):
        assert statuses(probe.call([("same", probe.write("a"))], uniqueid="false")) == ["success"]
    assert len(probe.written()) == 2


def test_a_failed_function_may_be_retried_with_its_controlid(probe):
    assert statuses(probe.call([("retry-me", probe.write("bad"))], uniqueid="true")) == ["failure"]
    assert statuses(probe.call([("retry-me", probe.write("good"))], uniqueid="true")) == ["success"]
    assert probe.written() == [("helping-hands", "good")]


def test_controlids_are_remembered_per_company(probe):
    probe.call([("shared", probe.write("a"))], uniqueid="true")
    other = probe.call([("shared", probe.write("b"))], uniqueid="true", auth=probe.login("helping-hands-group"))
    assert statuses(other) == ["success"]


def test_rolled_back_transaction_forgets_its_controlids(probe):
    probe.call([("t1", probe.write("a")), ("t2", probe.write("bad"))], uniqueid="true", transaction="true")
    retry = probe.call([("t1", probe.write("a")), ("t2", probe.write("fixed"))], uniqueid="true", transaction="true")
    assert statuses(retry) == ["success", "success"]
    assert probe.written() == [("helping-hands", "a"), ("helping-hands", "fixed")]


def test_duplicate_inside_a_transaction_aborts_it_in_reject_mode(probe):
    probe.call([("dup", probe.write("a"))], uniqueid="true")
    answer = probe.call([("new", probe.write("b")), ("dup", probe.write("a"))], uniqueid="true", transaction="true")
    assert statuses(answer) == ["aborted", "failure"]
    assert probe.errornos(answer.result(1).findall("errormessage/error")) == ["XL03000013", "XL03000009"]
    assert probe.written() == [("helping-hands", "a")]


def test_empty_function_controlids_are_not_remembered(probe):
    for _ in range(2):
        assert statuses(probe.call([("", probe.write("a"))], uniqueid="true")) == ["success"]
    assert len(probe.written()) == 2
