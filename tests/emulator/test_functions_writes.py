"""Generic create/update/delete and the legacy deletes of master data."""

from __future__ import annotations

import pytest

from backend_helpers import Caller, seeded_backend, texts


@pytest.fixture
def call() -> Caller:
    return Caller(seeded_backend())


def test_create_several_objects_answers_each_and_bills_each(call: Caller) -> None:
    outcome = call("<create><CLASS><CLASSID>UT01</CLASSID><NAME>Unit One</NAME></CLASS>"
                   "<DEPARTMENT><DEPARTMENTID>UT02</DEPARTMENTID><TITLE>Unit Two</TITLE></DEPARTMENT></create>")
    data = outcome.children[0]
    assert outcome.billable == 2
    assert (data.get("listtype"), data.get("count")) == ("objects", "2")
    assert [c.tag for c in data] == ["class", "department"]
    assert data[0].findtext("CLASSID") == "UT01" and data[0].findtext("RECORDNO").isdigit()
    stored = call.data("<readByName><object>CLASS</object><keys>UT01</keys><fields>*</fields></readByName>")[0]
    assert stored.findtext("STATUS") == "active" and stored.findtext("CREATEDBY") == "ws_bridge"
    assert stored.findtext("WHENCREATED").startswith(call.now.strftime("%m/%d/%Y"))


def test_duplicate_id_is_bl34000061(call: Caller) -> None:
    error = call.fail("<create><CLASS><CLASSID>C100</CLASSID><NAME>Again</NAME></CLASS></create>").errors[0]
    assert error.errorno == "BL34000061"
    assert error.description == "Another Class with the given value(s) C100 already exists"


def test_failed_object_rolls_back_the_whole_create(call: Caller) -> None:
    call.fail("<create><CLASS><CLASSID>NEW1</CLASSID><NAME>n</NAME></CLASS>"
              "<CLASS><CLASSID>C100</CLASSID><NAME>dup</NAME></CLASS></create>")
    assert len(call.data("<readByName><object>CLASS</object><keys>NEW1</keys></readByName>")) == 0


@pytest.mark.parametrize(("xml", "needle"), [
    ("<create><CLASS><NAME>no id</NAME></CLASS></create>", "CLASSID"),
    ("<create><CLASS><CLASSID>X1</CLASSID><NAME>n</NAME><COLOUR>red</COLOUR></CLASS></create>", "COLOUR"),
    ("<create><CLASS><CLASSID>X1</CLASSID><NAME>n</NAME><STATUS>sleeping</STATUS></CLASS></create>", "sleeping"),
    ("<create><CLASS><CLASSID>X1</CLASSID><NAME>n</NAME><PARENTID>NOPE</PARENTID></CLASS></create>", "NOPE"),
    ("<create><GLACCOUNT><ACCOUNTNO>9100</ACCOUNTNO><TITLE>t</TITLE><ACCOUNTTYPE>weird</ACCOUNTTYPE></GLACCOUNT>"
     "</create>", "weird"),
    ("<create><LOCATIONENTITY><LOCATIONID>E9</LOCATIONID></LOCATIONENTITY></create>", "LOCATIONENTITY"),
    ("<create><NOPE><X>1</X></NOPE></create>", "NOPE"),
])
def test_invalid_creates_name_the_culprit(call: Caller, xml: str, needle: str) -> None:
    error = call.fail(xml).errors[0]
    assert error.errorno == "BL01001973" and needle in error.description


def test_nested_fields_and_references(call: Caller) -> None:
    call("<create><CUSTOMER><CUSTOMERID>C-NEW</CUSTOMERID><NAME>New Donor</NAME><DISPLAYCONTACT>"
         "<PRINTAS>New Donor</PRINTAS><EMAIL1>new@example.org</EMAIL1><MAILADDRESS><CITY>Springfield</CITY>"
         "</MAILADDRESS></DISPLAYCONTACT><PARENTID>CUST-0001</PARENTID></CUSTOMER>"
         "<WAREHOUSE><WAREHOUSEID>WH-S</WAREHOUSEID><NAME>South</NAME><LOC><LOCATIONID>300</LOCATIONID></LOC>"
         "</WAREHOUSE></create>")
    customer = call.data("<readByName><object>CUSTOMER</object><keys>C-NEW</keys><fields>"
                         "DISPLAYCONTACT.EMAIL1,DISPLAYCONTACT.MAILADDRESS.CITY,PARENTNAME</fields></readByName>")[0]
    assert customer.findtext("DISPLAYCONTACT/EMAIL1") == "new@example.org"
    assert customer.findtext("DISPLAYCONTACT/MAILADDRESS/CITY") == "Springfield"
    assert customer.findtext("PARENTNAME") == "Riverside Community Foundation"
    warehouse = call.data("<readByName><object>WAREHOUSE</object><keys>WH-S</keys><fields>LOC.LOCATIONID,LOC.NAME"
                          "</fields></readByName>")[0]
    assert warehouse.findtext("LOC/NAME") == "South Side Community Center"


