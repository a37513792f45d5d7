"""CUSTOMER and VENDOR writes: the contacts they name (display, bill-to, ship-to) live as CONTACT records.

As in Intacct, creating a customer creates its display contact, named
``NAME(CCUSTOMERID)`` unless DISPLAYCONTACT/CONTACTNAME names it; a vendor's is
``NAME(VVENDORID)`` (the same pattern; the reference does not spell it out). BILLTO and
SHIPTO either name an existing contact (CONTACTNAME alone) or carry the contact
inline, which creates or updates the contact of that name. The customer keeps a
copy of each contact's details, as a customer read shows them.
"""

from __future__ import annotations

from ..backend.catalogue import ObjectDef
from ..backend.objects import get_object
from ..backend.records import Record, find_by_id, insert_record, save_record
from .base import CallContext, business_error

BLOCKS = (("DISPLAYCONTACT", ""), ("BILLTO", " Bill to"), ("SHIPTO", " Ship to"))


def _given(record: Record, previous: Record | None, prefix: str) -> dict[str, str]:
    """The contact parts of one block that this write sets (all of them on a create)."""
    start = prefix + "."
    return {k[len(start):]: v for k, v in record.items()
            if k.startswith(start) and (previous is None or previous.get(k) != v)}


def _upsert_contact(ctx: CallContext, name: str, parts: dict[str, str], print_as: str) -> Record:
    odef = get_object("CONTACT")
    existing = find_by_id(ctx.conn, odef, ctx.company_id, name, ctx.reference_scope())
    if existing is not None:
        changed = {**existing, **parts}
        return save_record(ctx.conn, odef, ctx.company_id, changed, now=ctx.now, user_id=ctx.user.user_id)
    contact = odef.with_defaults({"PRINTAS": print_as, **parts, "CONTACTNAME": name})
    return insert_record(ctx.conn, odef, ctx.company_id, contact, entity=ctx.entity(), now=ctx.now,
                         user_id=ctx.user.user_id)


def _copy_contact(odef: ObjectDef, record: Record, prefix: str, contact: Record) -> None:
    for field in odef.fields:
        if field.name.startswith(prefix + "."):
            record[field.name] = str(contact.get(field.name[len(prefix) + 1:], ""))


def prepare_customer(ctx: CallContext, odef: ObjectDef, record: Record, previous: Record | None) -> Record:
    """Create or update the contacts the customer's blocks carry, and link the customer to them."""
    if previous is None:
        record["TOTALDUE"] = "0.00"  # the AR balance, kept by invoices, adjustments and payments
    return _link_contacts(ctx, odef, record, previous, f"{record.get('NAME', '')}(C{record.get('CUSTOMERID', '')})",
                          BLOCKS)


def prepare_vendor(ctx: CallContext, odef: ObjectDef, record: Record, previous: Record | None) -> Record:
    """A vendor's display contact, as a customer's: created with it, updated when its parts change."""
    if previous is None:
        record["TOTALDUE"] = "0.00"  # the AP balance
    return _link_contacts(ctx, odef, record, previous, f"{record.get('NAME', '')}(V{record.get('VENDORID', '')})",
                          BLOCKS[:1])


def _link_contacts(ctx: CallContext, odef: ObjectDef, record: Record, previous: Record | None, label: str,
                   blocks: tuple[tuple[str, str], ...]) -> Record:
    for prefix, suffix in blocks:
        parts = _given(record, previous, prefix)
        name = parts.pop("CONTACTNAME", "") or str(record.get(f"{prefix}.CONTACTNAME", ""))
        if prefix == "DISPLAYCONTACT" and (previous is None or parts):
            name = name or label
        elif not parts:
            if name and previous is not None and previous.get(f"{prefix}.CONTACTNAME") == name:
                continue  # the block is unchanged
            if name:
                contact = find_by_id(ctx.conn, get_object("CONTACT"), ctx.company_id, name, ctx.reference_scope())
                if contact is None:
                    raise business_error(f"Invalid contact '{name}' specified for {prefix}.CONTACTNAME",
                                         f"No contact named {name} exists.",
                                         "Create the contact first, or give the contact's details inline.")
                _copy_contact(odef, record, prefix, contact)
            continue
        name = name or f"{label}{suffix}"
        contact = _upsert_contact(ctx, name, parts, print_as=str(record.get("NAME", "")))
        record[f"{prefix}.CONTACTNAME"] = name
        _copy_contact(odef, record, prefix, contact)
    return record
