"""The REST client over real HTTP against the emulator's /ia/api/v1: writes, reads, keys, entity, errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from intacct_bridge.intacct import errors, functions as fn, query as q
from intacct_bridge.intacct.credentials import ClientConfig
from intacct_bridge.intacct.oauth import RestCredentials
from intacct_bridge.intacct.rest_client import ENTITY_HEADER, RestClient


def rest_client(emu: Any, company: str = "helping-hands", *, secret: str | None = None,
                client_id: str | None = None, **config: Any) -> RestClient:
    creds = RestCredentials(client_id or emu.client_id, secret or emu.client_secret, company, "ws_bridge")
    return RestClient(creds, ClientConfig(endpoint=emu.rest_base_url, allowed_endpoints=(emu.base_url,),
                                          backoff_base=0.01, backoff_max=0.05, throttle_pause=0.01, **config))


def entry(debit: str, credit: str, reference: str, amount: str = "10.00", **line: str) -> dict[str, Any]:
    lines = [{"ACCOUNTNO": debit, "TR_TYPE": 1, "TRX_AMOUNT": Decimal(amount), "DESCRIPTION": "rest test", **line},
             {"ACCOUNTNO": credit, "TR_TYPE": -1, "TRX_AMOUNT": Decimal(amount), "DESCRIPTION": "rest test", **line}]
    return {"JOURNAL": "GJ", "BATCH_DATE": date(2026, 1, 5), "BATCH_TITLE": "REST", "REFERENCENO": reference,
            "STATE": "Posted", "ENTRIES": {"GLENTRY": lines}}


def references(client: RestClient, prefix: str) -> list[str]:
    rows = client.iter_query("GLBATCH", ["RECORDNO", "REFERENCENO"], filter=q.like("REFERENCENO", prefix + "%"),
                             page_size=3)
    return sorted(r["REFERENCENO"] for r in rows)


@pytest.mark.parametrize("mode", ["composite", "batch"])
def test_writes_post_once_and_a_resend_replays(emu: Any, income_accounts: list[str], mode: str) -> None:
    debit, credit = income_accounts[:2]
    functions = [fn.Create("GLBATCH", entry(debit, credit, f"rw-{mode}-{i}"), controlid=f"rw-{mode}-{i}")
                 for i in range(13)]
    with rest_client(emu, rest_writes=mode) as client:
        first = client.execute_many(functions)
        again = client.execute_many(functions)
        assert all(r.ok for r in first)
        assert [r.key for r in first] == [r.key for r in again]  # the same keys: replayed, not posted twice
        assert references(client, f"rw-{mode}-") == sorted(f"rw-{mode}-{i}" for i in range(13))


def test_one_bad_record_fails_alone(emu: Any, income_accounts: list[str]) -> None:
    debit, credit = income_accounts[:2]
    functions = [fn.Create("GLBATCH", entry("0000" if i == 2 else debit, credit, f"bad-{i}"), controlid=f"bad-{i}")
                 for i in range(6)]
    with rest_client(emu) as client:
        outcomes = client.execute_many(functions)
        assert isinstance(outcomes[2], errors.BusinessRuleError) and not outcomes[2].transient
        assert all(o.ok for i, o in enumerate(outcomes) if i != 2)
        assert references(client, "bad-") == [f"bad-{i}" for i in (0, 1, 3, 4, 5)]


def test_a_key_reused_with_another_body_is_a_duplicate_to_look_up(emu: Any, income_accounts: list[str]) -> None:
    debit, credit = income_accounts[:2]
    with rest_client(emu) as client:
        assert client.execute(fn.Create("GLBATCH", entry(debit, credit, "dup-1"), controlid="dup-1")).ok
        with pytest.raises(errors.DuplicateControlId):
            client.execute(fn.Create("GLBATCH", entry(debit, credit, "dup-1", "11.00"), controlid="dup-1"))
        assert references(client, "dup-") == ["dup-1"]


def test_the_entity_header_puts_the_write_in_the_entity(emu: Any) -> None:
    """Fails if the header name is misspelled: the emulator, like Sage, then works at the top level."""
    assert ENTITY_HEADER == "X-IA-API-Param-Entity"
    with rest_client(emu, "helping-hands-group") as client:
        assert client.execute(fn.Create("CLASS", {"CLASSID": "REST-E2", "NAME": "entity level"}), entity="E200").ok
        seen = {e: {r["CLASSID"] for r in client.iter_query("CLASS", ["CLASSID"], entity=e)} for e in ("E100", "E200")}
    assert "REST-E2" in seen["E200"] and "REST-E2" not in seen["E100"]


def test_a_refused_token_is_renewed_once(emu: Any) -> None:
    with rest_client(emu) as client:
        assert list(client.iter_query("GLJOURNAL", ["SYMBOL"], page_size=1))
        emu.admin.expire_sessions()
        emu.admin.set_faults("session_expiry=1", seed=1)
        with pytest.raises(errors.SessionInvalid):
            list(client.iter_query("GLJOURNAL", ["SYMBOL"], page_size=1))
        emu.admin.set_faults("", seed=None)
        assert list(client.iter_query("GLJOURNAL", ["SYMBOL"], page_size=1))
        assert client.usage.session_logins >= 3


def test_sign_in_refusals_are_named(emu: Any) -> None:
    with rest_client(emu, secret="wrong") as client, pytest.raises(errors.ClientRefused):
        list(client.iter_query("GLJOURNAL", ["SYMBOL"]))
    with rest_client(emu, client_id="rogue0000000.INTACCT.app.sage.com", secret="rogue-client-secret") as client, \
            pytest.raises(errors.AppNotAuthorized):
        list(client.iter_query("GLJOURNAL", ["SYMBOL"]))


def test_nothing_goes_to_an_endpoint_outside_the_allow_list(emu: Any) -> None:
    creds = RestCredentials(emu.client_id, emu.client_secret, "helping-hands", "ws_bridge")
    with pytest.raises(errors.EndpointNotAllowed):
        RestClient(creds, ClientConfig(endpoint=emu.rest_base_url, allowed_endpoints=("https://api.intacct.com",)))


def test_throttling_and_server_errors_are_retried_with_the_same_keys(emu: Any, income_accounts: list[str]) -> None:
    debit, credit = income_accounts[:2]
    emu.admin.set_faults("rate429=0.3,error503=0.2,drop_after_commit=0.2", seed=11)
    functions = [fn.Create("GLBATCH", entry(debit, credit, f"flt-{i}"), controlid=f"flt-{i}") for i in range(20)]
    with rest_client(emu, max_retries=12) as client:
        outcomes = client.execute_many(functions)
    emu.admin.set_faults("", seed=None)
    with rest_client(emu) as client:
        assert references(client, "flt-") == sorted(f"flt-{i}" for i in range(20))  # each exactly once
    assert all(o.ok or isinstance(o, errors.IntacctError) for o in outcomes)


def test_reads_answer_as_on_the_xml_side(emu: Any, creds: Any) -> None:
    """The same pull readers over both wires give the same values (stock totals, customers, AR invoices)."""
    from intacct_bridge.intacct import IntacctClient
    from intacct_bridge.intacct.pulls import invoices_changed, stock_levels

    with IntacctClient(creds, ClientConfig(endpoint=emu.url)) as xml, rest_client(emu) as rest:
        assert sorted(stock_levels(rest), key=repr) == sorted(stock_levels(xml), key=repr)
        assert stock_levels(rest, "TSHIRT") == stock_levels(xml, "TSHIRT")
        assert list(invoices_changed(rest)) == list(invoices_changed(xml))
        fields = ["CUSTOMERID", "NAME", "STATUS", "DISPLAYCONTACT.FIRSTNAME"]
        assert list(rest.iter_query("CUSTOMER", fields, order_by=["CUSTOMERID"], page_size=2)) == \
            list(xml.iter_query("CUSTOMER", fields, order_by=["CUSTOMERID"], page_size=2))


def test_a_write_with_no_rest_shape_fails_alone_with_the_way_out(emu: Any, income_accounts: list[str]) -> None:
    from intacct_bridge.intacct.legacy import CreateArPayment

    debit, credit = income_accounts[:2]
    legacy = CreateArPayment({"customerid": "CUST-0001", "paymentamount": Decimal("1.00"), "paymentmethod": "Cash",
                              "datereceived": date(2026, 11, 2),
                              "arpaymentitem": [{"invoicekey": "1", "amount": Decimal("1.00")}]}, controlid="lp-1")
    with rest_client(emu) as client:
        refused, posted = client.execute_many([legacy, fn.Create("GLBATCH", entry(debit, credit, "so-je"),
                                                                 controlid="so-je")])
    assert isinstance(refused, errors.BusinessRuleError) and "XML API" in str(refused) and posted.ok


def _sales(reference: str, controlid: str) -> Any:
    from intacct_bridge.intacct.sales import SalesLine, sales_transaction

    return sales_transaction("Sales Invoice", "CUST-0001", date(2026, 11, 2),
                             [SalesLine("TSHIRT", Decimal("2"), Decimal("10.00"), warehouse_id="WH-MAIN")],
                             controlid=controlid, reference_no=reference, message="rest sale")


@pytest.mark.parametrize("document_id", ["docid", "key"])
def test_sales_invoices_post_over_rest_keyed_as_on_xml_and_a_lost_answer_is_found(emu: Any, creds: Any,
                                                                                   document_id: str) -> None:
    """A sales document answers its DOCID as the XML create does (read back when the answer names only the key);
    one whose answer was lost is found by its reference; the AR invoice it posts is the XML side's."""
    from intacct_bridge.intacct import IntacctClient
    from intacct_bridge.intacct.lookup import find_records

    emu.admin.set_config(rest_document_id=document_id)
    with rest_client(emu) as client, IntacctClient(creds, ClientConfig(endpoint=emu.url)) as xml:
        posted = client.execute(_sales(f"so-{document_id}-1", f"so-{document_id}-1"))
        assert posted.key.startswith("Sales Invoice-")
        xml_posted = xml.execute(_sales(f"so-{document_id}-x", f"so-{document_id}-x"))
        assert xml_posted.key.startswith("Sales Invoice-") and xml_posted.key != posted.key
        emu.admin.set_faults("drop_after_commit=1", seed=1)
        with pytest.raises(errors.AmbiguousOutcome):
            client.execute_many([_sales(f"so-{document_id}-2", f"so-{document_id}-2")])
        emu.admin.set_faults("", seed=None)
        for reader in (client, xml):
            found = find_records(reader, "SODOCUMENT", "PONUMBER", [f"so-{document_id}-1", f"so-{document_id}-2"],
                                 ["DOCID", "PRRECORDKEY"])
            assert sorted(found) == [f"so-{document_id}-1", f"so-{document_id}-2"]
            assert found[f"so-{document_id}-1"]["DOCID"] == posted.key
        invoices = find_records(xml, "ARINVOICE", "RECORDNO", [found[f"so-{document_id}-1"]["PRRECORDKEY"]],
                                ["TOTALENTERED", "CUSTOMERID"])
        assert [(r["TOTALENTERED"], r["CUSTOMERID"]) for r in invoices.values()] == [("20.00", "CUST-0001")]


