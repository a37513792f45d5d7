"""Order-to-cash validation, customer matching, references and payloads: pure rules, no I/O."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from intacct_bridge.domain.customer_match import (
    CUSTOMER_ID_MAX,
    customer_key,
    intacct_customer_key,
    new_customer_id,
)
from intacct_bridge.domain.identifiers import parse_record_reference, record_controlid, record_reference
from intacct_bridge.domain.receivables import (
    Address,
    ApplicationView,
    CreditMemoLineView,
    CreditMemoView,
    CustomerMatch,
    CustomerView,
    InvoiceLineView,
    InvoiceMode,
    InvoiceState,
    InvoiceView,
    PaymentView,
    ReceivablesSettings,
    TaxMode,
    payment_method,
)
from intacct_bridge.domain.receivables_payloads import (
    REFERENCE_FIELDS,
    ar_invoice,
    credit_memo_payload,
    customer_create,
    payment_payload,
    sales_invoice,
)
from intacct_bridge.domain.receivables_rules import (
    validate_credit_memo,
    validate_customer,
    validate_invoice,
    validate_payment,
)
from intacct_bridge.domain.text import xml_safe_problems

D = Decimal
SETTINGS = ReceivablesSettings(revenue_account="4000", discount_account="4900", shipping_account="4800",
                               tax_account="2200", undeposited_account="1050")
ADA = CustomerView(1, "c1", "Ada Lovelace", first_name="Ada", last_name="Lovelace", company_name="Engines Ltd",
                   email="ada@example.org", bill_to=Address("1 Main St", city="London", country="UK"),
                   customer_id="C-c1")
LINE = InvoiceLineView(1, sku="WIDGET", quantity=D("2"), unit_price=D("10.00"), amount=D("20.00"))
INVOICE = InvoiceView(10, "o1", ADA, date(2025, 7, 1), (LINE,), reference="#1001", memo="Thanks!",
                      discount_amount=D("2.00"), shipping_amount=D("5.00"), tax_amount=D("1.50"))


def fields(reasons):
    return [r.field for r in reasons]


def test_a_good_invoice_has_no_reasons_and_totals_its_extra_lines():
    assert validate_invoice(INVOICE, SETTINGS) == []
    assert INVOICE.total == D("24.50")


@pytest.mark.parametrize("change, field, words", [
    ({"customer": None}, "customer", "customer_external_id"),
    ({"lines": ()}, "lines", "at least one"),
    ({"due_date": date(2025, 6, 1)}, "due_date", "before the invoice date"),
    ({"currency": "usd"}, "currency", "3-letter"),
    ({"lines": (replace(LINE, quantity=D(0)),)}, "lines[0].quantity", "more than 0"),
    ({"lines": (replace(LINE, unit_price=None),)}, "lines[0].unit_price", "unit price"),
    ({"lines": (replace(LINE, amount=D("25.00")),)}, "lines[0].amount", "2 x 10.00 = 20.00"),
    ({"lines": (replace(LINE, sku=None),)}, None, None),  # the default revenue account covers it
    ({"discount_amount": D("30.00")}, "discount_amount", "more than the lines"),
    ({"memo": "bad\x01text"}, "memo", "U+0001"),
    ({"reference": "x" * 101}, "reference", "at most 100"),
])
def test_invoice_reasons_name_the_field_and_the_fix(change, field, words):
    reasons = validate_invoice(replace(INVOICE, **change), SETTINGS)
    if field is None:
        assert reasons == []
        return
    assert field in fields(reasons)
    assert words in next(r.message for r in reasons if r.field == field)


def test_amount_within_a_cent_of_quantity_times_price_passes():
    line = InvoiceLineView(1, sku="W", quantity=D("3"), unit_price=D("3.33"), amount=D("10.00"))
    assert validate_invoice(replace(INVOICE, lines=(line,)), SETTINGS) == []


def test_a_line_needs_an_item_or_account_and_extras_need_their_account():
    bare = ReceivablesSettings(undeposited_account="1050")
    reasons = validate_invoice(replace(INVOICE, lines=(replace(LINE, sku=None),)), bare)
    assert {"lines[0].gl_account", "discount_amount", "shipping_amount", "tax_amount"} <= set(fields(reasons))


def test_sales_invoices_need_skus_and_items_for_extras_and_only_they_take_tax_amounts():
    sales = replace(SETTINGS, invoice_mode=InvoiceMode.SALES_INVOICE, discount_item="DISC", shipping_item="SHIP",
                    tax_mode=TaxMode.AMOUNT)
    assert validate_invoice(INVOICE, sales) == []
    reasons = validate_invoice(replace(INVOICE, lines=(replace(LINE, sku=None, gl_account="4000"),)), sales)
    assert "lines[0].sku" in fields(reasons)
    reasons = validate_invoice(INVOICE, replace(SETTINGS, tax_mode=TaxMode.AMOUNT))
    assert "tax_amount" in fields(reasons) and "only possible on sales invoices" in reasons[0].message


def test_customer_needs_what_its_strategy_keys_on():
    assert validate_customer(ADA, SETTINGS) == []
    nameless = replace(ADA, name=None, company_name=None, customer_id=None)
    assert fields(validate_customer(nameless, SETTINGS)) == ["name"]
    by_company = replace(SETTINGS, customer_match=CustomerMatch.COMPANY)
    assert fields(validate_customer(replace(ADA, company_name=None), by_company)) == ["company_name"]
    first_last = replace(SETTINGS, customer_match=CustomerMatch.FIRST_LAST)
    assert fields(validate_customer(replace(ADA, last_name=" "), first_last)) == ["first_name"]
    catch_all = replace(SETTINGS, customer_match=CustomerMatch.CATCH_ALL)
    assert fields(validate_customer(ADA, catch_all)) == ["customer_match"]
    assert validate_customer(ADA, replace(catch_all, catch_all_customer_id="WEB")) == []


def test_customer_keys_meet_across_case_and_blanks():
    row = {"NAME": "ADA  lovelace", "DISPLAYCONTACT.FIRSTNAME": "ada", "DISPLAYCONTACT.LASTNAME": "LOVELACE",
           "DISPLAYCONTACT": {"COMPANYNAME": "engines ltd"}}
    for strategy in (CustomerMatch.NAME, CustomerMatch.FIRST_LAST, CustomerMatch.COMPANY):
        assert customer_key(ADA, strategy) == intacct_customer_key(row, strategy) is not None
    assert customer_key(ADA, CustomerMatch.CATCH_ALL) is None


def test_new_customer_ids_are_deterministic_short_and_distinct():
    assert new_customer_id("1042") == "C-1042"
    dotted, underscored = new_customer_id("john.doe"), new_customer_id("john_doe")
    assert dotted != underscored == "C-john_doe"
    assert dotted == new_customer_id("john.doe") and len(dotted) <= CUSTOMER_ID_MAX
    long_a, long_b = new_customer_id("x" * 40 + "a"), new_customer_id("x" * 40 + "b")
    assert long_a != long_b and len(long_a) == CUSTOMER_ID_MAX
    assert new_customer_id("ü/ß", prefix="SHOP ").startswith("SHOP__")


def _payment(**change):
    invoice = replace(INVOICE, lines=(LINE,), discount_amount=None, shipping_amount=None, tax_amount=None)
    base = PaymentView(5, "p1", ADA, date(2025, 7, 5), D("20.00"), (ApplicationView("o1", D("20.00"), invoice),),
                       method="check", reference="CHK-1")
    return replace(base, **change)


def test_payment_rules():
    assert validate_payment(_payment(), SETTINGS) == []
    assert fields(validate_payment(_payment(amount=D("25.00")), SETTINGS)) == ["amount"]
    assert "advance" in validate_payment(_payment(amount=D("25.00")), SETTINGS)[0].message
    over = _payment(amount=D("10.00"))
    assert "applications" in fields(validate_payment(over, SETTINGS))
    unknown = _payment(applications=(ApplicationView("nope", D("20.00")),))
    assert fields(validate_payment(unknown, SETTINGS)) == ["applications[0].invoice"]
    paid = _payment(applications=(replace(_payment().applications[0], invoice_state=InvoiceState.PAID),))
    assert "already paid" in validate_payment(paid, SETTINGS)[0].message
    assert fields(validate_payment(_payment(applications=()), SETTINGS))[0] == "applications"
    assert fields(validate_payment(_payment(method="barter"), SETTINGS)) == ["method"]
    assert fields(validate_payment(_payment(), ReceivablesSettings())) == ["deposit_to"]


def test_credit_memo_rules():
    memo = CreditMemoView(3, "cm1", ADA, date(2025, 7, 9), (CreditMemoLineView(1, D("5.00"), gl_account="4000"),),
                          invoice=INVOICE, invoice_external_id="o1")
    assert validate_credit_memo(memo, SETTINGS) == []
    too_big = replace(memo, lines=(CreditMemoLineView(1, D("99.00"), gl_account="4000"),))
    assert "at most the invoice's total" in validate_credit_memo(too_big, SETTINGS)[0].message
    assert fields(validate_credit_memo(replace(memo, lines=()), SETTINGS)) == ["lines"]
    negative = replace(memo, lines=(CreditMemoLineView(1, D("-1.00"), gl_account="4000"),))
    assert "lines[0].amount" in fields(validate_credit_memo(negative, SETTINGS))
    assert fields(validate_credit_memo(replace(memo, invoice=None), SETTINGS)) == ["invoice"]


def test_xml_safe_problems():
    assert xml_safe_problems("Café ☕ 𝄞\tok\n") == []
    assert "U+0000" in xml_safe_problems("a\x00b")[0] and "U+FFFE" in xml_safe_problems("\ufffe")[0]


def test_references_are_stable_and_parse_back():
    assert record_reference("ab12", "invoice", 7) == "ib-ab12-inv7"
    assert record_controlid("ab12", "payment", 7, 1) == "ib-ab12-pay7-g1"
    assert parse_record_reference("ib-ab12-cm7") == ("ab12", "credit_memo", 7)
    assert parse_record_reference("ib-ab12-7") is None


def test_ar_invoice_payload_has_discount_shipping_and_tax_lines_and_the_reference():
    payload = ar_invoice(INVOICE, SETTINGS, "ib-ws-inv10")
    assert payload["customerid"] == "C-c1" and payload["externalid"] == "ib-ws-inv10"
    assert payload["datedue"] == date(2025, 7, 1) and "invoiceno" not in payload
    lines = payload["invoiceitems"]["lineitem"]
    assert [(line["glaccountno"], line["amount"]) for line in lines] == [
        ("4000", D("20.00")), ("4900", D("-2.00")), ("4800", D("5.00")), ("2200", D("1.50"))]
    assert lines[0]["itemid"] == "WIDGET" and payload["ponumber"] == "#1001" and "offsetglaccountno" not in lines[0]
    with_ar = ar_invoice(INVOICE, replace(SETTINGS, ar_account="1200"), "r")["invoiceitems"]["lineitem"]
    assert {line["offsetglaccountno"] for line in with_ar} == {"1200"}
    assert sum(line["amount"] for line in lines) == INVOICE.total
    assert REFERENCE_FIELDS[("invoice", InvoiceMode.AR_INVOICE)] == ("ARINVOICE", "EXTERNALID")


def test_sales_invoice_payload_uses_the_transaction_definition_and_tax_subtotal():
    settings = replace(SETTINGS, invoice_mode=InvoiceMode.SALES_INVOICE, discount_item="DISC", shipping_item="SHIP",
                       tax_mode=TaxMode.AMOUNT, transaction_definition="Web Invoice")
    payload = sales_invoice(replace(INVOICE, number="1001"), settings, "ib-ws-inv10")
    assert payload["transactiontype"] == "Web Invoice" and payload["documentno"] == "1001"
    items = payload["sotransitems"]["sotransitem"]
    assert [i["itemid"] for i in items] == ["WIDGET", "DISC", "SHIP"]
    assert items[1]["price"] == D("-2.00") and payload["subtotals"]["subtotal"][0]["total"] == D("1.50")


def test_payment_and_credit_memo_and_customer_payloads():
    payment = _payment()
    payload = payment_payload(payment, SETTINGS, "ib-ws-pay5", {"o1": "4711"})
    assert payload["PAYMENTMETHOD"] == "Printed Check" and payload["UNDEPOSITEDACCOUNTNO"] == "1050"
    assert payload["ARPYMTDETAILS"]["ARPYMTDETAIL"] == [{"RECORDKEY": "4711", "TRX_PAYMENTAMOUNT": D("20.00")}]
    assert payload["DOCNUMBER"] == "ib-ws-pay5" and payload["DESCRIPTION"] == "CHK-1"
    bank = payment_payload(replace(payment, deposit_to="BOA"), SETTINGS, "r", {"o1": "1"})
    assert bank["FINANCIALENTITY"] == "BOA" and "UNDEPOSITEDACCOUNTNO" not in bank
    memo = CreditMemoView(3, "cm1", ADA, date(2025, 7, 9), (CreditMemoLineView(1, D("5.00"), gl_account="4000"),),
                          invoice=replace(INVOICE, intacct_number="INV-0007"))
    adjustment = credit_memo_payload(memo, SETTINGS, "ib-ws-cm3")
    assert adjustment["invoiceno"] == "INV-0007" and adjustment["aradjustmentitems"]["lineitem"][0]["amount"] == D("-5.00")
    customer = customer_create(ADA, "C-c1")
    assert customer["DISPLAYCONTACT"]["MAILADDRESS"] == {"ADDRESS1": "1 Main St", "CITY": "London", "COUNTRY": "UK"}
    assert customer["NAME"] == customer["DISPLAYCONTACT"]["PRINTAS"] == "Ada Lovelace"
    assert "PHONE1" not in customer["DISPLAYCONTACT"]
    assert payment_method("CREDIT CARD") == "Credit Card" and payment_method("bank transfer") == "EFT"
