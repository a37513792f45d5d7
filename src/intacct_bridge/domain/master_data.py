"""Master data pushed to Intacct (seed 001, SPEC §4): vendors and non-stock items, and the customer fields.

A master record is created when Intacct does not have it, then kept in step by updates that carry
only the fields that changed since it was last posted (`changed_values`), keyed by its Intacct id.
Its values are the Intacct fields as flat dotted paths (`DISPLAYCONTACT.EMAIL1`) with text values,
so what was posted, what the source says now and what Intacct answers compare the same way.

A vendor's VENDORID and an item's ITEMID never change once created: Intacct's bills, invoices and
stock hang on them. A source that changes one is refused (`id_change_reason`) before anything is
sent, with the fix: keep the old id, or import the new one as a new record.

Nothing here does I/O.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.receivables import Address, CustomerView, RecordKind
from intacct_bridge.domain.receivables_payloads import customer_create

ACTIVE, INACTIVE = "active", "inactive"
# Non-stock item types (seed 001 pushes non-stock items; stock items are Intacct's to keep).
NON_STOCK_TYPES = ("Non-Inventory", "Non-Inventory (Purchase only)", "Non-Inventory (Sales only)")


@dataclass(frozen=True)
class SourceField:
    """One field of the source record and the Intacct field it becomes."""

    name: str                 # the source's (and the store's) field name
    path: str | None          # the Intacct field, dotted; None: kept but not sent
    type: str = "text"        # text | money | bool | status | choice
    limit: int = 100
    choices: tuple[str, ...] = ()
    default: str | None = None


@dataclass(frozen=True)
class MasterSpec:
    """What differs between master-data kinds: the Intacct object, its id field and the fields sent."""

    kind: RecordKind
    object_name: str          # VENDOR, ITEM
    id_field: str             # VENDORID, ITEMID
    source_id: str            # vendor_id, item_id: the source column holding the Intacct id
    id_limit: int             # Intacct's length limit of the id
    fields: tuple[SourceField, ...]
    noun: str

    def paths(self) -> list[str]:
        return list(dict.fromkeys(f.path for f in self.fields if f.path))


STATUS = SourceField("active", "STATUS", "status")   # true: active, false: inactive
ADDRESS = tuple(SourceField(part, f"DISPLAYCONTACT.MAILADDRESS.{part.upper()}", limit=limit)
                for part, limit in (("address1", 300), ("city", 100), ("state", 100), ("zip", 100), ("country", 100)))

VENDOR = MasterSpec(
    RecordKind.VENDOR, "VENDOR", "VENDORID", "vendor_id", 20, (
        SourceField("name", "NAME", limit=100),
        SourceField("company_name", "DISPLAYCONTACT.COMPANYNAME", limit=100),
        SourceField("email", "DISPLAYCONTACT.EMAIL1", limit=300),
        SourceField("phone", "DISPLAYCONTACT.PHONE1"),
        *ADDRESS,
        SourceField("tax_id", "TAXID", limit=20),
        SourceField("terms", "TERMNAME"),
        SourceField("vendor_type", "VENDTYPE"),
        SourceField("currency", "CURRENCY", limit=3),
        STATUS,
    ), "vendor")

ITEM = MasterSpec(
    RecordKind.ITEM, "ITEM", "ITEMID", "item_id", 30, (
        SourceField("name", "NAME", limit=100),
        SourceField("item_type", "ITEMTYPE", "choice", 40, NON_STOCK_TYPES, NON_STOCK_TYPES[0]),
        SourceField("description", "EXTENDED_DESCRIPTION", limit=1000),
        SourceField("base_price", "BASEPRICE", "money"),
        SourceField("standard_cost", "STANDARD_COST", "money"),
        SourceField("taxable", "TAXABLE", "bool"),
        SourceField("income_account", "INCOMEACCTKEY"),
        SourceField("expense_account", "EXPENSEACCTKEY"),
        STATUS,
    ), "item")

SPECS = {VENDOR.kind: VENDOR, ITEM.kind: ITEM}


@dataclass(frozen=True)
class MasterView:
    """A vendor or item as the rules and the payloads see it."""

    kind: RecordKind
    id: int
    external_id: str
    intacct_id: str                          # VENDORID / ITEMID as the source gives it now
    source: Mapping[str, Any]                # the source fields by name
    posted_values: Mapping[str, str] | None = None   # the Intacct values last posted (None: never created)
    posted_id: str | None = None                     # the id it was created under (None: never created)
    name: str | None = None

    @property
    def spec(self) -> MasterSpec:
        return SPECS[self.kind]

    @property
    def values(self) -> dict[str, str]:
        return intacct_values(self.spec, self.source)


def text_of(spec_field: SourceField, value: Any) -> str:
    """A source value as the text Intacct holds ("" for none): money with 2 places, booleans as true/false."""
    if spec_field.type == "status":
        return INACTIVE if value is False else ACTIVE
    if value is None or value == "":
        return spec_field.default or ""
    if spec_field.type == "bool":
        return "true" if value else "false"
    if spec_field.type == "money":
        return str(Decimal(value).quantize(Decimal("0.01")))
    return str(value)


def intacct_values(spec: MasterSpec, source: Mapping[str, Any]) -> dict[str, str]:
    """The Intacct fields (dotted paths) a record's source fields become; empty text clears a field."""
    values: dict[str, str] = {}
    for spec_field in spec.fields:
        if spec_field.path:
            values[spec_field.path] = text_of(spec_field, source.get(spec_field.name))
    if spec is VENDOR:
        values["DISPLAYCONTACT.PRINTAS"] = values["NAME"]  # the display contact prints as the vendor's name
    return values


