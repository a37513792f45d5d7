"""Multi-entity: what a session at an entity sees, what it creates, and per-entity closed periods."""

from __future__ import annotations

import datetime as dt

import pytest

from backend_helpers import NOW, Caller, glbatch_xml, line, seeded_backend, texts

GROUP = "helping-hands-group"


@pytest.fixture
def backend():
    return seeded_backend()


def customer_entities(call: Caller, options: str = "") -> set[str]:
    data = call.data("<query><select><field>CUSTOMERID</field><field>MEGAENTITYID</field></select>"
                     f"<object>CUSTOMER</object>{options}<pagesize>2000</pagesize></query>")
    return set(texts(data, "CUSTOMER/MEGAENTITYID"))


def test_visibility_by_session_level(backend) -> None:
    assert customer_entities(Caller(backend, GROUP, entity_id="E100")) == {"E100", ""}
    assert customer_entities(Caller(backend, GROUP)) == {""}
    private = "<options><showprivate>true</showprivate></options>"
    assert customer_entities(Caller(backend, GROUP), private) == {"E100", "E200", "E300", ""}
    legacy = Caller(backend, GROUP, entity_id="E200").data(
        "<readByQuery><object>CLASS</object><query></query><fields>CLASSID,MEGAENTITYID,MEGAENTITYNAME</fields>"
        "</readByQuery>")
    assert {(c.findtext("CLASSID"), c.findtext("MEGAENTITYID")) for c in legacy} == {("C500", ""), ("C200", "E200")}


def test_entities_are_listed_as_locationentity(backend) -> None:
    data = Caller(backend, GROUP).data("<readByQuery><object>LOCATIONENTITY</object><query></query>"
                                        "<fields>LOCATIONID,NAME</fields></readByQuery>")
    assert texts(data, "locationentity/LOCATIONID") == ["E100", "E200", "E300"]


def test_records_created_at_an_entity_are_stamped_and_private(backend) -> None:
    at_e300 = Caller(backend, GROUP, entity_id="E300")
    at_e300("<create><CLASS><CLASSID>E3-NEW</CLASSID><NAME>E300 class</NAME></CLASS></create>")
    record = at_e300.data("<readByName><object>CLASS</object><keys>E3-NEW</keys>"
                          "<fields>MEGAENTITYID,MEGAENTITYNAME,MEGAENTITYKEY</fields></readByName>")[0]
    assert [c.text for c in record][:2] == ["E300", "Helping Hands Foundation"] and record[2].text.isdigit()
    assert len(Caller(backend, GROUP, entity_id="E100").data(
        "<readByName><object>CLASS</object><keys>E3-NEW</keys></readByName>")) == 0
    with backend.transaction() as conn:
        assert [r["CLASSID"] for r in backend.records(conn, GROUP, "CLASS", entity_id="E300")] == ["C300", "E3-NEW"]


def test_ids_stay_unique_across_entities(backend) -> None:
    error = Caller(backend, GROUP, entity_id="E100").fail(
        "<create><CUSTOMER><CUSTOMERID>E200-CUST-01</CUSTOMERID><NAME>x</NAME></CUSTOMER></create>").errors[0]
    assert error.errorno == "BL34000061"


def test_entity_closed_through_overrides_the_company(backend) -> None:
    with backend.transaction() as conn:
        backend.set_closed_through(conn, GROUP, "E200", dt.date(NOW.year, 6, 30))
    def entry(location: str) -> str:
        return glbatch_xml([line("1000", "1", "5.00", LOCATION=location), line("2100", "-1", "5.00", LOCATION=location)])

    assert Caller(backend, GROUP, entity_id="E100")(entry("100-HQ")).billable == 1
    errors = Caller(backend, GROUP, entity_id="E200").fail(entry("200-HQ")).errors
    assert errors[0].description == f"Posting date 06/30/{NOW.year} is in a closed period"
    assert Caller(backend, GROUP)(entry("300-HQ")).billable == 1


def test_entity_session_cannot_use_another_entitys_dimension(backend) -> None:
    entry = glbatch_xml([line("1000", "1", "5.00", CLASSID="C100", LOCATION="100-HQ"),
                         line("2100", "-1", "5.00", LOCATION="100-HQ")])
    errors = Caller(backend, GROUP, entity_id="E200").fail(entry).errors
    assert [e.description for e in errors[:2]] == ["Location 100-HQ on line 1 does not exist",
                                                   "Class C100 on line 1 does not exist"]
    assert Caller(backend, GROUP, entity_id="E100")(entry).billable == 1


