"""Retry decisions, backoff, the adaptive limiter, batching plans, pagers, usage and secret hygiene."""

from __future__ import annotations

import random
import threading
import time

import pytest

from intacct_bridge.intacct import ClientConfig, Credentials, IntacctClient, errors, functions as fn, query as q
from intacct_bridge.intacct.batching import assemble, plan
from intacct_bridge.intacct.concurrency import AdaptiveLimit, ThreadLimiter
from intacct_bridge.intacct.envelope import LoginAuth, build_request
from intacct_bridge.intacct.pagination import QueryPager, ReadByQueryPager
from intacct_bridge.intacct.protocol import Post, match_results
from intacct_bridge.intacct.responses import Response, Result
from intacct_bridge.intacct.retry import Reach, RetryPolicy, reach_of
from intacct_bridge.intacct.session import Session
from intacct_bridge.intacct.transport import RawResponse
from intacct_bridge.intacct.usage import UsageStats, billable


def transient(status=None, sent=True):
    return errors.TransientServerError("http", description="x", http_status=status, request_sent=sent)


RATE = errors.RateLimited("control", "GW-0010", "Rate limit exceeded", http_status=429)
BAD = errors.BadCredentials("authentication", "XL03000006", "Sign-in information is incorrect")


class TestRetryPolicy:
    policy = RetryPolicy(max_retries=3, base=0.5, cap=4.0, throttle_pause=1.0, rng=random.Random(1))

    def test_reach(self):
        assert reach_of(transient(sent=False)) is Reach.NOT_SENT
        assert reach_of(RATE) is Reach.REFUSED and reach_of(transient(503)) is Reach.REFUSED
        for status in (500, 502, 524, 200, None):
            assert reach_of(transient(status)) is Reach.MAYBE_APPLIED

    def test_reads_always_retry_transient_failures(self):
        for err in (transient(500), transient(524), transient(sent=False), RATE):
            d = self.policy.decide(err, 0, has_writes=False, uniqueid=False)
            assert d.retry and not d.ambiguous

    def test_permanent_errors_never_retry(self):
        assert not self.policy.decide(BAD, 0, has_writes=False, uniqueid=False).retry

    def test_writes_with_uniqueid_retry_ambiguous_failures(self):
        d = self.policy.decide(transient(524), 0, has_writes=True, uniqueid=True)
        assert d.retry and d.ambiguous

    def test_writes_without_uniqueid_stop_once_the_gateway_may_have_them(self):
        for status in (500, 502, 524, None):
            d = self.policy.decide(transient(status), 0, has_writes=True, uniqueid=False)
            assert not d.retry and d.ambiguous
        # ...but may go again when the gateway certainly did nothing
        for err in (RATE, transient(503), transient(sent=False)):
            d = self.policy.decide(err, 0, has_writes=True, uniqueid=False)
            assert d.retry and not d.ambiguous

    def test_retry_budget(self):
        assert not self.policy.decide(transient(500), 3, has_writes=False, uniqueid=False).retry
        assert self.policy.decide(transient(500), 3, has_writes=True, uniqueid=True).ambiguous

    def test_retry_after_is_honoured_up_to_the_cap(self):
        err = errors.RateLimited("control", "GW-0010", http_status=429)
        err.retry_after = 3.0
        assert self.policy.decide(err, 0, has_writes=False, uniqueid=False).delay >= 3.0
        err.retry_after = 3600.0
        assert self.policy.decide(err, 0, has_writes=False, uniqueid=False).delay <= 4.0

    def test_full_jitter_bounds_and_throttle_floor(self):
        delays = [self.policy.backoff(n) for n in range(8) for _ in range(50)]
        assert all(0 <= d <= 4.0 for d in delays) and max(delays) > 2.0
        assert all(self.policy.decide(RATE, 0, has_writes=False, uniqueid=False).delay >= 1.0 for _ in range(20))


