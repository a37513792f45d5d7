"""Order-to-cash builders, lookups and pull readers over real HTTP against the emulator."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from intacct_helpers import fast_config, today, unique

from intacct_bridge.intacct import IntacctClient, errors
from intacct_bridge.intacct import functions as fn
from intacct_bridge.intacct.customers import ContactDetails, create_customer, update_customer
from intacct_bridge.intacct.lookup import find_records
from intacct_bridge.intacct.pulls import invoices_changed, payments_changed, stock_changed, stock_levels
from intacct_bridge.intacct.receivables import Application, ArLine, adjustment, invoice, payment
from intacct_bridge.intacct.sales import SalesLine, sales_transaction
from intacct_bridge.sync.lookup import find_entries


def _invoice(customer: str, *amounts: str, number: str | None = None, controlid: str | None = None) -> fn.Legacy:
    lines = [ArLine("4200", Decimal(a), memo="tickets") for a in amounts]
    return invoice(customer, today(), lines, due_date=today() + timedelta(days=30), invoice_no=number,
                   po_number="PO-1", controlid=controlid or unique("inv-"))


def _balance(client, recordno: str):
    return next(b for b in invoices_changed(client, datetime(2000, 1, 1, tzinfo=UTC)) if b.recordno == recordno)


def test_invoice_payment_and_credit_move_the_balance_and_are_pulled(client) -> None:
    start = datetime.now(UTC) - timedelta(seconds=1)
    first = client.execute(_invoice("CUST-0003", "80.00", "20.00")).key
    second = client.execute(_invoice("CUST-0003", "50.00")).key
    number = _balance(client, first).invoice_no
    assert number.startswith("INV-")
    reference = unique("CHK-")
    client.execute(payment("CUST-0003", today(), [Application(first, Decimal("60.00")),
                                                  Application(second, Decimal("50.00"))],
                           undeposited_account="1100", reference=reference, controlid=unique("pay-")))
    credit = [ArLine("4200", Decimal("-15.00"), memo="returned")]
    client.execute(adjustment("CUST-0003", today(), credit, invoice_no=number, adjustment_no=unique("CM-"),
                              controlid=unique("adj-")))
    one, two = _balance(client, first), _balance(client, second)
    assert (one.state, one.total_paid, one.total_due, one.is_open) == ("Partially Paid", Decimal("75.00"),
                                                                         Decimal("25.00"), True)
    assert (two.state, two.total_due, two.is_open, two.paid_date) == ("Paid", Decimal("0.00"), False, today())
    assert one.modified_at is not None and one.modified_at >= start.replace(microsecond=0)
    open_now = {b.recordno for b in invoices_changed(client)}
    assert first in open_now and second not in open_now
    paid = [p for p in payments_changed(client, start) if p.reference == reference]
    assert [(p.customer_id, p.total_entered, p.method, p.receipt_date) for p in paid] == [
        ("CUST-0003", Decimal("110.00"), "EFT", today())]
    later = datetime.now(UTC) + timedelta(seconds=5)
    assert [b for b in invoices_changed(client, later)] == []


def test_refusals_are_business_errors(client) -> None:
    key = client.execute(_invoice("CUST-0004", "10.00", number=unique("INV-X-"))).key
    number = _balance(client, key).invoice_no
    with pytest.raises(errors.BusinessRuleError) as duplicate:
        client.execute(_invoice("CUST-0004", "10.00", number=number))
    assert duplicate.value.errorno == "BL34000061" and number in str(duplicate.value)
    client.execute(payment("CUST-0004", today(), [Application(key, Decimal("10.00"))], undeposited_account="1100",
                           controlid=unique("pay-")))
    with pytest.raises(errors.BusinessRuleError) as paid:
        client.execute(payment("CUST-0004", today(), [Application(key, Decimal("1.00"))],
                               undeposited_account="1100", controlid=unique("pay-")))
    assert "already paid in full" in str(paid.value)
    closed = invoice("CUST-0004", today().replace(year=today().year - 1, month=12, day=31),
                     [ArLine("4200", Decimal("1.00"))], term_name="N30", controlid=unique("inv-"))
    with pytest.raises(errors.BusinessRuleError) as period:
        client.execute(closed)
    assert "closed period" in str(period.value)


def test_an_open_credit_memo_is_applied_with_a_payment(client) -> None:
    key = client.execute(_invoice("CUST-0006", "40.00")).key
    credit = client.execute(adjustment("CUST-0006", today(), [ArLine("4200", Decimal("-25.00"))],
                                       controlid=unique("adj-"))).key
    client.execute(payment("CUST-0006", today(), [Application(key, Decimal("15.00"), credit_recordno=credit,
                                                              credit_amount=Decimal("25.00"))],
                           undeposited_account="1100", controlid=unique("pay-")))
    assert (_balance(client, key).state, _balance(client, key).total_due) == ("Paid", Decimal("0.00"))
    assert find_records(client, "ARADJUSTMENT", "RECORDNO", [credit], ["STATE"])[credit]["STATE"] == "Paid"


def test_builders_refuse_bad_input_before_sending() -> None:
    with pytest.raises(ValueError, match="whole cents"):
        invoice("C", today(), [ArLine("4200", Decimal("1.005"))], term_name="N30", controlid="x").to_element()
    with pytest.raises(TypeError):
        ArLine("4200", 1.5).to_fields(1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="due date or a payment term"):
        invoice("C", today(), [ArLine("4200", Decimal("1.00"))], controlid="x")
    with pytest.raises(ValueError, match="undeposited"):
        payment("C", today(), [Application(1, Decimal("1.00"))], controlid="x")
    with pytest.raises(ValueError, match="both"):
        payment("C", today(), [Application(1, None, credit_recordno=5)], bank_account="BOA", controlid="x")
    with pytest.raises(ValueError, match="positive"):
        sales_transaction("Sales Invoice", "C", today(), [SalesLine("MUG", Decimal("0"))], controlid="x")


def test_invoice_builder_writes_the_legacy_shape() -> None:
    element = invoice("C1", today(), [ArLine("4200", Decimal("5.00"), location_id="100",
                                             custom_fields={"GLDIMFUND": "F01"})],
                      term_name="N30", controlid="x").to_element()
    assert [c.tag for c in element] == ["customerid", "datecreated", "termname", "invoiceitems"]
    line = element.find("invoiceitems/lineitem")
    assert [c.tag for c in line] == ["glaccountno", "amount", "locationid", "customfields"]
    assert line.findtext("customfields/customfield/customfieldname") == "GLDIMFUND"


def test_sales_invoice_posts_to_ar_takes_stock_and_is_found_by_reference(client) -> None:
    before = {(s.item_id, s.warehouse_id): s.on_hand for s in stock_levels(client)}
    since = datetime.now(UTC) - timedelta(seconds=1)
    time.sleep(1.1)
    reference = unique("ORD-")
    key = client.execute(sales_transaction("Sales Invoice", "CUST-0002", today(),
                                           [SalesLine("TOTE", Decimal("3"), Decimal("8.00"), warehouse_id="WH-MAIN")],
                                           reference_no=reference, controlid=unique("so-"))).key
    assert key.startswith("Sales Invoice-")
    found = find_records(client, "SODOCUMENT", "PONUMBER", [reference, "ORD-NOPE"], ["DOCID", "PRRECORDKEY", "TOTAL"])
    assert list(found) == [reference] and found[reference]["DOCID"] == key
    assert _balance(client, found[reference]["PRRECORDKEY"]).total_due == Decimal("24.00")
    after = {(s.item_id, s.warehouse_id): s.on_hand for s in stock_levels(client, item_id="TOTE")}
    assert after[("TOTE", "WH-MAIN")] == before[("TOTE", "WH-MAIN")] - 3
    changed = list(stock_changed(client, since))
    assert ("TOTE", "WH-MAIN") in {(s.item_id, s.warehouse_id) for s in changed}
    with pytest.raises(errors.BusinessRuleError) as unknown:
        client.execute(sales_transaction("Pledge", "CUST-0002", today(), [SalesLine("TOTE", Decimal("1"))],
                                         controlid=unique("so-")))
    assert "Invalid transaction type 'Pledge'" in str(unknown.value)


def test_customer_with_contacts_round_trips(client) -> None:
    customer_id = unique("C-")
    display = ContactDetails(print_as="Birch Fund", company_name="Birch Fund", first_name="Kim", last_name="Birch",
                             email="kim@birch.example", phone="555-0199", address1="4 Oak Ave", city="Eugene",
                             state="OR", zip="97401", country="United States")
    result = client.execute(create_customer(customer_id, "Birch Fund", display=display,
                                            ship_to=ContactDetails(print_as="Birch Dock", address1="2 Dock St"),
                                            controlid=unique("cust-")))
    assert result.records[0]["CUSTOMERID"] == customer_id
    client.execute(update_customer(customer_id, bill_to=f"Birch Fund(C{customer_id}) Ship to",
                                   controlid=unique("cust-")))
    rows = find_records(client, "CUSTOMER", "CUSTOMERID", [customer_id],
                        ["DISPLAYCONTACT.EMAIL1", "DISPLAYCONTACT.MAILADDRESS.CITY", "BILLTO.CONTACTNAME",
                         "SHIPTO.MAILADDRESS.ADDRESS1", "TOTALDUE"])
    row = rows[customer_id]
    assert row["DISPLAYCONTACT"]["EMAIL1"] == "kim@birch.example"
    assert row["DISPLAYCONTACT"]["MAILADDRESS"]["CITY"] == "Eugene"
    assert row["BILLTO"]["CONTACTNAME"] == f"Birch Fund(C{customer_id}) Ship to"
    assert row["SHIPTO"]["MAILADDRESS"]["ADDRESS1"] == "2 Dock St" and row["TOTALDUE"] == "0.00"
    with pytest.raises(errors.BusinessRuleError) as duplicate:
        client.execute(create_customer(customer_id, "Again", controlid=unique("cust-")))
    assert duplicate.value.errorno == "BL34000061"


def test_find_records_groups_keys_and_find_entries_still_works(emu, client, income_accounts) -> None:
    from intacct_helpers import journal_entry

    references = [unique("LK-") for _ in range(5)]
    for reference in references[:3]:
        client.execute(journal_entry(reference, Decimal("2.00"), income_accounts[0]))
    before = client.usage.requests
    found = find_records(client, "GLBATCH", "REFERENCENO", references, ["RECORDNO", "BATCH_TITLE"], group_size=2)
    assert set(found) == set(references[:3]) and client.usage.requests - before == 3
    assert find_entries(client, references) == {r: found[r]["RECORDNO"] for r in references[:3]}


@pytest.mark.parametrize("mode", ["reject", "replay"])
def test_resent_o2c_writes_apply_once(emu, creds, mode) -> None:
    emu.admin.set_config(idempotency_mode=mode)
    number = unique("INV-R-")
    with IntacctClient(creds, fast_config(emu)) as c:
        c.execute(fn.ReadByName("GLACCOUNT", keys=["1000"]))  # opens the session before the faults start
        emu.admin.set_faults("drop_after_commit=0.5", seed=1)  # the first send commits and loses its answer
        result = c.execute(_invoice("CUST-0005", "5.00", number=number, controlid=unique("inv-")))
        emu.admin.set_faults("")
        assert c.usage.retries == 1
    assert result.already_applied if mode == "reject" else result.key
    assert len([r for r in emu.admin.ledger("helping-hands", "ARINVOICE") if r.get("RECORDID") == number]) == 1
