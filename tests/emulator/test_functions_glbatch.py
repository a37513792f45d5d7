"""Journal entries (GLBATCH): every posting rule fails with a business error naming value and line."""

from __future__ import annotations

import datetime as dt

import pytest

from backend_helpers import NOW, Caller, glbatch_xml, line, seeded_backend, texts

GOOD = [line("6100", "1", "1500.00", DEPARTMENT="ADM", LOCATION="100", CLASSID="C200", GLDIMFUND="F01",
             DESCRIPTION="June accrual"),
        line("2100", "-1", "1500.00", LOCATION="100")]


@pytest.fixture
def call() -> Caller:
    return Caller(seeded_backend())


def test_valid_entry_is_stored_with_exact_amounts_and_readable_by_reference(call: Caller) -> None:
    outcome = call(glbatch_xml(GOOD, reference="EXT-123"))
    answer = outcome.children[0]
    assert outcome.billable == 1 and answer.get("count") == "1" and answer[0].tag == "glbatch"
    recordno = answer.findtext("glbatch/RECORDNO")
    found = call.data("<query><select><field>RECORDNO</field><field>BATCH_DATE</field><field>STATE</field>"
                      "<field>JOURNAL</field><field>BATCH_TITLE</field></select><object>GLBATCH</object><filter>"
                      "<equalto><field>REFERENCENO</field><value>EXT-123</value></equalto></filter></query>")
    assert [c.text for c in found[0]] == [recordno, f"06/30/{NOW.year}", "Posted", "GJ", "Test entry"]
    legacy = call.data("<readByQuery><object>GLBATCH</object><query>REFERENCENO = 'EXT-123'</query>"
                       "<fields>RECORDNO</fields></readByQuery>")
    assert texts(legacy, "glbatch/RECORDNO") == [recordno]
    entry = call.data(f"<read><object>GLBATCH</object><keys>{recordno}</keys></read>")[0]
    lines = entry.findall("ENTRIES/GLENTRY")
    assert [(e.findtext("ACCOUNTNO"), e.findtext("TR_TYPE"), e.findtext("TRX_AMOUNT"), e.findtext("LINE_NO"))
            for e in lines] == [("6100", "1", "1500.00", "1"), ("2100", "-1", "1500.00", "2")]
    assert lines[0].findtext("GLDIMFUND") == "F01" and lines[0].findtext("BATCHNO") == recordno
    with call.backend.transaction() as conn:
        ledger = call.backend.records(conn, "helping-hands", "GLBATCH")
    assert ledger[0]["ENTRIES"][0]["TRX_AMOUNT"] == "1500.00" and ledger[0]["REFERENCENO"] == "EXT-123"


def rule_failure(call: Caller, xml: str) -> list[str]:
    failure = call.fail(xml)
    assert all(e.errorno == "BL01001973" for e in failure.errors)
    assert failure.errors[-1].description == "Could not create GLBATCH record!"
    return [e.description for e in failure.errors[:-1]]


