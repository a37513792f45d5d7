"""Receivables and order entry: create_invoice, payments (legacy and ARPYMT), sales invoices and stock."""

from __future__ import annotations

import pytest

from backend_helpers import NOW, Caller, seeded_backend

Y = NOW.year


def ymd(tag: str, month: int, day: int, year: int = Y) -> str:
    return f"<{tag}><year>{year}</year><month>{month}</month><day>{day}</day></{tag}>"


def invoice_xml(customer: str = "CUST-0001", *amounts: str) -> str:
    items = "".join(f"<lineitem><glaccountno>4200</glaccountno><amount>{a}</amount><memo>line</memo></lineitem>"
                    for a in (amounts or ("600.00", "400.00")))
    return (f"<create_invoice><customerid>{customer}</customerid>{ymd('datecreated', 3, 1)}"
            f"<termname>N30</termname><invoiceitems>{items}</invoiceitems>"
            "</create_invoice>")


def arpymt_xml(invoice: str, amount: str, customer: str = "CUST-0001") -> str:
    return (f"<create><ARPYMT><PAYMENTMETHOD>Printed Check</PAYMENTMETHOD><CUSTOMERID>{customer}</CUSTOMERID>"
            f"<RECEIPTDATE>07/01/{Y}</RECEIPTDATE><UNDEPOSITEDACCOUNTNO>1100</UNDEPOSITEDACCOUNTNO>"
            f"<DOCNUMBER>CHK-1</DOCNUMBER><ARPYMTDETAILS><ARPYMTDETAIL><RECORDKEY>{invoice}</RECORDKEY>"
            f"<TRX_PAYMENTAMOUNT>{amount}</TRX_PAYMENTAMOUNT></ARPYMTDETAIL></ARPYMTDETAILS></ARPYMT></create>")


def legacy_payment_xml(invoice: str, amount: str) -> str:
    return (f"<create_arpayment><customerid>CUST-0001</customerid><paymentamount>{amount}</paymentamount>"
            f"<undepfundsacct>1100</undepfundsacct><refid>CHK-2</refid>{ymd('datereceived', 7, 2)}"
            f"<paymentmethod>Cash</paymentmethod><arpaymentitem><invoicekey>{invoice}</invoicekey>"
            f"<amount>{amount}</amount></arpaymentitem></create_arpayment>")


@pytest.fixture
def call() -> Caller:
    return Caller(seeded_backend())


def invoice_state(call: Caller, key: str) -> tuple[str, ...]:
    record = call.data(f"<read><object>ARINVOICE</object><keys>{key}</keys>"
                       "<fields>STATE,TOTALENTERED,TOTALPAID,TOTALDUE</fields></read>")[0]
    return tuple(c.text for c in record)


def customer_due(call: Caller, customer: str = "CUST-0001") -> str:
    return call.data(f"<readByName><object>CUSTOMER</object><keys>{customer}</keys><fields>TOTALDUE</fields>"
                     "</readByName>")[0][0].text


def test_create_invoice_answers_the_new_recordno(call: Caller) -> None:
    outcome = call(invoice_xml())
    key = outcome.children[0]
    assert key.tag == "key" and key.text.isdigit() and outcome.billable == 1
    assert invoice_state(call, key.text) == ("Posted", "1000.00", "0.00", "1000.00")
    assert customer_due(call) == "1000.00"
    lines = call.data(f"<read><object>ARINVOICE</object><keys>{key.text}</keys></read>")[0].findall(
        "ARINVOICEITEMS/arinvoiceitem")
    assert [x.findtext("AMOUNT") for x in lines] == ["600.00", "400.00"]


@pytest.mark.parametrize(("xml", "needle"), [
    (invoice_xml("NOBODY"), "NOBODY"),
    (invoice_xml("CUST-0001", "abc"), "abc"),
    (invoice_xml().replace("<termname>N30</termname>", ""), "due date"),
    (invoice_xml().replace("4200", "1900"), "1900"),
    (invoice_xml().replace(ymd("datecreated", 3, 1), ymd("datecreated", 3, 1, Y - 1)), "closed"),
])
def test_create_invoice_refusals(call: Caller, xml: str, needle: str) -> None:
    assert needle in call.fail(xml).errors[0].description


