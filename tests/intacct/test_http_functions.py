"""Each function family over real HTTP against the emulator, with the sync and the async client."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from intacct_bridge.intacct import AsyncIntacctClient, IntacctClient, errors, functions as fn, query as q

from intacct_helpers import fast_config, journal_entry, today, unique

def test_read_and_read_by_name(client):
    by_name = client.execute(fn.ReadByName("GLACCOUNT", keys=["1000", "4000"], fields=["RECORDNO", "ACCOUNTNO", "TITLE"]))
    assert sorted(r["ACCOUNTNO"] for r in by_name.records) == ["1000", "4000"]
    keys = [r["RECORDNO"] for r in by_name.records]
    read = client.execute(fn.Read("GLACCOUNT", keys=keys))
    assert sorted(r["ACCOUNTNO"] for r in read.records) == ["1000", "4000"]
    assert read.records[0]["TITLE"]


def test_read_by_query_and_read_more(client):
    first = client.execute(fn.ReadByQuery("GLACCOUNT", query=q.eq("ACCOUNTTYPE", "balancesheet"),
                                          fields="RECORDNO,ACCOUNTNO", page_size=5))
    assert first.count == 5 and first.num_remaining > 0 and first.result_id
    more = client.execute(fn.ReadMore(first.result_id))
    assert more.count > 0
    assert not {r["ACCOUNTNO"] for r in first.records} & {r["ACCOUNTNO"] for r in more.records}


def test_query_with_filter_and_order(client):
    result = client.execute(fn.Query("GLACCOUNT", ["ACCOUNTNO", "TITLE"],
                                     filter=q.between("ACCOUNTNO", "4000", "4999") & q.eq("STATUS", "active"),
                                     order_by=[("ACCOUNTNO", "desc")], page_size=3))
    numbers = [r["ACCOUNTNO"] for r in result.records]
    assert numbers == sorted(numbers, reverse=True) and all(n.startswith("4") for n in numbers)
    assert result.total_count and result.total_count > 3 and result.num_remaining == result.total_count - 3


def test_generic_create_update_delete(client):
    classid = unique("CLS-CRUD-")
    created = client.execute(fn.Create("CLASS", {"CLASSID": classid, "NAME": "Before & after", "STATUS": "active"}))
    recordno = created.records[0]["RECORDNO"]
    client.execute(fn.Update("CLASS", {"RECORDNO": recordno, "NAME": "Renamed <ok>"}))
    assert client.execute(fn.ReadByName("CLASS", keys=[classid])).records[0]["NAME"] == "Renamed <ok>"
    client.execute(fn.Delete("CLASS", keys=[recordno]))
    assert client.execute(fn.ReadByName("CLASS", keys=[classid])).records == []


def test_journal_entry_amounts_round_trip_as_decimals(client, income_accounts):
    ref = unique("JE-RT-")
    created = client.execute(journal_entry(ref, Decimal("1234.56"), income_accounts[0]))
    batch = client.execute(fn.Read("GLBATCH", keys=[created.records[0]["RECORDNO"]])).records[0]
    lines = batch["ENTRIES"]["GLENTRY"]
    assert [Decimal(line["TRX_AMOUNT"]) for line in lines] == [Decimal("1234.56")] * 2
    assert batch["REFERENCENO"] == ref and batch["BATCH_DATE"] == today().strftime("%m/%d/%Y")


def test_execute_many_keeps_order_and_reports_each_failure(client, income_accounts):
    good = [journal_entry(unique("JE-MANY-"), Decimal("5.00"), income_accounts[0]) for _ in range(5)]
    bad = fn.Create("GLBATCH", {"JOURNAL": "GJ", "BATCH_DATE": today(), "BATCH_TITLE": "unbalanced",
                                "ENTRIES": {"GLENTRY": [
                                    {"ACCOUNTNO": "1000", "TR_TYPE": 1, "TRX_AMOUNT": Decimal("5.00")},
                                    {"ACCOUNTNO": income_accounts[0], "TR_TYPE": -1, "TRX_AMOUNT": Decimal("4.00")}]}})
    functions = good[:2] + [bad] + good[2:]
    with IntacctClient(client.credentials, dataclasses.replace(client.config, batch_size=2)) as small_batches:
        outcomes = small_batches.execute_many(functions)
    assert [o.controlid for o in outcomes] == [f.controlid for f in functions]
    assert isinstance(outcomes[2], errors.BusinessRuleError) and outcomes[2].errorno
    assert all(o.ok for i, o in enumerate(outcomes) if i != 2)


def test_transaction_rolls_back_together(client, emu, income_accounts):
    ref = unique("JE-TXN-")
    ok = journal_entry(ref, Decimal("7.00"), income_accounts[0])
    bad = fn.Create("GLBATCH", {"JOURNAL": "NOPE", "BATCH_DATE": today(), "BATCH_TITLE": "bad journal",
                                "ENTRIES": {"GLENTRY": [
                                    {"ACCOUNTNO": "1000", "TR_TYPE": 1, "TRX_AMOUNT": Decimal("1.00")},
                                    {"ACCOUNTNO": income_accounts[0], "TR_TYPE": -1, "TRX_AMOUNT": Decimal("1.00")}]}})
    aborted, failed = client.execute_many([ok, bad], transaction=True)
    assert isinstance(aborted, errors.TransactionAborted) and aborted.errorno == "XL03000009"
    assert isinstance(failed, errors.BusinessRuleError)
    assert not [r for r in emu.admin.ledger("helping-hands", "GLBATCH") if r.get("REFERENCENO") == ref]


def test_entities_get_their_own_sessions(emu, creds):
    group = dataclasses.replace(creds, company_id="helping-hands-group")
    with IntacctClient(group, fast_config(emu)) as c:
        classes = {e: {r["CLASSID"] for r in c.iter_query("CLASS", ["CLASSID"], entity=e)} for e in ("E100", "E200")}
        top = {r["CLASSID"] for r in c.iter_query("CLASS", ["CLASSID"], entity=None)}
        assert "C100" in classes["E100"] and "C100" not in classes["E200"] and "C200" in classes["E200"]
        assert "C500" in top and "C100" not in top
        assert c.usage.session_logins == 3
        created = c.execute(fn.Create("CLASS", {"CLASSID": unique("E2-"), "NAME": "entity level"}), entity="E200")
        row = c.execute(fn.Read("CLASS", keys=[created.records[0]["RECORDNO"]]), entity="E200").records[0]
        assert row["MEGAENTITYID"] == "E200"
        assert c.usage.session_logins == 3  # sessions are reused


def test_async_client(emu, creds, income_accounts):
    async def run():
        async with AsyncIntacctClient(creds, fast_config(emu, batch_size=3)) as c:
            entries = [journal_entry(unique("JE-ASYNC-"), Decimal("2.50"), income_accounts[0]) for _ in range(7)]
            outcomes = await c.execute_many(entries)
            rows = [r async for r in c.iter_read_by_query("GLACCOUNT", "", "ACCOUNTNO", page_size=10)]
            one = await c.execute(fn.ReadByName("GLACCOUNT", keys=["1000"]))
            return outcomes, rows, one, c.usage

    outcomes, rows, one, usage = asyncio.run(run())
    assert all(o.ok for o in outcomes) and len(outcomes) == 7
    assert len({r["ACCOUNTNO"] for r in rows}) == len(rows) > 10
    assert one.records[0]["ACCOUNTNO"] == "1000"
    assert usage.api_transactions >= 7


def test_lookup(client):
    result = client.execute(fn.Lookup("GLBATCH"))
    fields = result.records[0]["Fields"]["Field"]
    assert {"RECORDNO", "BATCH_DATE", "REFERENCENO"} <= {f["ID"] for f in fields}


def test_inspect(client):
    detail = client.execute(fn.Inspect("GLBATCH", detail=True)).records[0]
    assert "JOURNAL" in {f["Name"] for f in detail["Fields"]["Field"]}
    every = client.execute(fn.Inspect("*")).records
    assert "GLBATCH" in {r.get("typename") or r.get("Name") for r in every}


def test_get_dimensions(client):
    dimensions = client.execute(fn.GetDimensions()).records[0]["dimension"]
    udds = {d["objectName"] for d in dimensions if d["userDefinedDimension"] == "true"}
    assert "FUND" in udds and "DEPARTMENT" in {d["objectName"] for d in dimensions}


def test_get_icitemtotals(client):
    totals = client.execute(fn.GetIcItemTotals(itemid="TSHIRT")).records[0]["itemtotal"]
    assert {(t["warehouseid"], t["onhand"]) for t in totals} == {("WH-MAIN", "120"), ("WH-NORTH", "30")}


def test_create_invoice(client):
    result = client.execute(fn.CreateInvoice({
        "customerid": "CUST-0001", "datecreated": today(), "datedue": date(today().year, 12, 31),
        "invoiceitems": [{"glaccountno": "4500", "amount": Decimal("120.00"), "memo": "Program fee"}]}))
    invoice = client.execute(fn.Read("ARINVOICE", keys=[result.key])).records[0]
    assert invoice["CUSTOMERID"] == "CUST-0001" and Decimal(invoice["TOTALENTERED"]) == Decimal("120.00")


def test_create_sotransaction(client):
    result = client.execute(fn.CreateSoTransaction({
        "transactiontype": "Sales Invoice", "datecreated": today(), "customerid": "CUST-0001",
        "sotransitems": [{"itemid": "TSHIRT", "warehouseid": "WH-MAIN", "quantity": 2, "price": Decimal("15.00")}]}))
    assert result.key.startswith("Sales Invoice-")


def test_create_arpayment(client):
    result = client.execute(fn.CreateArPayment({
        "customerid": "CUST-0001", "paymentamount": Decimal("10.00"), "undepfundsacct": "1100",
        "datereceived": today(), "paymentmethod": "Cash"}))
    assert result.key and client.usage.api_transactions >= 1


def test_iter_queries_sends_every_first_page_in_one_request_and_pages_each_on_its_own(emu, creds):
    limited = dataclasses.replace(creds, user_id="ws_limited")  # may read accounts and locations, not departments
    with IntacctClient(limited, fast_config(emu)) as c:
        alone = {r["ACCOUNTNO"] for r in c.iter_query("GLACCOUNT", ["ACCOUNTNO"])}
        before = c.usage.requests
        accounts, departments, locations = c.iter_queries(
            [("GLACCOUNT", ["ACCOUNTNO"]), ("DEPARTMENT", ["DEPARTMENTID"]), ("LOCATION", ["LOCATIONID"])],
            page_size=5)
        assert c.usage.requests == before + 1  # the three first pages, together
        assert {r["ACCOUNTNO"] for r in accounts} == alone and len(alone) > 5  # later pages one by one
        assert {r["LOCATIONID"] for r in locations}
        with pytest.raises(errors.PermissionDenied):
            next(departments)