@pytest.mark.parametrize(("lines", "expected"), [
    ([GOOD[0]], "A journal entry needs at least 2 lines; 1 given"),
    ([GOOD[0], line("2100", "-1", "1400.00")], "Debits 1500.00 do not equal credits 1400.00"),
    ([line("9999", "1", "10.00"), line("2100", "-1", "10.00")], "Account 9999 on line 1 does not exist"),
    ([line("1000", "1", "10.00"), line("1900", "-1", "10.00")], "Account 1900 on line 2 is inactive"),
    ([line("1000", "1", "10.00", LOCATION="999"), line("2100", "-1", "10.00")], "Location 999 on line 1 does not exist"),
    ([line("1000", "1", "10.00", LOCATION="500"), line("2100", "-1", "10.00")], "Location 500 on line 1 is inactive"),
    ([line("1000", "1", "10.00", DEPARTMENT="OLD"), line("2100", "-1", "10.00")], "Department OLD on line 1 is inactive"),
    ([line("1000", "1", "10.00", CLASSID="C900"), line("2100", "-1", "10.00")], "Class C900 on line 1 is inactive"),
    ([line("1000", "1", "10.00", GLDIMFUND="F10"), line("2100", "-1", "10.00")], "Fund F10 on line 1 is inactive"),
    ([line("1000", "1", "10.00", GLDIMFUND="F99"), line("2100", "-1", "10.00")], "Fund F99 on line 1 does not exist"),
    ([line("6100", "1", "10.00"), line("2100", "-1", "10.00")], "Account 6100 on line 1 requires a Department"),
    ([line("1000", "1", "10.00"), line("4210", "-1", "10.00")], "Account 4210 on line 2 requires a Location"),
    ([line("1000", "1", "-10.00"), line("2100", "-1", "-10.00")], "Amount -10.00 on line 1 must be positive"),
    ([line("1000", "1", "0"), line("2100", "-1", "0")], "Amount 0 on line 1 must be positive"),
    ([line("1000", "1", "10.005"), line("2100", "-1", "10.005")], "Amount 10.005 on line 1 has more than 2 decimal places"),
])
def test_posting_rules(call: Caller, lines: list[dict[str, str]], expected: str) -> None:
    assert expected in rule_failure(call, glbatch_xml(lines))


def test_tr_type_must_be_1_or_minus_1(call: Caller) -> None:
    error = call.fail(glbatch_xml([line("1000", "2", "10.00"), line("2100", "-1", "10.00")])).errors[0]
    assert "'2'" in error.description and "TR_TYPE" in error.description and "line 1" in error.description


def test_all_problems_are_reported_together(call: Caller) -> None:
    problems = rule_failure(call, glbatch_xml([line("9999", "1", "10.00"), line("1900", "-1", "9.00")],
                                              journal="OLDJ"))
    assert problems == ["Journal OLDJ is inactive", "Account 9999 on line 1 does not exist",
                        "Account 1900 on line 2 is inactive", "Debits 10.00 do not equal credits 9.00"]


def test_journal_must_exist_and_be_active(call: Caller) -> None:
    assert "Journal NOPE does not exist" in rule_failure(call, glbatch_xml(GOOD, journal="NOPE"))
    assert "Journal OLDJ is inactive" in rule_failure(call, glbatch_xml(GOOD, journal="OLDJ"))
    assert call(glbatch_xml(GOOD, journal="CRJ")).billable == 1


def test_closed_period_and_bad_dates(call: Caller) -> None:
    last_year_end = f"12/31/{NOW.year - 1}"
    problems = rule_failure(call, glbatch_xml(GOOD, date=last_year_end))
    assert problems == [f"Posting date {last_year_end} is in a closed period"]
    assert call(glbatch_xml(GOOD, date=f"01/01/{NOW.year}")).billable == 1
    error = call.fail(glbatch_xml(GOOD, date="13/45/2025")).errors[0]
    assert "13/45/2025" in error.description and "BATCH_DATE" in error.description
    with call.backend.transaction() as conn:
        call.backend.set_closed_through(conn, "helping-hands", None, dt.date(NOW.year, 6, 30))
    assert rule_failure(call, glbatch_xml(GOOD))[0].startswith(f"Posting date 06/30/{NOW.year}")


def test_required_header_and_line_fields(call: Caller) -> None:
    xml = glbatch_xml(GOOD).replace("<BATCH_TITLE>Test entry</BATCH_TITLE>", "")
    assert "BATCH_TITLE" in call.fail(xml).errors[0].description
    no_amount = [{"ACCOUNTNO": "1000", "TR_TYPE": "1"}, line("2100", "-1", "1.00")]
    assert call.fail(glbatch_xml(no_amount)).errors[0].description == "Amount missing on line 1"


