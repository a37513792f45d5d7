"""Order to cash over real HTTP: invoices, payments, adjustments, sales documents, customers, stock, errors."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest

Y = datetime.now(UTC).year
ERROR_PARTS = ["errorno", "description", "description2", "correction"]


def ymd(tag: str, on: date) -> str:
    return f"<{tag}><year>{on.year}</year><month>{on.month}</month><day>{on.day}</day></{tag}>"


def today() -> date:
    return datetime.now(UTC).date()


def invoice(*amounts: str, number: str | None = None, customer: str = "CUST-0001", on: date | None = None,
            extra_line: str = "") -> str:
    items = "".join(f"<lineitem><glaccountno>4200</glaccountno><amount>{a}</amount><memo>m</memo>{extra_line}"
                    "</lineitem>" for a in (amounts or ("600.00", "400.00")))
    number_xml = f"<invoiceno>{number}</invoiceno>" if number else ""
    return (f"<create_invoice><customerid>{customer}</customerid>{ymd('datecreated', on or today())}"
            f"{ymd('datedue', (on or today()) + timedelta(days=30))}{number_xml}<ponumber>PO-9</ponumber>"
            f"<description>Gala tickets</description><invoiceitems>{items}</invoiceitems></create_invoice>")


def arpymt(details: list[tuple[str, str]], reference: str = "CHK-1", customer: str = "CUST-0001",
           on: date | None = None) -> str:
    rows = "".join(f"<ARPYMTDETAIL><RECORDKEY>{key}</RECORDKEY><TRX_PAYMENTAMOUNT>{amount}</TRX_PAYMENTAMOUNT>"
                   "</ARPYMTDETAIL>" for key, amount in details)
    return (f"<create><ARPYMT><PAYMENTMETHOD>EFT</PAYMENTMETHOD><CUSTOMERID>{customer}</CUSTOMERID>"
            f"<RECEIPTDATE>{(on or today()).strftime('%m/%d/%Y')}</RECEIPTDATE>"
            f"<UNDEPOSITEDACCOUNTNO>1100</UNDEPOSITEDACCOUNTNO><DOCNUMBER>{reference}</DOCNUMBER>"
            f"<ARPYMTDETAILS>{rows}</ARPYMTDETAILS></ARPYMT></create>")


def adjustment(amount: str, invoice_no: str = "", number: str = "", on: date | None = None) -> str:
    return (f"<create_aradjustment><customerid>CUST-0001</customerid>{ymd('datecreated', on or today())}"
            + (f"<adjustmentno>{number}</adjustmentno>" if number else "")
            + (f"<invoiceno>{invoice_no}</invoiceno>" if invoice_no else "")
            + "<description>Returned tickets</description><aradjustmentitems><lineitem><glaccountno>4200"
            f"</glaccountno><amount>{amount}</amount><memo>credit</memo></lineitem></aradjustmentitems>"
            "</create_aradjustment>")


def sales(doctype: str = "Sales Invoice", qty: str = "4", docno: str = "", reference: str = "ORD-1") -> str:
    number = f"<documentno>{docno}</documentno>" if docno else ""
    return (f"<create_sotransaction><transactiontype>{doctype}</transactiontype>{ymd('datecreated', today())}"
            f"<customerid>CUST-0002</customerid>{number}<referenceno>{reference}</referenceno>"
            f"<sotransitems><sotransitem><itemid>MUG</itemid><quantity>{qty}</quantity>"
            "<warehouseid>WH-NORTH</warehouseid><price>12.50</price></sotransitem></sotransitems>"
            "</create_sotransaction>")


class O2C:
    """The wire client plus readers of the records these tests look at."""

    def __init__(self, wire) -> None:
        self.wire = wire
        self.n = 0

    def call(self, body: str, **kw):
        self.n += 1
        return self.wire.call([(f"f-{self.n}", body)], **kw).result()

    def ok(self, body: str) -> str:
        result = self.call(body)
        assert result.findtext("status") == "success", self.wire.emulator and _text(result)
        return result.findtext("key") or result.findtext("data/*/RECORDNO")

    def fail(self, body: str) -> list:
        result = self.call(body)
        assert result.findtext("status") == "failure"
        return result.findall("errormessage/error")

    def query(self, obj: str, fields: list[str], filter_xml: str = "") -> list[dict[str, str]]:
        select = "".join(f"<field>{f}</field>" for f in fields)
        where = f"<filter>{filter_xml}</filter>" if filter_xml else ""
        result = self.call(f"<query><select>{select}</select><object>{obj}</object>{where}"
                           "<orderby><order><field>RECORDNO</field><ascending/></order></orderby></query>")
        assert result.findtext("status") == "success", _text(result)
        return [{c.tag: (c.text or "") for c in row} for row in result.find("data")]

    def invoice(self, key: str) -> dict[str, str]:
        return self.query("ARINVOICE", ["RECORDNO", "RECORDID", "STATE", "TOTALENTERED", "TOTALPAID", "TOTALDUE",
                                        "WHENMODIFIED", "WHENPAID", "DOCNUMBER", "CUSTOMERID"],
                          f"<equalto><field>RECORDNO</field><value>{key}</value></equalto>")[0]

    def customer_due(self, customer: str = "CUST-0001") -> str:
        return self.query("CUSTOMER", ["TOTALDUE"],
                          f"<equalto><field>CUSTOMERID</field><value>{customer}</value></equalto>")[0]["TOTALDUE"]


def _text(result) -> str:
    return " | ".join(e.findtext("description") or "" for e in result.findall("errormessage/error"))


@pytest.fixture
def o2c(wire) -> O2C:
    return O2C(wire)


def test_every_error_has_four_children_even_a_refused_glbatch_with_two(o2c: O2C) -> None:
    unbalanced = ("<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>01/15/2000</BATCH_DATE><BATCH_TITLE>x"
                  "</BATCH_TITLE><ENTRIES><GLENTRY><ACCOUNTNO>1000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>5"
                  "</TRX_AMOUNT></GLENTRY><GLENTRY><ACCOUNTNO>4000</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>4"
                  "</TRX_AMOUNT></GLENTRY></ENTRIES></GLBATCH></create>")
    errors = o2c.fail(unbalanced)
    assert len(errors) >= 2
    for error in errors:  # as a client reading error.description2 of every error needs
        assert [c.tag for c in error] == ERROR_PARTS
        assert error.find("description2") is not None and error.find("correction") is not None
    aborted = o2c.wire.call([("a", invoice()), ("b", unbalanced)], transaction="true")
    for result in aborted.results:
        assert all([c.tag for c in e] == ERROR_PARTS for e in result.findall("errormessage/error"))
    for answer in (o2c.wire.call([("x", invoice())], auth=o2c.wire.login(password="wrong")),
                   o2c.wire.call([("x", invoice())], sender=("intacct-bridge", "wrong"))):
        errors = answer.auth_errors or answer.control_errors
        assert errors and all([c.tag for c in e] == ERROR_PARTS for e in errors)


def test_invoice_numbers_come_from_the_sequence_and_are_unique(o2c: O2C) -> None:
    first, second = o2c.ok(invoice()), o2c.ok(invoice())
    numbers = [o2c.invoice(first)["RECORDID"], o2c.invoice(second)["RECORDID"]]
    assert numbers == ["INV-00001", "INV-00002"]
    o2c.ok(invoice(number="INV-00003"))  # typed by hand: the sequence skips it
    assert o2c.invoice(o2c.ok(invoice()))["RECORDID"] == "INV-00004"
    errors = o2c.fail(invoice(number="INV-00001"))
    assert errors[0].findtext("errorno") == "BL34000061" and "INV-00001" in errors[0].findtext("description")
    row = o2c.invoice(first)
    assert (row["STATE"], row["TOTALENTERED"], row["TOTALDUE"], row["DOCNUMBER"]) == (
        "Posted", "1000.00", "1000.00", "PO-9")


def test_invoice_line_custom_field_and_dimensions(o2c: O2C) -> None:
    fund = ("<customfields><customfield><customfieldname>GLDIMFUND</customfieldname>"
            "<customfieldvalue>F999</customfieldvalue></customfield></customfields>")
    assert "F999" in o2c.fail(invoice("5.00", extra_line=fund))[0].findtext("description")
    rows = o2c.query("FUND", ["id"])
    key = o2c.ok(invoice("5.00", extra_line=fund.replace("F999", rows[0]["id"]) + "<classid>C200</classid>"))
    record = o2c.call(f"<read><object>ARINVOICE</object><keys>{key}</keys></read>").find("data/ARINVOICE")
    line = record.find("ARINVOICEITEMS/arinvoiceitem")
    assert (line.findtext("GLDIMFUND"), line.findtext("CLASSID")) == (rows[0]["id"], "C200")
    bad = fund.replace("GLDIMFUND", "NOSUCH")
    assert "Unknown custom field 'NOSUCH'" in o2c.fail(invoice("5.00", extra_line=bad))[0].findtext("description")


def test_payments_move_balances_state_and_whenmodified(o2c: O2C) -> None:
    a, b = o2c.ok(invoice("100.00")), o2c.ok(invoice("50.00"))
    before = o2c.invoice(a)["WHENMODIFIED"]
    time.sleep(1.1)  # WHENMODIFIED has whole seconds
    o2c.ok(arpymt([(a, "40.00")], reference="CHK-P1"))
    row = o2c.invoice(a)
    assert (row["STATE"], row["TOTALPAID"], row["TOTALDUE"]) == ("Partially Paid", "40.00", "60.00")
    assert row["WHENMODIFIED"] > before
    changed = o2c.query("ARINVOICE", ["RECORDNO"], f"<greaterthan><field>WHENMODIFIED</field><value>{before}"
                                                   "</value></greaterthan>")
    assert [r["RECORDNO"] for r in changed] == [a]
    o2c.ok(arpymt([(a, "60.00"), (b, "20.00")], reference="CHK-P2"))  # one payment, two invoices
    assert (o2c.invoice(a)["STATE"], o2c.invoice(a)["TOTALDUE"], o2c.invoice(a)["WHENPAID"]) == (
        "Paid", "0.00", today().strftime("%m/%d/%Y"))
    assert (o2c.invoice(b)["STATE"], o2c.invoice(b)["TOTALDUE"]) == ("Partially Paid", "30.00")
    assert o2c.customer_due() == "30.00"
    error = o2c.fail(arpymt([(a, "1.00")], reference="CHK-P3"))[0]
    assert error.findtext("description") == f"Invoice {a} on line 1 is already paid in full"
    assert "exceeds its amount due 30.00" in o2c.fail(arpymt([(b, "30.01")]))[0].findtext("description")
    found = o2c.query("ARPYMT", ["RECORDNO", "CUSTOMERID", "RECEIPTDATE", "TOTALENTERED", "DOCNUMBER",
                                 "PAYMENTMETHOD", "WHENMODIFIED"],
                      "<equalto><field>DOCNUMBER</field><value>CHK-P2</value></equalto>")
    assert [(r["CUSTOMERID"], r["TOTALENTERED"], r["PAYMENTMETHOD"]) for r in found] == [("CUST-0001", "80.00", "EFT")]


def test_credit_adjustment_lowers_the_invoice_it_names(o2c: O2C) -> None:
    key = o2c.ok(invoice("100.00"))
    number = o2c.invoice(key)["RECORDID"]
    adj = o2c.ok(adjustment("-30.00", invoice_no=number, number="CM-1"))
    row = o2c.invoice(key)
    assert (row["STATE"], row["TOTALPAID"], row["TOTALDUE"]) == ("Partially Paid", "30.00", "70.00")
    assert o2c.customer_due() == "70.00"
    found = o2c.query("ARADJUSTMENT", ["RECORDNO", "RECORDID", "CUSTOMERID", "TOTALENTERED", "TOTALDUE", "STATE",
                                       "DOCNUMBER", "WHENMODIFIED"],
                      "<equalto><field>RECORDID</field><value>CM-1</value></equalto>")
    assert [(r["RECORDNO"], r["TOTALENTERED"], r["TOTALDUE"], r["STATE"], r["DOCNUMBER"]) for r in found] == [
        (adj, "-30.00", "0.00", "Paid", number)]
    assert o2c.fail(adjustment("-5.00", number="CM-1"))[0].findtext("errorno") == "BL34000061"
    assert "exceeds its amount due 70.00" in o2c.fail(adjustment("-70.01", invoice_no=number))[0].findtext(
        "description")
    assert "INV-NOPE" in o2c.fail(adjustment("-1.00", invoice_no="INV-NOPE"))[0].findtext("description")
    unapplied = o2c.ok(adjustment("-10.00"))  # an open credit, no invoice named
    assert o2c.query("ARADJUSTMENT", ["RECORDID", "TOTALDUE"],
                     f"<equalto><field>RECORDNO</field><value>{unapplied}</value></equalto>")[0] == {
        "RECORDID": "ADJ-00001", "TOTALDUE": "-10.00"}
    assert o2c.customer_due() == "60.00"


@pytest.mark.parametrize("body", [
    invoice("10.00", on=date(Y - 1, 12, 31)),
    adjustment("-1.00", on=date(Y - 1, 6, 1)),
    arpymt([("@INV@", "1.00")], on=date(Y - 1, 12, 30)),
    sales().replace(ymd("datecreated", today()), ymd("datecreated", date(Y - 1, 12, 1))),
])
def test_closed_period_refuses_ar_documents(o2c: O2C, body: str) -> None:
    body = body.replace("@INV@", o2c.ok(invoice("10.00")))
    error = o2c.fail(body)[0]
    assert "is in a closed period" in error.findtext("description")
    assert f"closed through {Y - 1}-12-31" in error.findtext("description2")


def test_closed_period_per_entity(wire, o2c: O2C) -> None:
    session = wire.open_session("E100", company="helping-hands-group")
    wire.admin.set_closed_through("helping-hands-group", "E100", today())
    body = invoice("10.00", customer="E100-CUST-01")
    result = wire.call([("e1", body)], auth=wire.session(session)).result()
    assert "at entity E100" in result.findtext("errormessage/error/description2")
    other = wire.call([("e2", body.replace("E100-CUST-01", "SHARED-CUST-01"))], auth=wire.login(
        "helping-hands-group", locationid="E200")).result()
    assert other.findtext("status") == "success"


def test_sales_invoice_posts_to_ar_and_takes_stock(o2c: O2C) -> None:
    stock_before = o2c.query("ICITEMTOTAL", ["ONHAND", "WHENMODIFIED"],
                             "<and><equalto><field>ITEMID</field><value>MUG</value></equalto><equalto><field>"
                             "WAREHOUSEID</field><value>WH-NORTH</value></equalto></and>")[0]
    time.sleep(1.1)
    key = o2c.ok(sales(reference="ORD-55"))
    assert key == "Sales Invoice-SI-00001"
    doc = o2c.query("SODOCUMENT", ["DOCID", "DOCNO", "PONUMBER", "PRRECORDKEY", "TOTAL"],
                    "<equalto><field>PONUMBER</field><value>ORD-55</value></equalto>")[0]
    assert (doc["DOCNO"], doc["TOTAL"]) == ("SI-00001", "50.00")
    ar = o2c.invoice(doc["PRRECORDKEY"])
    assert (ar["RECORDID"], ar["TOTALDUE"], ar["CUSTOMERID"]) == ("SI-00001", "50.00", "CUST-0002")
    o2c.ok(arpymt([(doc["PRRECORDKEY"], "50.00")], customer="CUST-0002"))
    assert o2c.invoice(doc["PRRECORDKEY"])["STATE"] == "Paid"
    changed = o2c.query("ICITEMTOTAL", ["ITEMID", "WAREHOUSEID", "ONHAND"],
                        f"<greaterthan><field>WHENMODIFIED</field><value>{stock_before['WHENMODIFIED']}</value>"
                        "</greaterthan>")
    assert changed == [{"ITEMID": "MUG", "WAREHOUSEID": "WH-NORTH", "ONHAND": str(int(stock_before["ONHAND"]) - 4)}]


def test_sales_order_changes_no_ledger_and_unknown_types_are_refused(o2c: O2C) -> None:
    due = o2c.customer_due("CUST-0002")
    assert o2c.ok(sales("Sales Order", qty="10000")) == "Sales Order-SO-00001"
    assert o2c.customer_due("CUST-0002") == due
    error = o2c.fail(sales("Donation Receipt"))[0]
    assert error.findtext("description") == "Invalid transaction type 'Donation Receipt'"
    assert "Sales Invoice" in error.findtext("correction")
    definitions = o2c.query("SODOCUMENTPARAMS", ["DOCID", "DOCCLASS", "UPDATES_GL"])
    assert ("Sales Invoice", "Invoice", "Accounts Receivable") in {tuple(d.values()) for d in definitions}


def test_customer_with_contacts_round_trips_and_keeps_its_id(o2c: O2C) -> None:
    o2c.ok("<create><CONTACT><CONTACTNAME>Ann Lee</CONTACTNAME><PRINTAS>Ann Lee</PRINTAS><EMAIL1>ann@example.org"
           "</EMAIL1></CONTACT></create>")
    created = o2c.call(
        "<create><CUSTOMER><CUSTOMERID>C-900</CUSTOMERID><NAME>Oak Trust</NAME><DISPLAYCONTACT><PRINTAS>Oak Trust"
        "</PRINTAS><COMPANYNAME>Oak Trust</COMPANYNAME><FIRSTNAME>Rae</FIRSTNAME><LASTNAME>Oak</LASTNAME><EMAIL1>"
        "rae@oak.example</EMAIL1><PHONE1>555-0100</PHONE1><MAILADDRESS><ADDRESS1>1 Elm St</ADDRESS1><CITY>Salem"
        "</CITY><STATE>OR</STATE><ZIP>97301</ZIP><COUNTRY>United States</COUNTRY></MAILADDRESS></DISPLAYCONTACT>"
        "<BILLTO><CONTACTNAME>Ann Lee</CONTACTNAME></BILLTO><SHIPTO><PRINTAS>Oak Dock</PRINTAS><MAILADDRESS>"
        "<ADDRESS1>9 Pier Rd</ADDRESS1></MAILADDRESS></SHIPTO></CUSTOMER></create>")
    assert created.findtext("data/customer/CUSTOMERID") == "C-900"
    row = o2c.call("<readByName><object>CUSTOMER</object><keys>C-900</keys><fields>*</fields></readByName>").find(
        "data/CUSTOMER")
    assert row.findtext("DISPLAYCONTACT/CONTACTNAME") == "Oak Trust(CC-900)"
    assert row.findtext("DISPLAYCONTACT/MAILADDRESS/CITY") == "Salem"
    assert (row.findtext("BILLTO/CONTACTNAME"), row.findtext("BILLTO/EMAIL1")) == ("Ann Lee", "ann@example.org")
    assert row.findtext("SHIPTO/CONTACTNAME") == "Oak Trust(CC-900) Ship to"
    assert row.findtext("SHIPTO/MAILADDRESS/ADDRESS1") == "9 Pier Rd" and row.findtext("TOTALDUE") == "0.00"
    contacts = {r["CONTACTNAME"] for r in o2c.query("CONTACT", ["CONTACTNAME"])}
    assert {"Ann Lee", "Oak Trust(CC-900)", "Oak Trust(CC-900) Ship to"} <= contacts
    o2c.ok("<update><CUSTOMER><CUSTOMERID>C-900</CUSTOMERID><DISPLAYCONTACT><EMAIL1>new@oak.example</EMAIL1>"
           "</DISPLAYCONTACT></CUSTOMER></update>")
    assert o2c.query("CONTACT", ["EMAIL1"], "<equalto><field>CONTACTNAME</field><value>Oak Trust(CC-900)</value>"
                                            "</equalto>")[0]["EMAIL1"] == "new@oak.example"
    record = o2c.query("CUSTOMER", ["RECORDNO"], "<equalto><field>CUSTOMERID</field><value>C-900</value></equalto>")
    error = o2c.fail(f"<update><CUSTOMER><RECORDNO>{record[0]['RECORDNO']}</RECORDNO><CUSTOMERID>C-901</CUSTOMERID>"
                     "</CUSTOMER></update>")[0]
    assert "CUSTOMERID cannot be changed" in error.findtext("description")
    duplicate = o2c.fail("<create><CUSTOMER><CUSTOMERID>C-900</CUSTOMERID><NAME>Again</NAME></CUSTOMER></create>")[0]
    assert (duplicate.findtext("errorno"), duplicate.findtext("description")) == (
        "BL34000061", "Another Customer with the given value(s) C-900 already exists")
    missing = o2c.fail("<create><CUSTOMER><CUSTOMERID>C-902</CUSTOMERID><NAME>N</NAME><BILLTO><CONTACTNAME>Nobody"
                       "</CONTACTNAME></BILLTO></CUSTOMER></create>")[0]
    assert "Invalid contact 'Nobody'" in missing.findtext("description")


@pytest.mark.parametrize("mode", ["reject", "replay"])
def test_new_writes_under_a_duplicate_controlid(wire, mode: str) -> None:
    wire.admin.set_config(idempotency_mode=mode)
    for cid, body in (("inv-1", invoice("10.00")), ("adj-1", adjustment("-1.00")), ("so-1", sales(qty="1"))):
        first = wire.call([(cid, body)], uniqueid="true").result()
        again = wire.call([(cid, body)], uniqueid="true").result()
        assert first.findtext("status") == "success"
        if mode == "reject":
            assert again.findtext("errormessage/error/errorno") == "XL03000013"
        else:
            assert again.findtext("key") == first.findtext("key")
    assert len(wire.admin.ledger("helping-hands", "ARINVOICE")) == 2  # the invoice and the sales invoice's
    assert len(wire.admin.ledger("helping-hands", "ARADJUSTMENT")) == 1
    assert wire.admin.usage()["helping-hands"]["duplicates"] == 3


def test_each_document_bills_one_transaction(wire, o2c: O2C) -> None:
    wire.admin.reset_usage()
    key = o2c.ok(invoice("1.00", "2.00", "3.00"))
    o2c.ok(adjustment("-1.00"))
    o2c.ok(sales(qty="2"))
    o2c.ok(arpymt([(key, "1.00")]))
    assert wire.admin.usage()["helping-hands"]["api_transactions"] == 4


def test_balances_and_number_sequences_survive_a_restart(wire_for, tmp_path) -> None:
    db = str(tmp_path / "emulator.sqlite3")
    with wire_for(db=db) as wire:
        o2c = O2C(wire)
        key = o2c.ok(invoice("40.00"))
        o2c.ok(arpymt([(key, "15.00")]))
        o2c.ok(sales(qty="1"))
    with wire_for(db=db) as wire:
        o2c = O2C(wire)
        row = o2c.invoice(key)
        assert (row["RECORDID"], row["STATE"], row["TOTALDUE"]) == ("INV-00001", "Partially Paid", "25.00")
        assert o2c.invoice(o2c.ok(invoice("1.00")))["RECORDID"] == "INV-00002"
        assert o2c.ok(sales(qty="1")) == "Sales Invoice-SI-00002"
        assert o2c.customer_due() == "26.00"


def test_a_company_stored_without_definitions_gets_the_standard_ones(wire, o2c: O2C) -> None:
    with wire.emulator.state.backend.transaction() as conn:
        conn.execute("DELETE FROM records WHERE company_id = 'helping-hands' AND object = 'SODOCUMENTPARAMS'")
    assert o2c.ok(sales(qty="1")) == "Sales Invoice-SI-00001"
    assert len(o2c.query("SODOCUMENTPARAMS", ["DOCID"])) == 3


def test_an_open_credit_is_applied_through_a_payment_detail(o2c: O2C) -> None:
    key = o2c.ok(invoice("100.00"))
    credit = o2c.ok(adjustment("-30.00"))  # open: no invoice named
    assert o2c.customer_due() == "70.00"

    def detail(cash: str | None, applied: str) -> str:
        money = f"<TRX_PAYMENTAMOUNT>{cash}</TRX_PAYMENTAMOUNT>" if cash else ""
        return (f"<create><ARPYMT><PAYMENTMETHOD>EFT</PAYMENTMETHOD><CUSTOMERID>CUST-0001</CUSTOMERID>"
                f"<RECEIPTDATE>{today().strftime('%m/%d/%Y')}</RECEIPTDATE><UNDEPOSITEDACCOUNTNO>1100"
                f"</UNDEPOSITEDACCOUNTNO><ARPYMTDETAILS><ARPYMTDETAIL><RECORDKEY>{key}</RECORDKEY>{money}"
                f"<ADJUSTMENTKEY>{credit}</ADJUSTMENTKEY><TRX_ADJUSTMENTAMOUNT>{applied}</TRX_ADJUSTMENTAMOUNT>"
                "</ARPYMTDETAIL></ARPYMTDETAILS></ARPYMT></create>")

    assert "exceeds its open balance 30.00" in o2c.fail(detail(None, "30.01"))[0].findtext("description")
    o2c.ok(detail(None, "20.00"))
    row = o2c.invoice(key)
    assert (row["STATE"], row["TOTALPAID"], row["TOTALDUE"]) == ("Partially Paid", "20.00", "80.00")
    assert o2c.customer_due() == "70.00"  # the credit lowered the balance when it was posted
    o2c.ok(detail("70.00", "10.00"))
    assert (o2c.invoice(key)["STATE"], o2c.invoice(key)["TOTALDUE"]) == ("Paid", "0.00")
    assert o2c.customer_due() == "0.00"
    used = o2c.query("ARADJUSTMENT", ["STATE", "TOTALDUE", "TOTALPAID"],
                     f"<equalto><field>RECORDNO</field><value>{credit}</value></equalto>")[0]
    assert used == {"STATE": "Paid", "TOTALDUE": "0.00", "TOTALPAID": "-30.00"}
    other = o2c.ok(invoice("5.00"))
    assert "has no open balance" in o2c.fail(detail(None, "1.00").replace(f">{key}<", f">{other}<"))[0].findtext(
        "description")
