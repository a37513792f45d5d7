"""What each AP record becomes in Intacct: a generic `create APBILL`, or a legacy `create_apadjustment`.

A bill is found again by its number (RECORDID) and vendor, which Intacct keeps unique per vendor;
an adjustment by its reference in EXTERNALID. A vendor credit is posted as negative lines naming
the bill's number in `billno`. Build payloads only from records `domain.payables_rules` found valid.
"""

from __future__ import annotations

from typing import Any

from intacct_bridge.domain.line_dimensions import line_gl_fields
from intacct_bridge.domain.payables import AmountLineView, ApAdjustmentView, BillView
from intacct_bridge.domain.receivables import ReceivablesSettings
from intacct_bridge.domain.receivables_payloads import custom_line_fields, present_fields


def _bill_line(line: AmountLineView, settings: ReceivablesSettings) -> dict[str, Any]:
    custom = line_gl_fields(line, settings.custom_line_field, settings.user_dimensions)
    return present_fields({
        "ACCOUNTNO": line.gl_account, "TRX_AMOUNT": line.amount, "ENTRYDESCRIPTION": line.description,
        "LOCATIONID": line.location, "DEPARTMENTID": line.department, "ITEMID": line.sku, "CLASSID": line.class_id,
        "WAREHOUSEID": line.warehouse, **custom,
    })


def bill_payload(bill: BillView, settings: ReceivablesSettings) -> dict[str, Any]:
    """Generic `create APBILL`: the vendor's invoice number as RECORDID, the source's reference as DOCNUMBER."""
    return present_fields({
        "RECORDID": bill.number, "VENDORID": bill.vendor_id, "WHENCREATED": bill.bill_date,
        "WHENDUE": bill.due_date, "TERMNAME": bill.terms, "DOCNUMBER": bill.reference, "DESCRIPTION": bill.memo,
        "CURRENCY": bill.currency,
        "APBILLITEMS": {"APBILLITEM": [_bill_line(line, settings) for line in bill.lines]},
    })


def ap_adjustment_payload(adjustment: ApAdjustmentView, settings: ReceivablesSettings,
                          reference: str) -> dict[str, Any]:
    """Legacy `create_apadjustment`: negative lines, applied to the bill named by its number in `billno`."""
    items = [present_fields({
        "glaccountno": line.gl_account, "amount": -line.amount,  # type: ignore[operator]
        "memo": line.description, "locationid": line.location, "departmentid": line.department,
        "customfields": custom_line_fields(line, settings), "classid": line.class_id,
        "warehouseid": line.warehouse,
    }) for line in adjustment.lines]
    return present_fields({
        "vendorid": adjustment.vendor_id, "datecreated": adjustment.adjustment_date,
        "adjustmentno": adjustment.number, "billno": adjustment.bill_number, "description": adjustment.memo,
        "externalid": reference, "apadjustmentitems": {"lineitem": items},
    })
