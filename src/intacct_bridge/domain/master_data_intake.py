"""Bulk intake of vendors and items: one row (CSV) or object (JSON lines, REST, Python) per record.

Rows are read with the order-to-cash intake's `FieldReader`, so errors name the line and field
the same way. A row's Intacct id (`vendor_id`, `item_id`) defaults to its external id. Whether a
record can be posted is the gate's business (`domain.master_data.validate_master`); whether its
id may change is the store's (it knows what was created).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from intacct_bridge.domain.intake import MAX_ID, RowError, normalize_keys, text_value
from intacct_bridge.domain.master_data import MasterSpec, SourceField, fingerprint, intacct_values
from intacct_bridge.domain.receivables_intake import FieldErrors, FieldReader

ALIASES = {"id": "external_id", "vendor": "vendor_id", "item": "item_id", "sku": "item_id", "type": "item_type",
           "price": "base_price", "cost": "standard_cost", "company": "company_name", "payment_terms": "terms",
           "term": "terms", "zip_code": "zip", "postal_code": "zip", "address": "address1", "status": "active"}
TRUE, FALSE = ("true", "yes", "1", "y", "active"), ("false", "no", "0", "n", "inactive")


@dataclass(frozen=True)
class MasterRecord:
    """A vendor or item as received: its Intacct id and its source fields by name."""

    line: int
    external_id: str
    intacct_id: str
    fields: dict[str, Any]
    created_at: datetime | None = None

    def fingerprint(self, spec: MasterSpec) -> str:
        return fingerprint(intacct_values(spec, self.fields))


def _flag(errors: FieldErrors, line: int, name: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = text_value(value)
    if text is None:
        return None
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    errors.add(line, name, f"{text!r} is not yes or no: use true or false")
    return None


def _field(read: FieldReader, errors: FieldErrors, line: int, spec_field: SourceField, row: Mapping[str, Any]) -> Any:
    name = spec_field.name
    if spec_field.type == "money":
        return read.money(name)
    if spec_field.type in ("bool", "status"):
        flag = _flag(errors, line, name, row.get(name))
        return True if flag is None and spec_field.type == "status" else flag  # not said: active
    value = read.text(name, spec_field.limit)
    if spec_field.type == "choice" and value is None:
        return spec_field.default
    if spec_field.type == "choice":
        chosen = next((c for c in spec_field.choices if c.lower() == value.lower()), None)
        if chosen is None:
            errors.add(line, name, f"{value!r} is not one of {', '.join(spec_field.choices)}")
        return chosen
    if name == "currency" and value is not None:
        return value.upper()
    return value


def parse_master(spec: MasterSpec, line: int, raw: Mapping[str, Any], zone: ZoneInfo) -> MasterRecord | list[RowError]:
    """A vendor or item row checked for form, or its errors (each naming the line and field)."""
    row = normalize_keys(raw, ALIASES)
    errors = FieldErrors()
    read = FieldReader(errors, line, row)
    external_id = read.required("external_id", f"the {spec.noun}'s id in your system")
    intacct_id = read.text(spec.source_id, MAX_ID) or external_id
    if intacct_id is not None and len(intacct_id) > spec.id_limit:
        errors.add(line, spec.source_id, f"{spec.id_field} {intacct_id!r} is longer than Intacct's {spec.id_limit} "
                   f"characters: give a shorter {spec.source_id}")
    fields = {f.name: _field(read, errors, line, f, row) for f in spec.fields}
    if not fields.get("name"):
        errors.add(line, "name", f"missing: the {spec.noun}'s name")
    created_at = read.moment("created_at", zone)
    if errors.found:
        return errors.found
    return MasterRecord(line, external_id, intacct_id, fields, created_at)  # type: ignore[arg-type]