def test_arpymt_applies_to_invoice_and_refuses_over_application(call: Caller) -> None:
    key = call(invoice_xml()).children[0].text
    outcome = call(arpymt_xml(key, "700.00"))
    assert outcome.billable == 1 and outcome.children[0][0].tag == "arpymt"
    assert invoice_state(call, key) == ("Partially Paid", "1000.00", "700.00", "300.00")
    assert customer_due(call) == "300.00"
    errors = call.fail(arpymt_xml(key, "300.01")).errors
    assert "exceeds its amount due 300.00" in errors[0].description
    payment = call.data("<query><select><field>UNDEPOSITEDACCOUNTNO</field><field>TOTALPAID</field>"
                        "<field>CUSTOMERNAME</field></select><object>ARPYMT</object></query>")[0]
    assert [c.text for c in payment] == ["1100", "700.00", "Riverside Community Foundation"]


def test_legacy_arpayment_completes_payment(call: Caller) -> None:
    key = call(invoice_xml()).children[0].text
    call(arpymt_xml(key, "700.00"))
    outcome = call(legacy_payment_xml(key, "300.00"))
    assert outcome.children[0].tag == "key" and outcome.billable == 1
    assert invoice_state(call, key) == ("Paid", "1000.00", "1000.00", "0.00")
    assert customer_due(call) == "0.00"
    assert "already paid in full" in call.fail(legacy_payment_xml(key, "1.00")).errors[0].description


@pytest.mark.parametrize(("xml", "needle"), [
    (arpymt_xml("999999", "1.00"), "Invoice 999999 on line 1 does not exist"),
    (arpymt_xml("@INV@", "1.00", customer="CUST-0002"), "belongs to customer CUST-0001"),
    (arpymt_xml("@INV@", "0.00"), "must be a positive number"),
    (arpymt_xml("@INV@", "1.00").replace("<UNDEPOSITEDACCOUNTNO>1100</UNDEPOSITEDACCOUNTNO>", ""), "FINANCIALENTITY"),
    (arpymt_xml("@INV@", "1.00").replace(">1100<", ">1900<"), "1900"),
    (arpymt_xml("@INV@", "1.00").replace("Printed Check", "Barter"), "Barter"),
])
def test_payment_refusals(call: Caller, xml: str, needle: str) -> None:
    key = call(invoice_xml()).children[0].text
    errors = call.fail(xml.replace("@INV@", key)).errors
    assert needle in " ".join(e.description for e in errors)


def sales_invoice(docno: str = "INV1234", qty: str = "5", item: str = "TSHIRT", warehouse: str = "WH-MAIN") -> str:
    return (f"<create_sotransaction><transactiontype>Sales Invoice</transactiontype>{ymd('datecreated', 7, 3)}"
            f"<customerid>CUST-0002</customerid><documentno>{docno}</documentno><referenceno>ORD-77</referenceno>"
            f"<sotransitems><sotransitem><itemid>{item}</itemid><quantity>{qty}</quantity>"
            f"<warehouseid>{warehouse}</warehouseid><price>20</price><locationid>100</locationid></sotransitem>"
            "<sotransitem><itemid>MEMB-IND</itemid><quantity>1</quantity></sotransitem></sotransitems>"
            "</create_sotransaction>")


def on_hand(call: Caller, item: str = "TSHIRT", warehouse: str = "WH-MAIN") -> str:
    data = call.data(f"<get_icitemtotals><itemid>{item}</itemid><warehouseid>{warehouse}</warehouseid>"
                     "</get_icitemtotals>")
    return data.findtext("icitemtotals/itemtotal/onhand")


