"""readByQuery, readMore, read and readByName, called in-process on the demo seed."""

from __future__ import annotations

import datetime as dt

import pytest

from backend_helpers import Caller, seeded_backend, texts

GLACCOUNT_CLIENT_FIELDS = ("RECORDNO,ACCOUNTNO,TITLE,ACCOUNTTYPE,NORMALBALANCE,CLOSINGTYPE,CLOSINGACCOUNTNO,STATUS,"
                           "CATEGORY,CATEGORYKEY,ALTERNATIVEACCOUNT,REQUIREDEPT,REQUIRELOC,REQUIRECLASS,REQUIREPROJECT,"
                           "REQUIRECUSTOMER,REQUIREVENDOR,REQUIREEMPLOYEE,REQUIREITEM,REQUIREWAREHOUSE,TAXABLE,TAXCODE,"
                           "MRCCODE,WHENCREATED,WHENMODIFIED,CREATEDBY,MODIFIEDBY,MEGAENTITYKEY,MEGAENTITYID,"
                           "MEGAENTITYNAME")


@pytest.fixture
def call() -> Caller:
    return Caller(seeded_backend())


def rbq(obj: str, query: str = "", fields: str | None = None, pagesize: str | None = None) -> str:
    parts = f"<object>{obj}</object><query>{query}</query>"
    if fields is not None:
        parts += f"<fields>{fields}</fields>"
    if pagesize is not None:
        parts += f"<pagesize>{pagesize}</pagesize>"
    return f"<readByQuery>{parts}</readByQuery>"


def test_read_by_query_shape_and_default_page(call: Caller) -> None:
    outcome = call(rbq("GLACCOUNT", fields="*"))
    data = outcome.children[0]
    assert outcome.billable == 1
    assert data.get("listtype") == "glaccount"
    assert (data.get("count"), data.get("totalcount"), data.get("numremaining")) == (str(len(data)), str(len(data)), "0")
    assert data.get("resultId")
    first = data[0]
    assert first.tag == "glaccount"
    assert [c.tag for c in first][:3] == ["RECORDNO", "ACCOUNTNO", "TITLE"]
    assert first.findtext("CLOSINGTYPE") == "non-closing account" and first.find("TAXCODE").text in (None, "")


def test_wide_client_field_lists_are_accepted(call: Caller) -> None:
    data = call.data(rbq("GLACCOUNT", "ACCOUNTNO = '6100'", GLACCOUNT_CLIENT_FIELDS))
    record = data[0]
    assert [c.tag for c in record] == GLACCOUNT_CLIENT_FIELDS.split(",")
    assert record.findtext("REQUIREDEPT") == "true" and record.findtext("MEGAENTITYID") == ""
    assert dt.datetime.strptime(record.findtext("WHENCREATED"), "%m/%d/%Y %H:%M:%S")
    classes = call.data(rbq("CLASS", fields="RECORDNO,CLASSID,NAME,STATUS,MEGAENTITYID,RECORD_URL,PARENTID"))
    assert len(classes) == 6 and classes[0].find("RECORD_URL") is not None


def test_unknown_field_is_a_failure_naming_it(call: Caller) -> None:
    failure = call.fail(rbq("GLACCOUNT", fields="ACCOUNTNO,BOGUS"))
    assert "BOGUS" in failure.errors[0].description
    failure = call.fail(rbq("NOSUCHOBJECT"))
    assert failure.errors[0].description == "Object definition NOSUCHOBJECT not found"


@pytest.mark.parametrize("size", ["0", "1001", "abc", "-5"])
def test_pagesize_outside_range_fails(call: Caller, size: str) -> None:
    failure = call.fail(rbq("GLACCOUNT", pagesize=size))
    assert "1000" in failure.errors[0].description2