def fingerprint(values: Mapping[str, Any]) -> str:
    """A stable hash of what would be in Intacct: equal values, equal fingerprint."""
    return hashlib.sha256(json.dumps(dict(values), sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def changed_values(posted: Mapping[str, str], current: Mapping[str, str]) -> dict[str, str]:
    """The fields whose value differs from what was last posted: what an update sends (and nothing else);
    a field posted before and empty now is sent empty, which clears it."""
    changed = {path: value for path, value in current.items() if not same_value(posted.get(path), value)}
    changed.update({path: "" for path, value in posted.items() if path not in current and _plain(value)})
    return changed


def same_value(held: Any, wanted: str | None) -> bool:
    """Whether Intacct's value is the one sent: numbers by value (12.5 = 12.50), the rest as trimmed text."""
    left, right = _plain(held), _plain(wanted)
    if left == right:
        return True
    try:
        return Decimal(left) == Decimal(right)
    except (InvalidOperation, ValueError):
        return False


def _plain(value: Any) -> str:
    return "" if value is None else str(value).strip()


def nest(values: Mapping[str, str], *, drop_empty: bool) -> dict[str, Any]:
    """Flat dotted paths as the nested elements Intacct takes (`DISPLAYCONTACT: {EMAIL1: ...}`)."""
    nested: dict[str, Any] = {}
    for path, value in values.items():
        if drop_empty and value == "":
            continue
        *parents, leaf = path.split(".")
        node = nested
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = value
    return nested


def read_path(row: Mapping[str, Any], path: str) -> Any:
    """A dotted field of a record as a query answers it (nested elements are nested dicts)."""
    if path in row:
        return row[path]
    node: Any = row
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def holds(row: Mapping[str, Any], values: Mapping[str, str]) -> bool:
    """Whether an Intacct record shows every one of these values (an update landed)."""
    return all(same_value(read_path(row, path), value) for path, value in values.items())


def update_operation(changed: Mapping[str, str]) -> str:
    """An update's operation: one per set of new values, so the same change is written once and a new one again."""
    digest = hashlib.sha256(json.dumps(dict(changed), sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return "update-" + digest.hexdigest()[:10]


@dataclass(frozen=True)
class MasterWrite:
    """What to send for one master record: a create with every value, or an update with the changed ones."""

    create: bool
    payload: dict[str, Any]
    changed: dict[str, str] = field(default_factory=dict)
    operation: str = "create"


def master_write(key_field: str, key: str, current: Mapping[str, str],
                 posted: Mapping[str, str] | None) -> MasterWrite:
    """A create (never posted) or an update of only the fields that changed, keyed by the Intacct id."""
    if posted is None:
        return MasterWrite(True, {key_field: key, **nest(current, drop_empty=True)})
    changed = changed_values(posted, current)
    if not changed:  # posted under an older form of the same values: confirm the name, harmlessly
        changed = {path: current[path] for path in list(current)[:1]}
    return MasterWrite(False, {key_field: key, **nest(changed, drop_empty=False)}, changed, update_operation(changed))


def id_change_reason(spec: MasterSpec, external_id: str, created_id: str, new_id: str) -> Reason:
    """The refusal of an id change, naming the record, the field and what to do."""
    return Reason(spec.source_id, (
        f"{spec.noun} {external_id!r} already exists in Sage Intacct as {spec.id_field} {created_id!r}; "
        f"a {spec.noun}'s {spec.id_field} cannot change, so {new_id!r} is refused and nothing was sent: keep "
        f"{spec.source_id} {created_id!r}, or create a new {spec.noun} (a new external_id) with {spec.id_field} "
        f"{new_id!r}"))


def validate_master(view: MasterView, settings: Any = None) -> list[Reason]:
    """Why a vendor or item cannot be posted as it stands (empty: it can)."""
    spec = view.spec
    reasons: list[Reason] = []
    if not (view.source.get("name") or "").strip():
        reasons.append(Reason("name", f"missing: the {spec.noun}'s name; set it in your system and import again"))
    if not view.intacct_id:
        reasons.append(Reason(spec.source_id, f"missing: the {spec.noun}'s {spec.id_field}"))
    elif len(view.intacct_id) > spec.id_limit:
        reasons.append(Reason(spec.source_id, f"{spec.id_field} {view.intacct_id!r} is longer than Intacct's "
                              f"{spec.id_limit} characters: give a shorter {spec.source_id}"))
    if view.posted_id is not None and view.posted_id != view.intacct_id:
        reasons.append(id_change_reason(spec, view.external_id, view.posted_id, view.intacct_id))
    return reasons


def flatten(nested: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested elements as flat dotted paths (the inverse of `nest`)."""
    flat: dict[str, str] = {}
    for key, value in nested.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, path + "."))
        elif value is not None:
            flat[path] = str(value)
    return flat


def customer_values(customer: CustomerView) -> dict[str, str]:
    """The Intacct fields a customer's own fields make (name and display contact), without its CUSTOMERID."""
    values = flatten(customer_create(customer, customer.customer_id or ""))
    values.pop("CUSTOMERID", None)
    return values


def customer_fingerprint(fields: Mapping[str, Any]) -> str:
    """The fingerprint of a customer's Intacct values from its stored columns (name, contact, bill-to)."""
    bill_to = fields.get("bill_to") or {}
    view = CustomerView(id=0, external_id="", name=fields.get("name"), first_name=fields.get("first_name"),
                        last_name=fields.get("last_name"), company_name=fields.get("company_name"),
                        email=fields.get("email"), phone=fields.get("phone"),
                        bill_to=Address(**{k: v for k, v in bill_to.items() if k in Address.__dataclass_fields__}))
    return fingerprint(customer_values(view))