def test_sales_invoice_reduces_stock_and_posts_to_ar(call: Caller) -> None:
    assert on_hand(call) == "120"
    outcome = call(sales_invoice())
    assert outcome.children[0].text == "Sales Invoice-INV1234" and outcome.billable == 1
    assert on_hand(call) == "115" and on_hand(call, warehouse="WH-NORTH") == "30"
    doc = call.data("<readByName><object>SODOCUMENT</object><keys>Sales Invoice-INV1234</keys></readByName>")[0]
    assert doc.findtext("TOTAL") == "150.00" and doc.findtext("PONUMBER") == "ORD-77"
    lines = doc.findall("SODOCUMENTENTRIES/sodocumententry")
    assert [(x.findtext("LINE_NO"), x.findtext("ITEMID"), x.findtext("TOTAL")) for x in lines] == [
        ("0", "TSHIRT", "100.00"), ("1", "MEMB-IND", "50.00")]
    assert invoice_state(call, doc.findtext("PRRECORDKEY")) == ("Posted", "150.00", "0.00", "150.00")
    assert call.fail(sales_invoice()).errors[0].errorno == "BL34000061"
    docs = call.data("<readByQuery><object>SODOCUMENT</object><query></query><fields>DOCNO</fields>"
                     "<docparid>Sales Invoice</docparid></readByQuery>")
    assert docs.get("totalcount") == "1"


def test_sales_invoice_refusals(call: Caller) -> None:
    errors = call.fail(sales_invoice(qty="500")).errors
    assert errors[0].description == ("Not enough stock of item TSHIRT in warehouse WH-MAIN on line 1:"
                                     " 120 on hand, 500 asked")
    assert "needs a warehouseid" in call.fail(sales_invoice(warehouse="")).errors[0].description
    assert "NOPE" in call.fail(sales_invoice(item="NOPE")).errors[0].description
    assert on_hand(call) == "120"


def test_deleting_a_sales_invoice_returns_stock(call: Caller) -> None:
    call(sales_invoice())
    call('<delete_sotransaction key="Sales Invoice-INV1234"/>')
    assert on_hand(call) == "120" and customer_due(call, "CUST-0002") == "0.00"


def test_icitemtotals_lists_every_stocked_pair(call: Caller) -> None:
    outcome = call("<get_icitemtotals/>")
    totals = outcome.children[0].findall("icitemtotals/itemtotal")
    assert {(t.findtext("itemid"), t.findtext("warehouseid")) for t in totals} == {
        ("TSHIRT", "WH-MAIN"), ("TSHIRT", "WH-NORTH"), ("MUG", "WH-MAIN"), ("MUG", "WH-NORTH"), ("TOTE", "WH-MAIN")}
    assert [c.tag for c in totals[0]] == ["itemid", "warehouseid", "aislekey", "rowkey", "binkey", "onhand",
                                          "onorder", "onhold"]


def test_delete_invoice(call: Caller) -> None:
    key = call(invoice_xml()).children[0].text
    call(f'<delete_invoice key="{key}"/>')
    assert customer_due(call) == "0.00"
    key = call(invoice_xml()).children[0].text
    call(arpymt_xml(key, "1.00"))
    assert "payments applied" in call.fail(f'<delete_invoice key="{key}"/>').errors[0].description


def detail(invoice: str, amount: str, entry: str | None = None) -> str:
    entry_xml = f"<ENTRYKEY>{entry}</ENTRYKEY>" if entry else ""
    return (f"<ARPYMTDETAIL><RECORDKEY>{invoice}</RECORDKEY>{entry_xml}"
            f"<TRX_PAYMENTAMOUNT>{amount}</TRX_PAYMENTAMOUNT></ARPYMTDETAIL>")


def payment(details: str, *, customer: str | None = "CUST-0001", extra: str = "") -> str:
    who = f"<CUSTOMERID>{customer}</CUSTOMERID>" if customer else "<PAYERNAME>Giving Circle</PAYERNAME>"
    return (f"<create><ARPYMT><FINANCIALENTITY>BOA</FINANCIALENTITY><PAYMENTMETHOD>Cash</PAYMENTMETHOD>{who}"
            f"<RECEIPTDATE>07/01/{Y}</RECEIPTDATE>{extra}<ARPYMTDETAILS>{details}</ARPYMTDETAILS></ARPYMT></create>")