def test_pagination_with_read_more_end_to_end(call: Caller) -> None:
    data = call.data(rbq("GLACCOUNT", "STATUS = 'active'", "ACCOUNTNO", "7"))
    total = int(data.get("totalcount"))
    seen = texts(data, "glaccount/ACCOUNTNO")
    result_id = data.get("resultId")
    pages = 1
    while data.get("numremaining") != "0":
        outcome = call(f"<readMore><resultId>{result_id}</resultId></readMore>")
        data = outcome.children[0]
        assert outcome.billable == 1 and data.get("resultId") == result_id and data.get("totalcount") == str(total)
        seen += texts(data, "glaccount/ACCOUNTNO")
        assert int(data.get("numremaining")) == total - len(seen)
        pages += 1
    assert len(seen) == len(set(seen)) == total and pages == -(-total // 7)


def test_read_more_by_object_uses_the_callers_latest_result_set(call: Caller) -> None:
    call.data(rbq("DEPARTMENT", fields="DEPARTMENTID", pagesize="3"))
    data = call.data("<readMore><object>DEPARTMENT</object></readMore>")
    assert texts(data, "department/DEPARTMENTID") == ["PRG", "OUT", "VOL"]


def test_expired_or_unknown_result_sets_fail(call: Caller) -> None:
    result_id = call.data(rbq("GLACCOUNT", pagesize="5")).get("resultId")
    later = Caller(call.backend, now=call.now + dt.timedelta(minutes=call.backend.result_set_minutes + 1))
    failure = later.fail(f"<readMore><resultId>{result_id}</resultId></readMore>")
    assert failure.errors[0].errorno == "readMore failed"
    assert failure.errors[0].description2 == f"Attempt to readMore with an invalid or expired resultId: {result_id}"
    assert call.fail("<readMore><resultId>bad</resultId></readMore>").errors[0].description2.endswith(": bad")


def test_result_sets_do_not_pick_up_records_created_after_the_first_page(call: Caller) -> None:
    data = call.data(rbq("CLASS", fields="CLASSID", pagesize="4"))
    call("<create><CLASS><CLASSID>ZNEW</CLASSID><NAME>New</NAME></CLASS></create>")
    more = call.data(f"<readMore><resultId>{data.get('resultId')}</resultId></readMore>")
    assert "ZNEW" not in texts(more, "class/CLASSID") and len(more) == 2


def test_read_and_read_by_name(call: Caller) -> None:
    by_name = call.data("<readByName><object>GLACCOUNT</object><keys>1000,9999,6100</keys>"
                        "<fields>RECORDNO,ACCOUNTNO</fields></readByName>")
    assert by_name.get("listtype") == "GLACCOUNT" and by_name.get("count") == "2"
    assert texts(by_name, "GLACCOUNT/ACCOUNTNO") == ["1000", "6100"]
    recordnos = ",".join(texts(by_name, "GLACCOUNT/RECORDNO")) + ",999999"
    read = call.data(f"<read><object>GLACCOUNT</object><keys>{recordnos}</keys><fields>*</fields></read>")
    assert texts(read, "GLACCOUNT/ACCOUNTNO") == ["1000", "6100"] and read[0].tag == "GLACCOUNT"
    fund = call.data("<readByName><object>FUND</object><keys>F03</keys><fields>id,name</fields></readByName>")
    assert [(c.tag, c.text) for c in fund[0]] == [("id", "F03"), ("name", "Endowment")]


def test_read_caps_keys_at_100(call: Caller) -> None:
    keys = ",".join(str(n) for n in range(1, 102))
    assert "100" in call.fail(f"<read><object>GLACCOUNT</object><keys>{keys}</keys></read>").errors[0].description2


def test_permissions_gate_reads(call: Caller) -> None:
    limited = Caller(call.backend, user_id="ws_limited")
    for fn in (rbq("DEPARTMENT"), "<read><object>CLASS</object><keys>1</keys></read>",
               "<query><select><field>CLASSID</field></select><object>CLASS</object></query>"):
        error = limited.fail(fn).errors[0]
        assert error.errorno == "BL03000018"
        assert error.description.startswith("You do not have permission for API operation")
    assert error.description.endswith("on objects of type CLASS.")
    assert len(limited.data(rbq("LOCATION"))) == 5
