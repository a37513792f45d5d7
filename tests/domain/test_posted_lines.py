"""`domain.posted_lines`: the GL lines each document's payload makes (what the console shows as posted)."""

from __future__ import annotations

from decimal import Decimal

from intacct_bridge.domain.posted_lines import PAYABLE, RECEIVABLE, document_lines


def _plain(lines):
    return [(x["account"], x["side"], x["amount"]) for x in lines]


def test_an_invoice_credits_revenue_and_debits_each_receivable_account():
    lines = document_lines({"invoiceitems": {"lineitem": [
        {"glaccountno": "4600", "offsetglaccountno": "1200", "amount": Decimal("20.00"), "locationid": "100",
         "customfields": {"customfield": [{"customfieldname": "GLDIMFUND", "customfieldvalue": "F01"}]}},
        {"glaccountno": "4500", "amount": Decimal("5")}]}})
    assert _plain(lines) == [("4600", "credit", "20.00"), ("4500", "credit", "5.00"), ("1200", "debit", "20.00"),
                             (RECEIVABLE, "debit", "5.00")]
    assert lines[0]["dimensions"] == {"LOCATION": "100", "GLDIMFUND": "F01"}


def test_credits_turn_the_sides_and_bills_debit_expenses():
    memo = document_lines({"aradjustmentitems": {"lineitem": [{"glaccountno": "4600", "amount": Decimal("-7.5")}]}})
    assert _plain(memo) == [("4600", "debit", "7.50"), (RECEIVABLE, "credit", "7.50")]
    bill = document_lines({"APBILLITEMS": {"APBILLITEM": {"ACCOUNTNO": "6000", "TRX_AMOUNT": Decimal("30.00")}}})
    assert _plain(bill) == [("6000", "debit", "30.00"), (PAYABLE, "credit", "30.00")]
    credit = document_lines({"apadjustmentitems": {"lineitem": [{"glaccountno": "6000", "amount": Decimal("-3")}]}})
    assert _plain(credit) == [("6000", "credit", "3.00"), (PAYABLE, "debit", "3.00")]


def test_a_payment_debits_undeposited_funds_or_the_bank():
    applied = {"ARPYMTDETAILS": {"ARPYMTDETAIL": [{"RECORDKEY": "1", "TRX_PAYMENTAMOUNT": Decimal("10")},
                                                  {"RECORDKEY": "2", "TRX_PAYMENTAMOUNT": Decimal("2.5")}]}}
    assert _plain(document_lines({**applied, "UNDEPOSITEDACCOUNTNO": "1100"})) == [
        ("1100", "debit", "12.50"), (RECEIVABLE, "credit", "12.50")]
    assert document_lines({**applied, "FINANCIALENTITY": "BOA"})[0]["account"] == "Bank BOA"
    assert document_lines({"sotransitems": {"sotransitem": []}}) == []