def invoice_lines(call: Caller, key: str) -> list[tuple[str, str, str]]:
    record = call.data(f"<read><object>ARINVOICE</object><keys>{key}</keys></read>")[0]
    return [(x.findtext("RECORDNO"), x.findtext("TOTALPAID"), x.findtext("TOTALDUE"))
            for x in record.iterfind("ARINVOICEITEMS/arinvoiceitem")]


def test_payment_to_one_invoice_line_and_rounding(call: Caller) -> None:
    key = call(invoice_xml()).children[0].text
    first, second = [line[0] for line in invoice_lines(call, key)]
    call(payment(detail(key, "100.004", entry=second)))
    assert invoice_lines(call, key) == [(first, "0.00", "600.00"), (second, "100.00", "300.00")]
    assert "exceeds its amount due 300.00" in call.fail(payment(detail(key, "300.01", entry=second))).errors[0].description
    assert "has no line 1" in call.fail(payment(detail(key, "1", entry="1"))).errors[0].description
    call(payment(detail(key, "650")))  # the waterfall pays line 1 first, then line 2
    assert invoice_lines(call, key) == [(first, "600.00", "0.00"), (second, "150.00", "250.00")]


def test_one_payment_for_several_customers(call: Caller) -> None:
    a = call(invoice_xml("CUST-0001", "10.00")).children[0].text
    b = call(invoice_xml("CUST-0005", "20.00")).children[0].text
    assert "PAYERNAME" in call.fail(payment(detail(a, "10"), customer=None).replace(
        "<PAYERNAME>Giving Circle</PAYERNAME>", "")).errors[0].description
    call(payment(detail(a, "10") + detail(b, "20"), customer=None))
    assert (customer_due(call, "CUST-0001"), customer_due(call, "CUST-0005")) == ("0.00", "0.00")


def test_draft_payments_wait_until_submitted(call: Caller) -> None:
    key = call(invoice_xml()).children[0].text
    recordno = call.data(payment(detail(key, "250"), extra="<ACTION>Draft</ACTION>")).findtext("arpymt/RECORDNO")
    assert invoice_state(call, key) == ("Posted", "1000.00", "0.00", "1000.00")
    call(f"<update><ARPYMT><RECORDNO>{recordno}</RECORDNO><ARPYMTDETAILS>{detail(key, '300')}</ARPYMTDETAILS>"
         "</ARPYMT></update>")
    assert invoice_state(call, key)[2] == "0.00"
    call(f"<update><ARPYMT><RECORDNO>{recordno}</RECORDNO><ACTION>Submit</ACTION></ARPYMT></update>")
    assert invoice_state(call, key) == ("Partially Paid", "1000.00", "300.00", "700.00")
    error = call.fail(f"<update><ARPYMT><RECORDNO>{recordno}</RECORDNO><DESCRIPTION>x</DESCRIPTION></ARPYMT></update>")
    assert "cannot be changed" in error.errors[0].description
    assert "posted" in call.fail(f"<delete><object>ARPYMT</object><keys>{recordno}</keys></delete>").errors[0].description
    draft = call.data(payment(detail(key, "5"), extra="<ACTION>Draft</ACTION>")).findtext("arpymt/RECORDNO")
    assert call(f"<delete><object>ARPYMT</object><keys>{draft}</keys></delete>").billable == 1


def test_legacy_payment_without_items_is_left_unapplied(call: Caller) -> None:
    key = call("<create_arpayment><customerid>CUST-0001</customerid><paymentamount>75.555</paymentamount>"
               "<bankaccountid>BOFA1435</bankaccountid></create_arpayment>").children[0].text
    record = call.data(f"<read><object>ARPYMT</object><keys>{key}</keys><fields>TOTALENTERED,TOTALPAID,TOTALDUE,"
                       "RECEIPTDATE,FINANCIALENTITY</fields></read>")[0]
    assert [c.text for c in record] == ["75.56", "0.00", "75.56", NOW.strftime("%m/%d/%Y"), "BOFA1435"]