class TestAdaptiveLimit:
    def test_starts_at_maximum_halves_on_throttle_and_grows_back(self):
        now = [0.0]
        limit = AdaptiveLimit(4, increase_after=3, pause=2.0, clock=lambda: now[0])
        assert limit.limit == 4 and limit.wait_time() == 0
        limit.start()
        limit.finish(throttled=True)
        assert limit.limit == 2 and limit.wait_time() == pytest.approx(2.0)
        now[0] = 2.5
        assert limit.wait_time() == 0
        for _ in range(3):
            limit.start(); limit.finish(False)
        assert limit.limit == 3
        for _ in range(30):
            limit.start(); limit.finish(False)
        assert limit.limit == 4  # never above the configured maximum
        for _ in range(5):
            limit.start(); limit.finish(True)
        assert limit.limit == 1  # never below one

    def test_threads_never_exceed_the_limit(self):
        limiter = ThreadLimiter(AdaptiveLimit(3))
        active, peak = [0], [0]
        guard = threading.Lock()

        def work():
            with limiter.slot():
                with guard:
                    active[0] += 1
                    peak[0] = max(peak[0], active[0])
                time.sleep(0.005)
                with guard:
                    active[0] -= 1

        threads = [threading.Thread(target=work) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert peak[0] == 3 and limiter.limit.in_flight == 0


class TestBatchingAndPaging:
    def test_plan_splits_and_checks(self):
        fns = [fn.Lookup("X", controlid=str(i)) for i in range(250)]
        assert [len(c) for c in plan(fns, 100, False)] == [100, 100, 50]
        with pytest.raises(ValueError, match="transaction"):
            plan(fns, 100, True)
        with pytest.raises(ValueError, match="twice"):
            plan([fn.Lookup("X", controlid="a"), fn.Lookup("Y", controlid="a")], 100, False)

    def test_nothing_to_send_sends_nothing(self):
        client = IntacctClient(Credentials("s", "p", "c", "u", "p"), ClientConfig(endpoint="http://127.0.0.1:9/x"))
        assert client.execute_many([]) == [] and client.usage.requests == 0
        client.close()

    def test_assemble_keeps_order_and_attaches_partial_results(self):
        chunks = [["a"], ["b", "c"]]
        err = transient(500)
        with pytest.raises(errors.TransientServerError) as info:
            assemble(chunks, [["A"], err])
        assert info.value.results == ["A", None, None]
        assert assemble(chunks, [["A"], ["B", "C"]]) == ["A", "B", "C"]

    def test_query_pager_steps_offset(self):
        pager = QueryPager("CLASS", ["CLASSID"], page_size=2)
        first = pager.first()
        assert first.offset == 0
        page = Result("success", "query", "q", records=[{"CLASSID": "1"}, {"CLASSID": "2"}], data_attrs={"numremaining": "1"})
        assert pager.records(page) == page.records
        assert pager.next(page).offset == 2
        last = Result("success", "query", "q", records=[{"CLASSID": "3"}], data_attrs={"numremaining": "0"})
        pager.records(last)
        assert pager.next(last) is None

    def test_read_by_query_pager_restarts_and_skips_what_was_delivered(self):
        pager = ReadByQueryPager("CLASS", page_size=2)
        assert isinstance(pager.first(), fn.ReadByQuery)
        page1 = Result("success", "readByQuery", "r", records=[{"N": "1"}, {"N": "2"}],
                       data_attrs={"numremaining": "3", "resultId": "R1"})
        assert pager.records(page1) == page1.records
        assert pager.next(page1).result_id == "R1"
        expired = errors.ResultSetExpired("result", "readMore failed")
        again = pager.restart(expired)
        assert isinstance(again, fn.ReadByQuery) and again.query == ""  # no RECORDNO: from the top
        page1_again = Result("success", "readByQuery", "r", records=[{"N": "1"}, {"N": "2"}],
                             data_attrs={"numremaining": "3", "resultId": "R2"})
        assert pager.records(page1_again) == []
        more = Result("success", "readMore", "r", records=[{"N": "3"}, {"N": "4"}], data_attrs={"numremaining": "1", "resultId": "R2"})
        assert pager.records(more) == more.records
        for _ in range(2):  # one restart already happened above
            pager.restart(expired)
        with pytest.raises(errors.ResultSetExpired):
            pager.restart(expired)

    def test_read_by_query_pager_resumes_after_the_last_recordno(self):
        pager = ReadByQueryPager("CLASS", query=q.eq("STATUS", "active"), page_size=2)
        page = Result("success", "readByQuery", "r", records=[{"RECORDNO": "7"}, {"RECORDNO": "9"}],
                      data_attrs={"numremaining": "5", "resultId": "R1"})
        pager.records(page)
        resumed = pager.restart(errors.ResultSetExpired("result", "readMore failed"))
        assert resumed.query == "(STATUS = 'active') AND RECORDNO > 9"
        fresh = Result("success", "readByQuery", "r", records=[{"RECORDNO": "10"}], data_attrs={"numremaining": "0"})
        assert pager.records(fresh) == fresh.records and pager.delivered == 3


def test_a_function_the_answer_left_out_fails_with_what_to_do():
    sent, left_out = fn.Lookup("A", controlid="a"), fn.Lookup("B", controlid="b")
    response = Response("success", "req", "false", None, [Result("success", "lookup", "a")])
    answered, missing = match_results([sent, left_out], response, maybe_applied=False)
    assert answered.ok and missing.controlid == "b" and not missing.ok
    assert "Fix: send it again with the same control ID" in str(missing.error())


class TestUsage:
    def test_billing_rules(self):
        ok = lambda f: Result("success", f.name, f.controlid)  # noqa: E731
        create = fn.Create("CLASS", [{"CLASSID": "1"}, {"CLASSID": "2"}])
        assert billable(create, ok(create)) == 2
        assert billable(fn.Delete("CLASS", [1, 2, 3]), ok(create)) == 3
        assert billable(fn.ReadByQuery("CLASS"), ok(create)) == 1
        assert billable(fn.GetAPISession(), ok(create)) == 0
        inv = fn.CreateInvoice({"customerid": "C", "datecreated": "01/01/2025", "invoiceitems": [{"amount": "1"}]})
        assert billable(inv, ok(inv)) == 1
        assert billable(create, Result("failure", "create", create.controlid)) == 1
        assert billable(create, Result("success", "create", create.controlid, already_applied=True)) == 1

    def test_results_are_counted_per_function_and_every_counter_is_in_the_snapshot(self):
        usage = UsageStats()
        create, read = fn.Create("CLASS", [{"CLASSID": "1"}, {"CLASSID": "2"}]), fn.ReadByName("CLASS", keys=["1"])
        usage.count_results([create, read], [Result("success", "create", create.controlid),
                                             Result("failure", "readByName", read.controlid)])
        usage.add(retries=2)
        assert usage.snapshot() == {"api_transactions": 3, "requests": 0, "retries": 2, "wait_seconds": 0.0,
                                    "backoff_seconds": 0.0, "throttled": 0, "session_logins": 0}

    def test_counters_are_thread_safe(self):
        usage = UsageStats()
        threads = [threading.Thread(target=lambda: [usage.add(requests=1) for _ in range(1000)]) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert usage.requests == 4000


class TestSecretsStayHidden:
    def test_reprs(self):
        creds = Credentials("sender", "S3NDER-PW", "acme", "user", "US3R-PW", "E1")
        client = IntacctClient(creds, ClientConfig(endpoint="http://127.0.0.1:9/x"))
        session = Session("SESSION-ID-XYZ", "http://e", None)
        for text in (repr(creds), str(creds), repr(client), repr(session), repr(ClientConfig())):
            assert "S3NDER-PW" not in text and "US3R-PW" not in text and "SESSION-ID-XYZ" not in text
        client.close()

    def test_request_and_answer_bodies_stay_out_of_reprs(self):
        """The effects a flow yields, and the raw answers, can end up in tracebacks and debug logs."""
        creds = Credentials("sender", "S3NDER-PW", "acme", "user", "US3R-PW")
        login = build_request(creds, LoginAuth(creds), [fn.GetAPISession()], uniqueid=False)
        answer = RawResponse(200, "text/xml", b"<sessionid>SESSION-ID-XYZ</sessionid>")
        assert b"US3R-PW" in login  # the body does carry them...
        for text in (repr(Post("http://e", login)), repr(answer)):
            assert "S3NDER-PW" not in text and "US3R-PW" not in text and "SESSION-ID-XYZ" not in text  # ...its repr not
