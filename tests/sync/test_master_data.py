"""Master data out (issue 10): vendors and non-stock items created when missing, updated field by field,
at the top level of a multi-entity company, their ids immutable; end to end over HTTP against the emulator."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.models import Item, Posting, Vendor
from intacct_bridge.store.repositories.connections import save_connection
from intacct_bridge.store.repositories.intake import ImportRejected

from engine_helpers import (
    EVERY_FAULT_FEW_REQUESTS,
    kill_syncs_then_rerun,
    make_engine,
    make_workspace,
    run_under_every_fault,
    run_until_settled,
)
from master_data_helpers import assert_master_match, generate_master, revise

GROUP = "helping-hands-group"


def group_workspace(store, emu, operator, entity: str | None = "E100", wire: str = "xml") -> int:
    """A workspace of the multi-entity company whose connection signs in at an entity."""
    ws = make_workspace(store, emu, operator, wire=wire)
    creds = emu.credentials
    with store.write_session() as session:
        save_connection(session, ws, SecretBox.from_settings(operator), company_id=GROUP,
                        user_id=creds["INTACCT_USER_ID"], password=SecretStr(creds["INTACCT_USER_PASSWORD"]),
                        endpoint=creds["INTACCT_ENDPOINT"], entity_id=entity,
                        allowed=operator.endpoint_policy())
    return ws


def kinds_run(store, ws, operator):
    return make_engine(store, ws, operator).run(kinds=["vendor", "item"])


def test_vendors_and_items_are_created_at_the_top_level_then_only_changed_fields_are_updated(emu, operator, store,
                                                                                          wire):
    create_then_update(emu, operator, store, wire)


@pytest.mark.postgres
def test_vendors_and_items_create_then_update_on_postgresql(emu, operator, pg_store):
    create_then_update(emu, operator, pg_store)


def create_then_update(emu, operator, store, wire: str = "xml") -> None:
    ws = group_workspace(store, emu, operator, wire=wire)
    bridge = Bridge(store, ws, operator)
    bridge.import_records("vendor", [{"external_id": "s1", "vendor_id": "ACME", "name": "Acme Supplies",
                                      "email": "ap@acme.example", "city": "Lyon"}])
    bridge.import_records("item", [{"external_id": "k1", "item_id": "SVC-1", "name": "Consulting hour",
                                    "base_price": "90.00", "taxable": "yes"}])

    first = kinds_run(store, ws, operator)

    assert first.status is RunStatus.SUCCEEDED, first.message
    assert first.tally.by_kind["vendor"]["posted"] == 1 and first.tally.by_kind["item"]["posted"] == 1
    vendor = emu.admin.ledger(GROUP, "VENDOR")[0]
    assert vendor["VENDORID"] == "ACME" and not vendor.get("MEGAENTITYID")   # top level, not E100
    item = emu.admin.ledger(GROUP, "ITEM")[0]
    assert item["ITEMTYPE"] == "Non-Inventory" and item["TAXABLE"] == "true"

    # Nothing changed: nothing is sent.
    assert kinds_run(store, ws, operator).tally.candidates == 0
    # One field changed: an update of that field (and its vendor's id) only.
    result = bridge.import_records("vendor", [{"external_id": "s1", "vendor_id": "ACME", "name": "Acme Supplies",
                                               "email": "billing@acme.example", "city": "Lyon"}])
    assert result.updated == 1
    second = kinds_run(store, ws, operator)

    assert second.tally.by_kind["vendor"]["posted"] == 1
    with store.session() as session:
        update = session.scalars(select(Posting).where(Posting.record_kind == "vendor")
                                 .order_by(Posting.id.desc())).first()
        assert update.operation.startswith("update-")
        assert update.request_summary["changed"] == {"DISPLAYCONTACT.EMAIL1": "billing@acme.example"}
    vendors = emu.admin.ledger(GROUP, "VENDOR")
    assert len(vendors) == 1 and vendors[0]["DISPLAYCONTACT.EMAIL1"] == "billing@acme.example"
    assert vendors[0]["DISPLAYCONTACT.MAILADDRESS.CITY"] == "Lyon"
    assert_master_match(emu, store, ws, GROUP, vendors=1, items=1)


def test_a_changed_vendor_id_is_refused_before_anything_is_sent_naming_record_field_and_fix(emu, operator, store):
    ws = group_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    bridge.import_records("vendor", [{"external_id": "s1", "vendor_id": "ACME", "name": "Acme"},
                                     {"external_id": "s2", "vendor_id": "BOLT", "name": "Bolt"}])
    bridge.import_records("item", [{"external_id": "k1", "item_id": "SVC-1", "name": "Hour"}])
    kinds_run(store, ws, operator)
    before = emu.admin.ledger(GROUP, "VENDOR"), emu.admin.ledger(GROUP, "ITEM")

    with pytest.raises(ImportRejected) as refused:
        bridge.import_records("vendor", [{"external_id": "s2", "vendor_id": "BOLT", "name": "Bolt Ltd"},
                                         {"external_id": "s1", "vendor_id": "ACME-2", "name": "Acme"}])
    with pytest.raises(ImportRejected) as refused_item:
        bridge.import_records("item", [{"external_id": "k1", "item_id": "SVC-9", "name": "Hour"}])

    error = refused.value.errors[0]
    assert (error.line, error.field) == (1, "vendor_id")
    for words in ("vendor 's1'", "VENDORID 'ACME'", "cannot change", "create a new vendor", "'ACME-2'"):
        assert words in error.message
    item_error = refused_item.value.errors[0]
    assert item_error.field == "item_id" and "ITEMID 'SVC-1'" in item_error.message
    assert "create a new item" in item_error.message
    with store.session() as session:   # nothing half-written: the other row of the file was not kept either
        names = {v.external_id: (v.vendor_id, v.name) for v in session.scalars(select(Vendor))}
        assert names == {"s1": ("ACME", "Acme"), "s2": ("BOLT", "Bolt")}
        assert session.scalars(select(Item)).one().item_id == "SVC-1"
    assert kinds_run(store, ws, operator).tally.candidates == 0
    assert (emu.admin.ledger(GROUP, "VENDOR"), emu.admin.ledger(GROUP, "ITEM")) == before   # nothing was sent


def test_an_unsent_vendor_may_still_change_its_id(emu, operator, store):
    ws = group_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    bridge.import_records("vendor", [{"external_id": "s1", "vendor_id": "ACME", "name": "Acme"}])
    assert bridge.import_records("vendor", [{"external_id": "s1", "vendor_id": "ACME2", "name": "Acme"}]).updated == 1
    kinds_run(store, ws, operator)
    assert [v["VENDORID"] for v in emu.admin.ledger(GROUP, "VENDOR")] == ["ACME2"]


@pytest.mark.parametrize("mode", ["reject", "replay"])
def test_vendors_and_items_exactly_once_under_every_fault_with_updates(emu, operator, store, mode):
    """Creates, then updates of some fields of ~40% of them, each under every fault: one record per id in
    Intacct, holding the latest values, whichever answers were lost."""
    ws = group_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    vendors, items = generate_master(5, 300)
    bridge.import_records("vendor", vendors)
    bridge.import_records("item", items)
    engine = make_engine(store, ws, operator, max_retries=6)
    run_under_every_fault(emu, engine, idempotency_mode=mode, seed=11, faults=EVERY_FAULT_FEW_REQUESTS)
    assert_master_match(emu, store, ws, GROUP, vendors=len(vendors), items=len(items))

    bridge.import_records("vendor", revise(vendors, 1, share=0.6))
    bridge.import_records("item", revise(items, 2, share=0.6))
    run_under_every_fault(emu, engine, idempotency_mode=mode, seed=14, faults=EVERY_FAULT_FEW_REQUESTS)
    assert_master_match(emu, store, ws, GROUP, vendors=len(vendors), items=len(items))


def test_vendors_and_items_exactly_once_under_sigkills(emu, operator, store):
    ws = group_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    vendors, items = generate_master(8, 1000)   # writes are reserved 200 at a time: room for several kills
    bridge.import_records("vendor", vendors)
    bridge.import_records("item", items)
    kill_syncs_then_rerun(emu, store, ws, make_engine(store, ws, operator), seed=6, enough=3, max_delay=0.3,
                          latency_ms=40)   # light records post fast: slow them so kills land mid-run
    assert_master_match(emu, store, ws, GROUP, vendors=len(vendors), items=len(items))


def test_a_customer_we_created_is_updated_with_only_its_changed_fields(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    customer = {"external_id": "web-1", "name": "Zed Newman", "email": "zed@example.org",
                "bill_to": {"address1": "1 Main St", "city": "Leeds"}}
    bridge.import_customers([customer])
    assert make_engine(store, ws, operator).run(kinds=["customer"]).tally.by_kind["customer"]["posted"] == 1

    bridge.import_customers([dict(customer, email="zed@new.example", bill_to={"address1": "1 Main St"})])
    second = make_engine(store, ws, operator).run(kinds=["customer"])

    assert second.tally.by_kind["customer"]["posted"] == 1, second.message
    with store.session() as session:
        update = session.scalars(select(Posting).where(Posting.record_kind == "customer")
                                 .order_by(Posting.id.desc())).first()
        assert update.operation.startswith("update-")
        assert update.request_summary["changed"] == {"DISPLAYCONTACT.EMAIL1": "zed@new.example",
                                                     "DISPLAYCONTACT.MAILADDRESS.CITY": ""}
    held = [c for c in emu.admin.ledger("helping-hands", "CUSTOMER") if c["NAME"] == "Zed Newman"]
    assert len(held) == 1 and held[0]["DISPLAYCONTACT.EMAIL1"] == "zed@new.example"
    assert not held[0].get("DISPLAYCONTACT.MAILADDRESS.CITY")
    assert make_engine(store, ws, operator).run(kinds=["customer"]).tally.candidates == 0