def test_invoice_rounding_drafts_and_generic_delete(call: Caller) -> None:
    key = call(invoice_xml("CUST-0001", "12.345", "0.005")).children[0].text
    assert invoice_state(call, key) == ("Posted", "12.36", "0.00", "12.36")
    draft = call(invoice_xml().replace("<termname>", "<action>Draft</action><termname>")).children[0].text
    assert invoice_state(call, draft)[0] == "Draft"
    assert "is a draft" in call.fail(arpymt_xml(draft, "1.00")).errors[0].description
    module = call.data(f"<read><object>ARINVOICE</object><keys>{key}</keys><fields>MODULEKEY</fields></read>")
    assert module.findtext("ARINVOICE/MODULEKEY") == "4.AR"
    assert call(f"<delete><object>ARINVOICE</object><keys>{key},{draft}</keys></delete>").billable == 2
    assert customer_due(call) == "0.00"
    assert "create" in call.fail("<create><ARINVOICE><CUSTOMERID>CUST-0001</CUSTOMERID></ARINVOICE></create>"
                                 ).errors[0].description


def test_sales_documents_link_to_their_ar_invoice(call: Caller) -> None:
    call(sales_invoice().replace("<referenceno>", "<shippingmethod>FedEx</shippingmethod><referenceno>"))
    data = call.data("<query><select><field>DOCID</field><field>STATE</field><field>SHIPVIA</field>"
                     "<field>ARINVOICE.RECORDNO</field><field>ARINVOICE.TOTALDUE</field></select>"
                     "<object>SODOCUMENT</object></query>")
    row = data[0]
    assert (row.findtext("DOCID"), row.findtext("STATE"), row.findtext("SHIPVIA")) == (
        "Sales Invoice-INV1234", "Pending", "FedEx")
    assert row.findtext("ARINVOICE/RECORDNO").isdigit() and row.findtext("ARINVOICE/TOTALDUE") == "150.00"
    legacy = call.data("<readByQuery><object>SODOCUMENT</object><query>STATE = 'O'</query><fields>DOCNO</fields>"
                       "</readByQuery>")
    assert legacy.get("count") == "1"
    invoice = row.findtext("ARINVOICE/RECORDNO")
    error = call.fail(f"<delete><object>ARINVOICE</object><keys>{invoice}</keys></delete>").errors[0]
    assert "used by Order Entry Transaction" in error.description
    assert "Invalid state" in call.fail(sales_invoice("INV9").replace("<sotransitems>", "<state>Open</state>"
                                                                      "<sotransitems>")).errors[0].description


@pytest.mark.parametrize(("xml", "needle"), [
    (invoice_xml().replace("<memo>line</memo>", "<memo>line</memo><departmentid>NOPE</departmentid>", 1),
     "Invalid Department 'NOPE' on line 1"),
    (sales_invoice().replace("<locationid>100</locationid>", "<locationid>999</locationid>"),
     "Invalid Location '999' on line 1"),
])
def test_legacy_lines_naming_unknown_dimensions_are_refused_and_leave_nothing(call: Caller, xml: str,
                                                                             needle: str) -> None:
    assert call.fail(xml).errors[0].description == needle
    assert customer_due(call) == "0.00" and customer_due(call, "CUST-0002") == "0.00"
    assert on_hand(call) == "120"


def test_sales_invoice_line_total_too_large_is_a_business_error(call: Caller) -> None:
    huge = "999999999999999"
    xml = sales_invoice(item="MEMB-FAM").replace("<quantity>5</quantity>", f"<quantity>{huge}</quantity>")
    error = call.fail(xml.replace("<price>20</price>", f"<price>{huge}</price>")).errors[0]
    assert error.description == f"The total of line 1 ({huge} x {huge}.00) is too large"
    assert customer_due(call, "CUST-0002") == "0.00"