def test_update_by_id_or_recordno(call: Caller) -> None:
    outcome = call("<update><GLACCOUNT><ACCOUNTNO>6500</ACCOUNTNO><TITLE>Travel and Mileage</TITLE></GLACCOUNT></update>")
    answer = outcome.children[0][0]
    assert outcome.billable == 1 and answer.tag == "glaccount" and answer.findtext("ACCOUNTNO") == "6500"
    recordno = answer.findtext("RECORDNO")
    call(f"<update><GLACCOUNT><RECORDNO>{recordno}</RECORDNO><STATUS>inactive</STATUS></GLACCOUNT></update>")
    record = call.data(f"<read><object>GLACCOUNT</object><keys>{recordno}</keys>"
                       "<fields>TITLE,STATUS,NORMALBALANCE</fields></read>")[0]
    assert [c.text for c in record] == ["Travel and Mileage", "inactive", "debit"]
    error = call.fail("<update><GLACCOUNT><ACCOUNTNO>0000</ACCOUNTNO><TITLE>x</TITLE></GLACCOUNT></update>").errors[0]
    assert "0000" in error.description


def test_itemid_cannot_change(call: Caller) -> None:
    recordno = call.data("<readByName><object>ITEM</object><keys>MUG</keys><fields>RECORDNO</fields></readByName>")[0][0].text
    error = call.fail(f"<update><ITEM><RECORDNO>{recordno}</RECORDNO><ITEMID>CUP</ITEMID></ITEM></update>").errors[0]
    assert error.errorno == "BL01001973" and "MUG" in error.description and "ITEMID" in error.description
    call(f"<update><ITEM><RECORDNO>{recordno}</RECORDNO><ITEMID>MUG</ITEMID><NAME>Big Mug</NAME></ITEM></update>")
    assert texts(call.data("<readByName><object>ITEM</object><keys>MUG</keys><fields>NAME</fields></readByName>"),
                 "ITEM/NAME") == ["Big Mug"]


def test_vendorid_cannot_change_and_an_update_by_id_changes_only_what_it_names(call: Caller) -> None:
    call("<create><VENDOR><VENDORID>ACME</VENDORID><NAME>Acme</NAME><DISPLAYCONTACT><PRINTAS>Acme</PRINTAS>"
         "<EMAIL1>ap@acme.example</EMAIL1><PHONE1>555</PHONE1></DISPLAYCONTACT></VENDOR></create>")
    recordno = call.data("<readByName><object>VENDOR</object><keys>ACME</keys><fields>RECORDNO</fields>"
                         "</readByName>")[0][0].text
    error = call.fail(f"<update><VENDOR><RECORDNO>{recordno}</RECORDNO><VENDORID>ACME2</VENDORID></VENDOR>"
                      "</update>").errors[0]
    assert error.errorno == "BL01001973" and "VENDORID" in error.description and "ACME" in error.description
    assert error.correction == "Create a new vendor instead."
    call("<update><VENDOR><VENDORID>ACME</VENDORID><DISPLAYCONTACT><EMAIL1>billing@acme.example</EMAIL1>"
         "</DISPLAYCONTACT></VENDOR></update>")
    fields = "DISPLAYCONTACT.EMAIL1,DISPLAYCONTACT.PHONE1,DISPLAYCONTACT.CONTACTNAME,NAME"
    vendor = call.data(f"<readByName><object>VENDOR</object><keys>ACME</keys><fields>{fields}</fields>"
                       "</readByName>")[0]
    assert vendor.findtext("DISPLAYCONTACT/EMAIL1") == "billing@acme.example"
    assert vendor.findtext("DISPLAYCONTACT/PHONE1") == "555" and vendor.findtext("NAME") == "Acme"
    contact = call.data("<readByName><object>CONTACT</object><keys>Acme(VACME)</keys><fields>EMAIL1</fields>"
                        "</readByName>")[0]   # its display contact is a CONTACT record, kept in step
    assert vendor.findtext("DISPLAYCONTACT/CONTACTNAME") == "Acme(VACME)"
    assert contact.findtext("EMAIL1") == "billing@acme.example"


def test_a_non_inventory_item_is_created_and_updated_by_its_itemid(call: Caller) -> None:
    call("<create><ITEM><ITEMID>SVC-9</ITEMID><NAME>Hour</NAME><ITEMTYPE>Non-Inventory</ITEMTYPE>"
         "<BASEPRICE>90.00</BASEPRICE></ITEM></create>")
    call("<update><ITEM><ITEMID>SVC-9</ITEMID><BASEPRICE>95.50</BASEPRICE></ITEM></update>")
    item = call.data("<readByName><object>ITEM</object><keys>SVC-9</keys><fields>NAME,ITEMTYPE,BASEPRICE</fields>"
                     "</readByName>")[0]
    assert [c.text for c in item] == ["Hour", "Non-Inventory", "95.50"]
    error = call.fail("<create><ITEM><ITEMID>SVC-9</ITEMID><NAME>Again</NAME><ITEMTYPE>Non-Inventory</ITEMTYPE>"
                      "</ITEM></create>").errors[0]
    assert error.errorno == "BL34000061"