@pytest.mark.parametrize("wire", ["xml", "rest"])
def test_a_payment_applying_an_open_credit_memo_posts_on_either_wire_and_a_lost_answer_is_found(
        emu: Any, creds: Any, wire: str) -> None:
    """Money and an open credit memo applied to one invoice (ADJUSTMENTKEY / arAdjustment): the same balances,
    and a payment whose answer was lost is found by its DOCNUMBER, never sent under a new key."""
    from intacct_bridge.intacct import IntacctClient
    from intacct_bridge.intacct.lookup import find_records
    from intacct_bridge.intacct.receivables import Application, ArLine, adjustment, invoice, payment

    on = date(2026, 11, 3)
    with IntacctClient(creds, ClientConfig(endpoint=emu.url)) as xml, rest_client(emu) as rest:
        client = rest if wire == "rest" else xml
        key = client.execute(invoice("CUST-0006", on, [ArLine("4200", Decimal("40.00"))], due_date=on,
                                     controlid=f"cr-inv-{wire}")).key
        credit = client.execute(adjustment("CUST-0006", on, [ArLine("4200", Decimal("-25.00"))],
                                           controlid=f"cr-adj-{wire}")).key
        pay = payment("CUST-0006", on, [Application(key, Decimal("15.00"), credit_recordno=credit,
                                                    credit_amount=Decimal("25.00"))],
                      undeposited_account="1100", reference=f"cr-pay-{wire}", controlid=f"cr-pay-{wire}")
        emu.admin.set_faults("drop_after_commit=1", seed=1)
        with pytest.raises(errors.AmbiguousOutcome):
            client.execute(pay)
        emu.admin.set_faults("", seed=None)
        for reader in (xml, rest):
            assert list(find_records(reader, "ARPYMT", "DOCNUMBER", [f"cr-pay-{wire}"])) == [f"cr-pay-{wire}"]
            invoice_row = find_records(reader, "ARINVOICE", "RECORDNO", [key], ["STATE", "TOTALDUE"])[key]
            assert (invoice_row["STATE"], Decimal(invoice_row["TOTALDUE"])) == ("Paid", Decimal("0.00"))
            assert find_records(reader, "ARADJUSTMENT", "RECORDNO", [credit], ["STATE"])[credit]["STATE"] == "Paid"


