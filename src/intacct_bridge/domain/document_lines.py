"""The account, amount and dimensions of a document's lines, whichever spelling carries them (pure).

Invoice, credit memo, bill and AP adjustment lines travel in two spellings: the legacy functions'
(`glaccountno`, `amount`, `locationid`, custom fields as `customfields/customfield` name-value
pairs) and the generic objects' (`ACCOUNTNO`, `TRX_AMOUNT`, `LOCATIONID`, `GLDIMFUND`), and Intacct
reads them back in the object's. Reconciliation compares what was sent with what Intacct holds, so
both are reduced here to one form: {"account", "amount" (its size, 2 places), "dimensions"}.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from intacct_bridge.domain.values import exact_amount

ACCOUNT_FIELDS = ("ACCOUNTNO", "GLACCOUNTNO")
AMOUNT_FIELDS = ("TRX_AMOUNT", "AMOUNT")
# Line fields that are dimensions (what a person may change in Intacct and the books total by); GLDIM* too.
DIMENSION_FIELDS = ("LOCATIONID", "DEPARTMENTID", "CLASSID", "PROJECTID", "EMPLOYEEID", "WAREHOUSEID", "ITEMID")
CENT = Decimal("0.01")
# A payment's applications (ARPYMTDETAIL): the invoice's RECORDNO and the amount paid on it.
APPLICATION_FIELDS = ("RECORDKEY", "TRX_PAYMENTAMOUNT")


def line_facts(line: Mapping[str, Any], account_fields: tuple[str, ...] = ACCOUNT_FIELDS,
               amount_fields: tuple[str, ...] = AMOUNT_FIELDS, account_prefix: str = "") -> dict[str, Any]:
    """One line as {"account", "amount", "dimensions"}: field names in any case, blank values left out.
    A payment's applications name an invoice instead of an account (`account_fields` RECORDKEY, prefixed)."""
    fields = {str(k).upper(): v for k, v in line.items()}
    account = next((account_prefix + str(fields[f]) for f in account_fields if fields.get(f) not in (None, "")), "")
    amount = next((fields[f] for f in amount_fields if fields.get(f) not in (None, "")), None)
    value, _ = exact_amount(amount)
    dimensions = {name: str(fields[name]) for name in DIMENSION_FIELDS if fields.get(name) not in (None, "")}
    dimensions.update({name: str(v) for name, v in fields.items() if name.startswith("GLDIM") and v not in (None, "")})
    dimensions.update(_custom_fields(fields.get("CUSTOMFIELDS")))
    return {"account": account, "amount": str(abs(value or Decimal(0)).quantize(CENT)),
            "dimensions": dict(sorted(dimensions.items()))}


def lines_of(container: Any) -> list[Mapping[str, Any]]:
    """The line dicts under a payload's or a read's container ({"lineitem": [...]}, {"APBILLITEM": {...}}, [...])."""
    if container is None or container == "":
        return []
    if isinstance(container, list):
        return [line for line in container if isinstance(line, Mapping)]
    if isinstance(container, Mapping):
        inner = next(iter(container.values()), None) if len(container) == 1 else None
        if isinstance(inner, (list, Mapping)) and not _is_line(container):
            return lines_of(inner) if isinstance(inner, list) else [inner]
        return [container]
    return []


def document_lines(record: Mapping[str, Any], containers: Iterable[str], **fields: Any) -> list[dict[str, Any]]:
    """Every line of a payload or a read record, from the first of `containers` it has (any case); `fields` go to
    `line_facts` (which fields hold the account and the amount)."""
    by_upper = {str(k).upper(): v for k, v in record.items()}
    for name in containers:
        if name.upper() in by_upper:
            return [line_facts(line, **fields) for line in lines_of(by_upper[name.upper()])]
    return []


def _is_line(value: Mapping[str, Any]) -> bool:
    return any(str(k).upper() in ACCOUNT_FIELDS + AMOUNT_FIELDS + APPLICATION_FIELDS for k in value)


def _custom_fields(value: Any) -> dict[str, str]:
    """Legacy custom fields ({"customfield": [{"customfieldname", "customfieldvalue"}]}) as name → value."""
    found: dict[str, str] = {}
    for item in lines_of(value) if isinstance(value, (list, Mapping)) else []:
        fields = {str(k).lower(): v for k, v in item.items()}
        if fields.get("customfieldname") and fields.get("customfieldvalue") not in (None, ""):
            found[str(fields["customfieldname"]).upper()] = str(fields["customfieldvalue"])
    return found