def test_documented_details(call: Caller) -> None:
    """AMOUNT in place of TRX_AMOUNT (the docs' examples), memo defaulting to the title, state codes, reversals."""
    lines = [{"ACCOUNTNO": "1000", "TR_TYPE": "1", "AMOUNT": "25"}, line("2100", "-1", "25.00", DESCRIPTION="own")]
    recordno = call.data(glbatch_xml(lines, reference="DOC-1")).findtext("glbatch/RECORDNO")
    entry = call.data(f"<read><object>GLBATCH</object><keys>{recordno}</keys></read>")[0]
    assert [(e.findtext("TRX_AMOUNT"), e.findtext("DESCRIPTION")) for e in entry.iterfind("ENTRIES/GLENTRY")] == [
        ("25.00", "Test entry"), ("25.00", "own")]
    assert (entry.findtext("ADJ"), entry.findtext("MODIFIEDBYID")) == ("F", "ws_bridge")
    draft = glbatch_xml(GOOD, reference="DOC-2").replace("<REFERENCENO>", "<STATE>Draft</STATE><REFERENCENO>")
    call(draft)
    codes = call.data("<readByQuery><object>GLBATCH</object><query>STATE = 'I'</query><fields>REFERENCENO</fields>"
                      "</readByQuery>")
    assert texts(codes, "glbatch/REFERENCENO") == ["DOC-2"]
    assert "Invalid STATE 'Approved'" in rule_failure(call, draft.replace(">Draft<", ">Approved<"))
    reversal = glbatch_xml(GOOD).replace("<BATCH_TITLE>", f"<REVERSEDATE>06/30/{NOW.year}</REVERSEDATE><BATCH_TITLE>")
    assert rule_failure(call, reversal) == [f"Reverse date 06/30/{NOW.year} is not after the posting date"
                                            f" 06/30/{NOW.year}"]
    assert call(reversal.replace("<REVERSEDATE>06/30", "<REVERSEDATE>07/01")).billable == 1


def test_update_and_delete_glbatch(call: Caller) -> None:
    recordno = call.data(glbatch_xml(GOOD)).findtext("glbatch/RECORDNO")
    call(f"<update><GLBATCH><RECORDNO>{recordno}</RECORDNO><BATCH_TITLE>Renamed</BATCH_TITLE></GLBATCH></update>")
    entry = call.data(f"<read><object>GLBATCH</object><keys>{recordno}</keys></read>")[0]
    assert entry.findtext("BATCH_TITLE") == "Renamed" and len(entry.findall("ENTRIES/GLENTRY")) == 2
    unbalanced = (f"<update><GLBATCH><RECORDNO>{recordno}</RECORDNO><ENTRIES>"
                  "<GLENTRY><ACCOUNTNO>1000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>5</TRX_AMOUNT></GLENTRY>"
                  "<GLENTRY><ACCOUNTNO>2100</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>4</TRX_AMOUNT></GLENTRY>"
                  "</ENTRIES></GLBATCH></update>")
    assert call.fail(unbalanced).errors[-1].description == "Could not update GLBATCH record!"
    assert call(f"<delete><object>GLBATCH</object><keys>{recordno}</keys></delete>").billable == 1
    assert len(call.data(f"<read><object>GLBATCH</object><keys>{recordno}</keys></read>")) == 0


