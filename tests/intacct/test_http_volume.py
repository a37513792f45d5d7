"""Volume over real HTTP: 10,000+ records paged both ways, adaptive concurrency, exactly-once under faults."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal

import pytest
from intacct_helpers import COMPANY, fast_config, journal_entry, ledger_references

from intacct_bridge.intacct import AsyncIntacctClient, IntacctClient, errors, functions as fn

TOTAL_CLASSES = 10_050
ALL_FAULTS = ("error500=0.04,error502=0.04,error503=0.04,html_error=0.04,rate429=0.04,"
              "error500_after_commit=0.04,drop_after_commit=0.04,timeout524=0.04,session_expiry=0.04")


@pytest.fixture(scope="module")
def many_classes(emu, creds):
    """10,050 CLASS records created through the client itself, 100 per function, in batches."""
    # generous read timeout: a request carries 500 records and the team shares two CPU cores
    with IntacctClient(creds, fast_config(emu, batch_size=5, timeout=60.0)) as c:
        functions = [fn.Create("CLASS", [{"CLASSID": f"VOL-{i:05d}", "NAME": f"Volume class {i}", "STATUS": "active"}
                                         for i in range(start, min(start + 100, TOTAL_CLASSES))])
                     for start in range(0, TOTAL_CLASSES, 100)]
        outcomes = c.execute_many(functions)
        assert all(o.ok for o in outcomes)  # retried requests may answer already_applied: the iterators count
    return {f"VOL-{i:05d}" for i in range(TOTAL_CLASSES)}


def test_iter_query_pages_ten_thousand_records(emu, client, many_classes):
    requests_before = client.usage.requests
    seen = [row["CLASSID"] for row in client.iter_query("CLASS", ["RECORDNO", "CLASSID"], order_by=["RECORDNO"],
                                                        page_size=2000)]
    assert len(seen) == len(set(seen)) and many_classes <= set(seen)
    pages = client.usage.requests - requests_before - client.usage.session_logins
    assert pages == -(-len(seen) // 2000)


def test_iter_read_by_query_pages_ten_thousand_records(emu, client, many_classes):
    rows = client.iter_read_by_query("CLASS", "CLASSID LIKE 'VOL-%'", ["CLASSID"], page_size=1000)
    seen = [row["CLASSID"] for row in rows]
    assert len(seen) == len(set(seen)) == len(many_classes) and set(seen) == many_classes


@pytest.mark.parametrize("fields, expected_pages", [
    (["CLASSID"], 11 + 1 + 3),             # 11 pages, the refused readMore, 3 pages read again and skipped
    (["RECORDNO", "CLASSID"], 3 + 1 + 8),  # resumes after the last RECORDNO: nothing is read twice
])
def test_read_by_query_restarts_when_the_result_set_expires(emu, client, many_classes, fields, expected_pages):
    emu.admin.set_config(result_set_minutes=0.03)  # 1.8 s
    before = client.usage.requests - client.usage.session_logins
    seen = []
    for row in client.iter_read_by_query("CLASS", "CLASSID LIKE 'VOL-%'", fields, page_size=1000):
        seen.append(row["CLASSID"])
        if len(seen) == 2500:
            time.sleep(2.5)  # the result set expires while the caller is busy
    assert len(seen) == len(set(seen)) == len(many_classes)
    assert client.usage.requests - client.usage.session_logins - before == expected_pages


def test_async_iterators_page_the_same_records(emu, creds, many_classes):
    async def collect():
        async with AsyncIntacctClient(creds, fast_config(emu)) as c:
            by_query = [r["CLASSID"] async for r in c.iter_query("CLASS", ["CLASSID"], order_by=["RECORDNO"])]
            by_rbq = [r["CLASSID"] async for r in c.iter_read_by_query("CLASS", "CLASSID LIKE 'VOL-%'", "CLASSID")]
            return by_query, by_rbq

    by_query, by_rbq = asyncio.run(collect())
    assert many_classes <= set(by_query) and len(by_query) == len(set(by_query))
    assert set(by_rbq) == many_classes and len(by_rbq) == len(many_classes)


def test_concurrency_stays_within_the_gateway_limit(emu, creds, income_accounts):
    emu.admin.set_config(latency_ms=20, concurrency=2)
    emu.admin.reset_usage()
    entries = [journal_entry(f"CONC-{i:04d}", Decimal("1.00"), income_accounts[i % len(income_accounts)])
               for i in range(400)]
    with IntacctClient(creds, fast_config(emu, batch_size=10, max_concurrency=2)) as c:
        outcomes = c.execute_many(entries)
        assert c.limiter.limit.peak_in_flight == 2  # it did run requests side by side
        assert c.usage.throttled == 0 and c.concurrency_limit == 2
    assert all(o.ok for o in outcomes)
    usage = emu.admin.usage()[COMPANY]
    assert usage["concurrency_violations"] == 0 and usage["requests"] == c.usage.requests == 41
    assert usage["api_transactions"] == c.usage.api_transactions == 400  # the client bills as the gateway does


def test_concurrency_adapts_down_when_the_gateway_allows_less(emu, creds):
    emu.admin.set_config(latency_ms=20, concurrency=1)
    reads = [fn.ReadByName("GLACCOUNT", keys=["1000"]) for _ in range(120)]
    with IntacctClient(creds, fast_config(emu, batch_size=2, max_concurrency=4, increase_after=1000)) as c:
        outcomes = c.execute_many(reads, uniqueid=False)
        assert all(o.ok for o in outcomes)
        assert c.usage.throttled >= 1 and c.concurrency_limit < 4


def post_exactly_once(emu, creds, entries, **config):
    """Post entries under faults; a request that still fails is resent later with the same controlids."""
    pending = list(entries)
    outcomes = {}
    with IntacctClient(creds, fast_config(emu, max_retries=8, **config)) as c:
        for _ in range(5):
            if not pending:
                break
            try:
                results = c.execute_many(pending)
            except errors.IntacctError as err:  # AmbiguousOutcome etc.: keep what is known, resend the rest
                results = err.results
            for entry, result in zip(pending, results):
                if result is not None:
                    outcomes[entry.controlid] = result
            pending = [e for e in pending if e.controlid not in outcomes]
        return outcomes, c.usage


@pytest.mark.parametrize("mode", ["reject", "replay"])
def test_exactly_once_under_every_fault(emu, creds, income_accounts, mode):
    emu.admin.set_config(idempotency_mode=mode)
    emu.admin.set_faults(ALL_FAULTS, seed=42 if mode == "reject" else 43)
    prefix = f"EXO-{mode}-"
    entries = [journal_entry(f"{prefix}{i:04d}", Decimal("10.00") + i, income_accounts[i % len(income_accounts)])
               for i in range(1000)]
    outcomes, usage = post_exactly_once(emu, creds, entries, batch_size=25)
    emu.admin.set_faults("")
    assert len(outcomes) == 1000 and all(o.ok for o in outcomes.values())
    assert usage.retries > 0
    if mode == "reject":
        assert any(o.already_applied for o in outcomes.values())
    references = ledger_references(emu, prefix)
    assert len(references) == 1000 and len(set(references)) == 1000
    assert emu.admin.usage()[COMPANY]["faults_injected"] > 0


def test_one_client_shared_by_threads_signs_in_once(emu, creds):
    from concurrent.futures import ThreadPoolExecutor

    emu.admin.set_config(latency_ms=10, concurrency=2)
    emu.admin.reset_usage()
    with IntacctClient(creds, fast_config(emu, max_concurrency=2)) as c:
        with ThreadPoolExecutor(max_workers=8) as pool:
            rows = list(pool.map(lambda _: c.execute(fn.ReadByName("GLACCOUNT", keys=["1000"])).records[0], range(40)))
        assert c.usage.session_logins == 1 and c.limiter.limit.peak_in_flight == 2
    assert all(r["ACCOUNTNO"] == "1000" for r in rows)
    assert emu.admin.usage()[COMPANY]["concurrency_violations"] == 0


def test_two_clients_of_one_company_share_a_limiter(emu, creds):
    from concurrent.futures import ThreadPoolExecutor

    emu.admin.set_config(latency_ms=10, concurrency=2)
    emu.admin.reset_usage()
    with IntacctClient(creds, fast_config(emu)) as first, \
            IntacctClient(creds, fast_config(emu), limiter=first.limiter) as second:
        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(lambda i: (first, second)[i % 2].execute(fn.ReadByName("GLACCOUNT", keys=["1000"])),
                                    range(30)))
        assert first.limiter.limit.peak_in_flight == 2 and first.concurrency_limit == second.concurrency_limit == 2
    assert all(r.ok for r in results)
    assert emu.admin.usage()[COMPANY]["concurrency_violations"] == 0


def test_async_client_exactly_once_under_faults_within_the_limit(emu, creds, income_accounts):
    emu.admin.set_config(latency_ms=10, concurrency=2)
    emu.admin.reset_usage()
    emu.admin.set_faults(ALL_FAULTS, seed=44)
    prefix = "EXO-async-"
    entries = [journal_entry(f"{prefix}{i:04d}", Decimal("3.00"), income_accounts[0]) for i in range(300)]

    async def post():
        async with AsyncIntacctClient(creds, fast_config(emu, batch_size=10, max_retries=10)) as c:
            outcomes = await c.execute_many(entries)
            return outcomes, c.limiter.limit.peak_in_flight, c.usage

    outcomes, peak, usage = asyncio.run(post())
    emu.admin.set_faults("")
    assert all(o.ok for o in outcomes) and usage.retries > 0 and peak == 2
    assert sorted(ledger_references(emu, prefix)) == sorted(e.records["REFERENCENO"] for e in entries)
    assert emu.admin.usage()[COMPANY]["concurrency_violations"] == 0
