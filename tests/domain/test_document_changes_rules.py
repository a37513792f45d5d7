"""Pure rules of issue 12 for documents: a document moved out of a closed period, and the adjustment that
cancels a posted invoice or bill."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from intacct_bridge.domain.cancellation import (CancellationSource, bill_lines_sent, cancellation_payload,
                                                cancellation_problems, invoice_lines_sent, original_of,
                                                version_number)
from intacct_bridge.domain.closed_periods import DocumentDates, move_document

BILL_DATES = DocumentDates("WHENCREATED", "DESCRIPTION", "WHENDUE")


def test_a_document_in_a_closed_period_moves_with_its_due_date_and_says_so_where_its_description_goes():
    payload = {"RECORDID": "B-1", "VENDORID": "V-1", "WHENCREATED": date(2026, 11, 3), "WHENDUE": date(2026, 11, 10),
               "APBILLITEMS": {"APBILLITEM": []}}
    moved, note = move_document(payload, BILL_DATES, date(2026, 11, 15))
    assert list(moved) == ["RECORDID", "VENDORID", "WHENCREATED", "DESCRIPTION", "WHENDUE", "APBILLITEMS"]
    assert moved["WHENCREATED"] == moved["WHENDUE"] == date(2026, 11, 16)
    assert moved["DESCRIPTION"] == "(dated 2026-11-03, period closed)"
    assert note is not None and note.original_date == date(2026, 11, 3) and "closed through 2026-11-15" in note.describe()
    kept = {**payload, "DESCRIPTION": "Power", "WHENDUE": date(2026, 12, 31)}
    moved, _ = move_document(kept, BILL_DATES, date(2026, 11, 15))
    assert list(moved) == list(kept) and moved["DESCRIPTION"] == "(dated 2026-11-03, period closed) Power"
    assert moved["WHENDUE"] == date(2026, 12, 31)
    assert move_document(payload, BILL_DATES, date(2026, 11, 2)) == (payload, None)   # open: unchanged
    assert move_document(payload, BILL_DATES, None) == (payload, None)


def _source(kind: str, lines: list[dict], number: str | None = "INV-7") -> CancellationSource:
    return CancellationSource(kind, "i1", 1, "changed", "ib-ws-inv1", "42",
                              original_of("C-1", number, lines, None, "top", date(2026, 11, 20)), date(2026, 11, 20))


def test_an_invoice_is_cancelled_by_its_lines_negated_naming_it():
    sent = invoice_lines_sent({"invoiceitems": {"lineitem": [
        {"glaccountno": "4500", "offsetglaccountno": "1200", "amount": Decimal("80.00"), "memo": "Gala",
         "locationid": "100", "itemid": "MUG", "customfields": {"customfield": [
             {"customfieldname": "GLDIMFUND", "customfieldvalue": "F01"}]}},
        {"glaccountno": "4600", "amount": Decimal("-5.00")}]}})
    assert sent[0] == {"glaccountno": "4500", "offsetglaccountno": "1200", "locationid": "100", "amount": "80.00",
                       "customfields": {"customfield": [{"customfieldname": "GLDIMFUND", "customfieldvalue": "F01"}]}}
    payload = cancellation_payload(_source("invoice", sent), "ib-ws-can3")
    assert payload["customerid"] == "C-1" and payload["invoiceno"] == "INV-7" and payload["externalid"] == "ib-ws-can3"
    assert [i["amount"] for i in payload["aradjustmentitems"]["lineitem"]] == [Decimal("-80.00"), Decimal("5.00")]
    assert payload["description"].startswith("Cancels invoice INV-7 (ib-ws-inv1, version 1): changed at the source")
    assert cancellation_problems(_source("invoice", sent)) == []
    (missing,) = cancellation_problems(_source("invoice", sent, number=None))
    assert missing.field == "number" and "check it there, then sync again" in missing.message


def test_a_bill_is_cancelled_by_an_ap_adjustment_naming_it_and_a_version_gets_its_own_number():
    sent = bill_lines_sent({"APBILLITEMS": {"APBILLITEM": [
        {"ACCOUNTNO": "6010", "TRX_AMOUNT": Decimal("100.00"), "LOCATIONID": "100", "GLDIMPROGRAM": "P1"}]}})
    payload = cancellation_payload(_source("bill", sent, number="VB-1"), "ib-ws-can4")
    assert payload["vendorid"] == "C-1" and payload["billno"] == "VB-1"
    (line,) = payload["apadjustmentitems"]["lineitem"]
    assert line["glaccountno"] == "6010" and line["amount"] == Decimal("-100.00") and line["locationid"] == "100"
    assert line["customfields"] == {"customfield": [{"customfieldname": "GLDIMPROGRAM", "customfieldvalue": "P1"}]}
    assert version_number("VB-1", 1) == "VB-1" and version_number("VB-1", 3) == "VB-1-v3"
    assert version_number(None, 2) is None