def test_udd_fund_create_update_delete(call: Caller) -> None:
    data = call.data("<create><FUND><id>F11</id><name>New Fund</name></FUND></create>")
    recordno = data.findtext("fund/RECORDNO")
    assert data.findtext("fund/id") == "F11"
    call("<update><FUND><id>F11</id><STATUS>inactive</STATUS></FUND></update>")
    outcome = call(f"<delete><object>FUND</object><keys>{recordno}</keys></delete>")
    assert outcome.children == [] and outcome.billable == 1
    assert len(call.data("<readByName><object>FUND</object><keys>F11</keys></readByName>")) == 0


def test_delete_by_keys_and_missing_key(call: Caller) -> None:
    created = call.data("<create><CLASS><CLASSID>D1</CLASSID><NAME>a</NAME></CLASS>"
                        "<CLASS><CLASSID>D2</CLASSID><NAME>b</NAME></CLASS></create>")
    keys = ",".join(texts(created, "class/RECORDNO"))
    assert call(f"<delete><object>CLASS</object><keys>{keys}</keys></delete>").billable == 2
    error = call.fail(f"<delete><object>CLASS</object><keys>{keys}</keys></delete>").errors[0]
    assert error.description.startswith("Cannot find class with key")


@pytest.mark.parametrize(("fn", "attr", "key", "obj"), [
    ("delete_customer", "customerid", "CUST-0006", "CUSTOMER"),
    ("delete_vendor", "vendorid", "V-300", "VENDOR"),
    ("delete_item", "itemid", "SVC-CLASS", "ITEM"),
    ("delete_location", "locationid", "500", "LOCATION"),
    ("delete_department", "departmentid", "OLD", "DEPARTMENT"),
    ("delete_class", "classid", "C900", "CLASS"),
    ("delete_glaccount", "glaccountno", "7300", "GLACCOUNT"),
])
def test_legacy_deletes(call: Caller, fn: str, attr: str, key: str, obj: str) -> None:
    assert call(f'<{fn} {attr}="{key}"/>').billable == 1
    assert len(call.data(f"<readByName><object>{obj}</object><keys>{key}</keys></readByName>")) == 0
    assert key in call.fail(f'<{fn} {attr}="{key}"/>').errors[0].description


def test_permissions_gate_writes(call: Caller) -> None:
    limited = Caller(call.backend, user_id="ws_limited")
    error = limited.fail("<create><CLASS><CLASSID>P1</CLASSID><NAME>p</NAME></CLASS></create>").errors[0]
    assert error.errorno == "BL03000018" and "CLASS" in error.description
    assert limited.fail('<delete_department departmentid="ADM"/>').errors[0].errorno == "BL03000018"


def test_records_in_use_cannot_be_deleted(call: Caller) -> None:
    from backend_helpers import glbatch_xml, line

    call(glbatch_xml([line("6100", "1", "5.00", DEPARTMENT="FIN"), line("2100", "-1", "5.00")]))
    error = call.fail('<delete_glaccount glaccountno="6100"/>').errors[0]
    assert error.description == "Cannot delete gl account 6100: it is used by Journal Entry records"
    assert "FIN" in call.fail('<delete_department departmentid="FIN"/>').errors[0].description
    invoice = ("<create_invoice><customerid>CUST-0004</customerid><datecreated><year>2026</year><month>7</month>"
               "<day>1</day></datecreated><termname>N30</termname><invoiceitems><lineitem><glaccountno>4000</glaccountno><amount>5</amount>"
               "</lineitem></invoiceitems></create_invoice>").replace("2026", str(call.now.year))
    call(invoice)
    assert "used by AR Invoice" in call.fail('<delete_customer customerid="CUST-0004"/>').errors[0].description
    assert call('<delete_glaccount glaccountno="6200"/>').billable == 1
    assert call('<delete_location locationid="400"/>').billable == 1  # a warehouse's location is not a transaction


def test_created_records_get_the_gateways_defaults_and_can_be_posted_to(call: Caller) -> None:
    from backend_helpers import glbatch_xml, line

    call("<create><GLACCOUNT><ACCOUNTNO>1040</ACCOUNTNO><TITLE>Cash - Money Market</TITLE></GLACCOUNT>"
         "<LOCATION><LOCATIONID>600</LOCATIONID><NAME>West Annex</NAME></LOCATION></create>")
    account = call.data("<readByName><object>GLACCOUNT</object><keys>1040</keys>"
                        "<fields>STATUS,ACCOUNTTYPE,NORMALBALANCE,CLOSINGTYPE</fields></readByName>")[0]
    assert [c.text for c in account] == ["active", "balancesheet", "debit", "non-closing account"]
    assert call(glbatch_xml([line("1040", "1", "5.00", LOCATION="600"), line("2100", "-1", "5.00")])).billable == 1
