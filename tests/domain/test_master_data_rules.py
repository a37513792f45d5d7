"""The pure rules of master data: Intacct values, what changed, the update payload, the id refusal."""

from __future__ import annotations

from decimal import Decimal

from intacct_bridge.domain.master_data import (
    ITEM,
    VENDOR,
    MasterView,
    changed_values,
    holds,
    intacct_values,
    master_write,
    update_operation,
    validate_master,
)
from intacct_bridge.domain.receivables import RecordKind


def vendor(**source):
    return {"name": "Acme", "email": "ap@acme.example", "city": "Lyon", "active": True, **source}


def test_values_are_intacct_fields_as_text():
    values = intacct_values(VENDOR, vendor())
    assert values["NAME"] == values["DISPLAYCONTACT.PRINTAS"] == "Acme"
    assert values["DISPLAYCONTACT.MAILADDRESS.CITY"] == "Lyon" and values["STATUS"] == "active"
    item = intacct_values(ITEM, {"name": "Hour", "base_price": Decimal("90"), "taxable": False, "active": False})
    assert (item["ITEMTYPE"], item["BASEPRICE"], item["TAXABLE"], item["STATUS"]) == (
        "Non-Inventory", "90.00", "false", "inactive")


def test_an_update_carries_only_what_changed_and_clears_what_was_emptied():
    posted = intacct_values(VENDOR, vendor())
    current = intacct_values(VENDOR, vendor(email="billing@acme.example", city=None))
    assert changed_values(posted, current) == {"DISPLAYCONTACT.EMAIL1": "billing@acme.example",
                                               "DISPLAYCONTACT.MAILADDRESS.CITY": ""}
    write = master_write("VENDORID", "ACME", current, posted)
    assert not write.create and write.operation == update_operation(write.changed)
    assert write.payload == {"VENDORID": "ACME", "DISPLAYCONTACT": {"EMAIL1": "billing@acme.example",
                                                                     "MAILADDRESS": {"CITY": ""}}}
    create = master_write("VENDORID", "ACME", current, None)
    assert create.create and "MAILADDRESS" not in create.payload["DISPLAYCONTACT"]   # empty values are not sent


def test_a_record_read_back_holds_the_values_by_their_meaning():
    row = {"VENDORID": "ACME", "BASEPRICE": "12.5", "DISPLAYCONTACT": {"EMAIL1": "a@x"}}
    assert holds(row, {"BASEPRICE": "12.50", "DISPLAYCONTACT.EMAIL1": "a@x"})
    assert not holds(row, {"DISPLAYCONTACT.EMAIL1": "b@x"})


def test_a_changed_id_names_the_record_the_field_and_the_fix():
    view = MasterView(RecordKind.ITEM, 1, "sku-1", "NEW-ID", {"name": "Hour"}, {"NAME": "Hour"}, "OLD-ID")
    [reason] = validate_master(view)
    assert reason.field == "item_id"
    assert "item 'sku-1'" in reason.message and "ITEMID 'OLD-ID'" in reason.message
    assert "create a new item" in reason.message and "'NEW-ID'" in reason.message
    nameless = MasterView(RecordKind.VENDOR, 2, "s-2", "S2", {"name": " "})
    assert [r.field for r in validate_master(nameless)] == ["name"]