def test_glentry_lines_are_queryable_and_follow_their_entry(call: Caller) -> None:
    recordno = call.data(glbatch_xml(GOOD, reference="LINES-1")).findtext("glbatch/RECORDNO")
    data = call.data("<query><select><field>RECORDNO</field><field>BATCHNO</field><field>ACCOUNTNO</field>"
                     "<field>ACCOUNTTITLE</field><field>TRX_AMOUNT</field><field>BATCHTITLE</field></select>"
                     f"<object>GLENTRY</object><filter><equalto><field>BATCHNO</field><value>{recordno}</value>"
                     "</equalto></filter></query>")
    assert [(r.findtext("ACCOUNTNO"), r.findtext("ACCOUNTTITLE"), r.findtext("TRX_AMOUNT")) for r in data] == [
        ("6100", "Office Supplies", "1500.00"), ("2100", "Accrued Liabilities", "1500.00")]
    sums = call.data("<query><select><field>TR_TYPE</field><sum>TRX_AMOUNT</sum></select><object>GLENTRY</object>"
                     "</query>")
    assert {r.findtext("TR_TYPE"): r.findtext("SUM.TRX_AMOUNT") for r in sums} == {"1": "1500.00", "-1": "1500.00"}
    call(f"<update><GLBATCH><RECORDNO>{recordno}</RECORDNO><ENTRIES>"
         "<GLENTRY><ACCOUNTNO>1000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>7</TRX_AMOUNT></GLENTRY>"
         "<GLENTRY><ACCOUNTNO>2100</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>3</TRX_AMOUNT></GLENTRY>"
         "<GLENTRY><ACCOUNTNO>2200</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>4</TRX_AMOUNT></GLENTRY>"
         "</ENTRIES></GLBATCH></update>")
    legacy = call.data(f"<readByQuery><object>GLENTRY</object><query>BATCHNO = '{recordno}'</query>"
                       "<fields>ACCOUNTNO,TRX_AMOUNT</fields></readByQuery>")
    assert texts(legacy, "glentry/ACCOUNTNO") == ["1000", "2100", "2200"]
    call(f'<delete_gltransaction key="{recordno}"/>')
    assert call.data("<readByQuery><object>GLENTRY</object><query></query></readByQuery>").get("count") == "0"
    assert "Cannot find journal entry" in call.fail(f'<delete_gltransaction key="{recordno}"/>').errors[0].description


def legacy_entry(trtype: str = "debit", journal: str = "GJ") -> str:
    return (f"<create_gltransaction><journalid>{journal}</journalid><datecreated><year>{NOW.year}</year><month>3</month>"
            "<day>31</day></datecreated><description>Payroll accrual</description><referenceno>LEG-1</referenceno>"
            "<gltransactionentries>"
            f"<glentry><trtype>{trtype}</trtype><amount>1450.80</amount><glaccountno>5000</glaccountno>"
            "<memo>Salary expense</memo><locationid>100</locationid><departmentid>ADM</departmentid>"
            "<customfields><customfield><customfieldname>GLDIMFUND</customfieldname>"
            "<customfieldvalue>F01</customfieldvalue></customfield></customfields></glentry>"
            "<glentry><trtype>credit</trtype><amount>1450.80</amount><glaccountno>2200</glaccountno></glentry>"
            "</gltransactionentries></create_gltransaction>")


def test_legacy_create_gltransaction(call: Caller) -> None:
    outcome = call(legacy_entry())
    key = outcome.children[0]
    assert key.tag == "key" and outcome.billable == 1
    entry = call.data(f"<read><object>GLBATCH</object><keys>{key.text}</keys></read>")[0]
    assert (entry.findtext("REFERENCENO"), entry.findtext("BATCH_DATE")) == ("LEG-1", f"03/31/{NOW.year}")
    lines = entry.findall("ENTRIES/GLENTRY")
    assert [(x.findtext("TR_TYPE"), x.findtext("GLDIMFUND"), x.findtext("DESCRIPTION")) for x in lines] == [
        ("1", "F01", "Salary expense"), ("-1", "", "Payroll accrual")]
    assert "Journal OLDJ is inactive" in rule_failure(call, legacy_entry(journal="OLDJ"))
    assert "trtype" in call.fail(legacy_entry(trtype="up")).errors[0].description


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "1e40", "sNaN"])
def test_legacy_amounts_that_are_not_numbers_are_business_errors_not_crashes(call: Caller, amount: str) -> None:
    errors = call.fail(legacy_entry().replace("<amount>1450.80</amount>", f"<amount>{amount}</amount>")).errors
    assert [e.description for e in errors] == [f"Invalid amount '{amount}' on line 1",
                                               f"Invalid amount '{amount}' on line 2",
                                               "Could not create GLBATCH record!"]
