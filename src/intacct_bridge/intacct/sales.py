"""Builder for Order Entry transactions (`create_sotransaction`): a sales invoice, order or quote.

The transaction definition (``transaction_type``) decides what the document does in
Intacct: a "Sales Invoice" usually takes stock out and posts an AR invoice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .legacy import CreateSoTransaction, Legacy
from .receivables import money


@dataclass(frozen=True)
class SalesLine:
    """One item sold: quantity (a Decimal), unit price (None: the item's price) and where it ships from."""

    item_id: str
    quantity: Decimal
    price: Decimal | None = None
    warehouse_id: str | None = None
    memo: str | None = None
    location_id: str | None = None
    department_id: str | None = None
    class_id: str | None = None

    def to_fields(self, number: int) -> dict[str, Any]:
        if not isinstance(self.quantity, Decimal) or not self.quantity.is_finite() or self.quantity <= 0:
            raise ValueError(f"quantity of line {number} must be a positive Decimal")
        fields = {"itemid": self.item_id, "warehouseid": self.warehouse_id, "quantity": self.quantity,
                  "price": None if self.price is None else money(self.price, f"price of line {number}"),
                  "locationid": self.location_id, "departmentid": self.department_id, "memo": self.memo,
                  "classid": self.class_id}
        return {k: v for k, v in fields.items() if v is not None}


def sales_transaction(transaction_type: str, customer_id: str, on: date, lines: Sequence[SalesLine], *,
                      controlid: str, document_no: str | None = None, reference_no: str | None = None,
                      due_date: date | None = None, message: str | None = None,
                      state: str | None = None) -> Legacy:
    """Legacy `create_sotransaction`; the answer's key is ``<transaction_type>-<document number>``.

    ``reference_no`` (PONUMBER on the SODOCUMENT) is how the document is found again after a lost answer.
    """
    if not lines:
        raise ValueError("a sales transaction needs at least one line")
    if state is not None and state not in ("Draft", "Pending", "Closed"):
        raise ValueError("state must be Draft, Pending or Closed")
    fields = {"transactiontype": transaction_type, "datecreated": on, "customerid": customer_id,
              "documentno": document_no, "referenceno": reference_no, "datedue": due_date, "message": message,
              "state": state, "sotransitems": [line.to_fields(n) for n, line in enumerate(lines, start=1)]}
    return CreateSoTransaction({k: v for k, v in fields.items() if v is not None}, controlid=controlid)
