"""The Python API imports and reads order-to-cash records: files or dicts, all or nothing, own workspace only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from cryptography.fernet import Fernet

from intacct_bridge.api import Bridge
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.errors import NotFound
from intacct_bridge.store.repositories.intake import ImportRejected
from intacct_bridge.store.repositories.workspaces import create_workspace


@pytest.fixture
def bridges(store, tmp_path):
    operator = OperatorSettings(data_dir=tmp_path / "data", secret_key=Fernet.generate_key().decode(), workspace=None)
    with store.write_session() as session:
        ours, theirs = create_workspace(session, "Ours").id, create_workspace(session, "Theirs").id
    return Bridge(store, ours, operator), Bridge(store, theirs, operator)


def test_import_from_files_and_dicts_then_list_and_get(bridges, tmp_path):
    ours, theirs = bridges
    customers = tmp_path / "customers.csv"
    customers.write_text("external_id,name,email\nc1,Ada,ada@example.org\n", encoding="utf-8")
    assert ours.import_customers(customers).created == 1
    orders = tmp_path / "orders.jsonl"
    orders.write_text('{"external_id": "o1", "customer": "c1", "date": "2025-07-01", '
                      '"lines": [{"sku": "W", "quantity": "2", "price": "5.00"}]}\n', encoding="utf-8")
    assert ours.import_invoices(orders).created == 1
    result = ours.import_payments([{"external_id": "p1", "customer": "c1", "date": "2025-07-02", "amount": "10.00",
                                    "method": "cash", "applications": [{"invoice": "o1"}]}])
    assert result.created == 1
    assert ours.import_credit_memos([{"external_id": "m1", "customer": "c1", "date": "2025-07-03", "invoice": "o1",
                                      "lines": [{"gl_account": "4000", "amount": "1.00"}]}]).created == 1
    invoice = ours.invoice("o1")
    assert invoice.lines[0].amount == Decimal("10.00") and invoice.customer.name == "Ada"
    assert [p.external_id for p in ours.payments(status="unposted")] == ["p1"]
    assert ours.payment("p1").applications[0].amount == Decimal("10.00")
    assert [c.external_id for c in ours.customers(search="ADA")] == ["c1"]
    assert ours.credit_memo("m1").invoice.external_id == "o1"
    assert theirs.invoices() == []
    with pytest.raises(NotFound):
        theirs.invoice("o1")


def test_a_bad_record_imports_nothing_and_names_its_index(bridges):
    ours, _ = bridges
    with pytest.raises(ImportRejected) as rejected:
        ours.import_customers([{"external_id": "c1", "name": "Ada"}, {"name": "No id"}])
    assert [(e.line, e.field) for e in rejected.value.errors] == [(1, "external_id")]
    assert ours.customers() == []
    with pytest.raises(ValueError, match="format"):
        ours.import_invoices("orders.txt")
