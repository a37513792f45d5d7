"""The AP gate's pure rules: what keeps a bill or an AP adjustment from being posted, and the payloads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from intacct_bridge.domain.payables import AmountLineView, ApAdjustmentView, BillView
from intacct_bridge.domain.payables_payloads import ap_adjustment_payload, bill_payload
from intacct_bridge.domain.payables_rules import term_reasons, validate_ap_adjustment, validate_bill, vendor_reasons
from intacct_bridge.domain.receivables import ReceivablesSettings

SETTINGS = ReceivablesSettings(custom_line_field="GLDIMFUND")


def line(amount: str | None = "10.00", **kw) -> AmountLineView:
    return AmountLineView(line_no=kw.pop("line_no", 1), amount=None if amount is None else Decimal(amount), **kw)


def bill(**kw) -> BillView:
    values = dict(id=1, external_id="b1", vendor_id="V-100", bill_date=date(2026, 11, 2), number="INV-1",
                  due_date=date(2026, 12, 2), lines=(line(gl_account="6010"),))
    return BillView(**{**values, **kw})


def fields(reasons) -> list[str]:
    return [r.field for r in reasons]


def test_a_complete_bill_passes_and_each_gap_names_its_field():
    assert validate_bill(bill(), SETTINGS) == []
    assert validate_bill(bill(due_date=None, terms="Net 30"), SETTINGS) == []
    assert validate_bill(bill(lines=(line(sku="MUG"),)), SETTINGS) == []
    assert fields(validate_bill(bill(vendor_id=None, number=None, bill_date=None), SETTINGS)) == [
        "vendor_id", "number", "bill_date"]
    assert fields(validate_bill(bill(due_date=None), SETTINGS)) == ["due_date"]
    assert fields(validate_bill(bill(due_date=date(2026, 11, 1)), SETTINGS)) == ["due_date"]
    assert fields(validate_bill(bill(lines=()), SETTINGS)) == ["lines"]
    assert fields(validate_bill(bill(lines=(line(None), line("-1.00", line_no=2, gl_account="6010"))), SETTINGS)) \
        == ["lines[0].gl_account", "lines[0].amount", "lines[1].amount"]
    assert fields(validate_bill(bill(vendor_id="V" * 21, currency="usd"), SETTINGS)) == ["currency", "vendor_id"]


def test_vendor_and_term_reasons_name_the_fix():
    [missing] = vendor_reasons("V-404", {"V-100"})
    assert (missing.field, missing.message) == ("vendor_id", "vendor 'V-404' not found in Intacct: add the vendor "
                                                "to the vendor records and sync them to Sage Intacct, or correct "
                                                "the vendor id")
    assert vendor_reasons("V-100", {"V-100"}) == [] and vendor_reasons(None, set()) == []
    [term] = term_reasons("Net 45", {"Net 30", "Net 15"})
    assert term.field == "terms" and "active AP terms: Net 15, Net 30" in term.message
    assert term_reasons("Net 45", None) == [] and term_reasons("Net 30", {"Net 30"}) == []


def test_an_adjustment_credits_at_most_its_bill_of_the_same_vendor():
    credit = ApAdjustmentView(id=2, external_id="a1", vendor_id="V-100", adjustment_date=date(2026, 11, 10),
                              lines=(line("4.00", gl_account="6010"),), bill=bill(), bill_external_id="b1",
                              bill_number="INV-1")
    assert validate_ap_adjustment(credit, SETTINGS) == []
    over = ApAdjustmentView(**{**vars(credit), "lines": (line("11.00", gl_account="6010"),)})
    assert fields(validate_ap_adjustment(over, SETTINGS)) == ["lines"]
    other = ApAdjustmentView(**{**vars(credit), "vendor_id": "V-200"})
    assert fields(validate_ap_adjustment(other, SETTINGS)) == ["bill"]
    item_only = ApAdjustmentView(**{**vars(credit), "lines": (line("1.00", sku="MUG"),)})
    assert fields(validate_ap_adjustment(item_only, SETTINGS)) == ["lines[0].gl_account"]
    unknown = ApAdjustmentView(**{**vars(credit), "bill": None, "bill_number": None})
    assert fields(validate_ap_adjustment(unknown, SETTINGS)) == ["bill"]


def test_payloads_carry_lines_dimensions_and_the_bill_number():
    payload = bill_payload(bill(terms="Net 30", reference="PO-1", lines=(
        line(gl_account="6010", description="Power", location="100", custom_value="F1"),)), SETTINGS)
    assert payload["RECORDID"] == "INV-1" and payload["TERMNAME"] == "Net 30" and payload["DOCNUMBER"] == "PO-1"
    assert payload["APBILLITEMS"] == {"APBILLITEM": [{"ACCOUNTNO": "6010", "TRX_AMOUNT": Decimal("10.00"),
                                                      "ENTRYDESCRIPTION": "Power", "LOCATIONID": "100",
                                                      "GLDIMFUND": "F1"}]}
    credit = ApAdjustmentView(id=2, external_id="a1", vendor_id="V-100", adjustment_date=date(2026, 11, 10),
                              lines=(line("4.00", gl_account="6010", department="PRG"),), bill_number="INV-1")
    legacy = ap_adjustment_payload(credit, SETTINGS, "ib-x-apa2")
    assert (legacy["billno"], legacy["externalid"]) == ("INV-1", "ib-x-apa2")
    assert legacy["apadjustmentitems"] == {"lineitem": [{"glaccountno": "6010", "amount": Decimal("-4.00"),
                                                         "departmentid": "PRG"}]}


def test_a_flagged_vendor_or_term_stands_while_the_record_names_the_same_one():
    from intacct_bridge.domain.payables_rules import standing_intacct_reasons

    flagged = [r.as_dict() for r in vendor_reasons("V-404", set()) + term_reasons("Net 45", {"Net 30"})]
    assert fields(standing_intacct_reasons(flagged, bill(vendor_id="V-404", terms="Net 45"))) == ["vendor_id",
                                                                                                  "terms"]
    assert standing_intacct_reasons(flagged, bill(vendor_id="V-300", terms="Net 30")) == []