@pytest.mark.parametrize("mode", ["composite", "batch"])
def test_usage_counts_what_intacct_bills_and_the_emulator_agrees_on_both_wires(emu: Any, creds: Any,
                                                                              income_accounts: list[str],
                                                                              mode: str) -> None:
    """12 entries posted, then sent again under the same keys (replayed in replay mode): the emulator bills 12 on
    either wire, and the REST client counts what was billed (replays are free, composite subrequests too)."""
    from intacct_bridge.intacct import IntacctClient

    debit, credit = income_accounts[:2]
    emu.admin.set_config(idempotency_mode="replay")
    billed: dict[str, tuple[int, int]] = {}
    for wire in ("xml", "rest"):
        functions = [fn.Create("GLBATCH", entry(debit, credit, f"use-{mode}-{wire}-{i}"),
                               controlid=f"use-{mode}-{wire}-{i}") for i in range(12)]
        emu.admin.reset_usage()
        client = rest_client(emu, rest_writes=mode) if wire == "rest" else IntacctClient(
            creds, ClientConfig(endpoint=emu.url))
        with client:
            assert all(o.ok for o in client.execute_many(functions))
            assert all(o.ok for o in client.execute_many(functions))
            if wire == "rest":
                assert client.usage.api_transactions == 12
        usage = emu.admin.usage()["helping-hands"]
        billed[wire] = (usage.get("api_transactions", 0), usage.get("duplicates", 0))
    assert billed["xml"] == (12, 12)
    assert billed["rest"] == (12, 12 if mode == "composite" else 1)   # a batch is replayed as one request


def test_a_rest_boolean_reads_as_the_gateway_spells_it():
    """JSON `false` must read as the XML gateway's "false", not Python's "False" (reconciliation compares them)."""
    from intacct_bridge.intacct.rest_shapes import object_for, row_of

    row = row_of(object_for("ITEM"), ["ITEMID", "TAXABLE"], {"id": "NS-1", "isTaxable": False})
    assert row == {"ITEMID": "NS-1", "TAXABLE": "false"}
    assert row_of(object_for("ITEM"), ["TAXABLE"], {"isTaxable": True}) == {"TAXABLE": "true"}