def test_entity_sessions_may_not_change_shared_top_level_records(backend) -> None:
    at_e100 = Caller(backend, GROUP, entity_id="E100")
    error = at_e100.fail("<update><DEPARTMENT><DEPARTMENTID>ADM</DEPARTMENTID><TITLE>Mine</TITLE></DEPARTMENT>"
                         "</update>").errors[0]
    assert error.description == "Cannot update department ADM at entity E100"
    assert "read-only" in at_e100.fail('<delete_department departmentid="ADM"/>').errors[0].description2
    at_e100("<update><CLASS><CLASSID>C100</CLASSID><NAME>East programmes</NAME></CLASS></update>")
    Caller(backend, GROUP)("<update><DEPARTMENT><DEPARTMENTID>ADM</DEPARTMENTID><TITLE>Admin</TITLE></DEPARTMENT>"
                           "</update>")


def test_top_level_entries_may_post_to_entity_dimensions(backend) -> None:
    entry = glbatch_xml([line("1000", "1", "5.00", LOCATION="100-HQ", CLASSID="C100"),
                         line("2100", "-1", "5.00", LOCATION="200-HQ")])
    assert Caller(backend, GROUP)(entry).billable == 1
    assert "does not exist" in Caller(backend, GROUP, entity_id="E200").fail(entry).errors[0].description


def test_multi_entity_lines_need_a_location(backend) -> None:
    entry = glbatch_xml([line("1000", "1", "5.00", LOCATION="100-HQ"), line("2100", "-1", "5.00")])
    errors = Caller(backend, GROUP, entity_id="E100").fail(entry).errors
    assert errors[0].description == "Location missing on line 2"


def test_entity_sessions_may_not_delete_top_level_transactions_by_legacy_functions(backend) -> None:
    top = Caller(backend, GROUP)
    invoice = top("<create_invoice><customerid>SHARED-CUST-01</customerid><datecreated>"
                  f"<year>{NOW.year}</year><month>7</month><day>1</day></datecreated><termname>N30</termname>"
                  "<invoiceitems><lineitem><glaccountno>4000</glaccountno><amount>5</amount></lineitem>"
                  "</invoiceitems></create_invoice>").children[0].text
    entry = top.data(glbatch_xml([line("1000", "1", "5.00", LOCATION="100-HQ"),
                                  line("2100", "-1", "5.00", LOCATION="100-HQ")]))
    batch = entry.findtext("glbatch/RECORDNO")
    at_e100 = Caller(backend, GROUP, entity_id="E100")
    for call_xml, label in ((f'<delete_invoice key="{invoice}"/>', "ar invoice"),
                            (f'<delete_gltransaction key="{batch}"/>', "journal entry")):
        error = at_e100.fail(call_xml).errors[0]
        assert error.description.startswith(f"Cannot delete {label} ") and error.description.endswith(" at entity E100")
    assert top(f'<delete_invoice key="{invoice}"/>').billable == 1
    assert top(f'<delete_gltransaction key="{batch}"/>').billable == 1


def test_get_companyprefs_answers_the_closed_through_date_per_session(backend) -> None:
    with backend.transaction() as conn:
        backend.set_closed_through(conn, GROUP, "E200", dt.date(NOW.year, 6, 30))
        company = backend.closed_through(conn, GROUP, None)

    def closed(call: Caller) -> list[str]:
        data = call.data('<get_companyprefs application="GL"/>')
        return [p.findtext("prefvalue") for p in data.findall("companypref")
                if p.findtext("preference") == "BOOKSCLOSEDTHROUGH"]

    assert closed(Caller(backend, GROUP, entity_id="E200")) == [f"06/30/{NOW.year}"]
    assert closed(Caller(backend, GROUP, entity_id="E100")) == [company.strftime("%m/%d/%Y")]
    assert len(Caller(backend, GROUP).data('<get_companyprefs application="AR"/>').findall("companypref")) == 0
    error = Caller(backend, GROUP).fail('<get_companyprefs application="XX"/>').errors[0]
    assert "Invalid application" in error.description
