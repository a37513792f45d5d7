"""Limits over real HTTP: the per-company concurrency gate (HTTP 429 GW-0010) and latency knobs."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx


def _parallel(wire, bodies: list[bytes]) -> list[httpx.Response]:
    """Post all bodies at once (a barrier releases them together), each on its own connection."""
    barrier = threading.Barrier(len(bodies))

    def post(body: bytes) -> httpx.Response:
        with httpx.Client(timeout=30) as client:
            barrier.wait()
            return client.post(wire.emulator.url, content=body)

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(post, bodies))


def test_requests_over_the_company_limit_get_429_gw0010(wire_for):
    with wire_for(concurrency=1, latency_ms=400) as wire:
        body = wire.envelope([("f", "<getAPISession/>")])
        responses = _parallel(wire, [body] * 4)
        codes = sorted(r.status_code for r in responses)
        assert codes.count(200) >= 1 and codes.count(429) >= 1, codes
        refused = next(r for r in responses if r.status_code == 429)
        assert refused.headers["content-type"].startswith("text/xml")
        assert b"<status>failure</status>" in refused.content
        assert b"<errorno>GW-0010</errorno>" in refused.content
        assert b"Too many concurrent requests for company 'helping-hands' (limit 1)." in refused.content
        usage = wire.admin.usage()["helping-hands"]
        assert usage["concurrency_violations"] == codes.count(429)
        assert usage["requests"] == 4


def test_the_limit_is_per_company(wire_for):
    with wire_for(concurrency=1, latency_ms=400) as wire:
        bodies = [wire.envelope([("f", "<getAPISession/>")], auth=wire.login(company))
                  for company in ("helping-hands", "helping-hands-group")]
        assert [r.status_code for r in _parallel(wire, bodies)] == [200, 200]


def test_session_requests_count_against_their_company(wire_for):
    with wire_for(concurrency=1, latency_ms=400) as wire:
        sessionid = wire.open_session()
        bodies = [wire.envelope([("f", "<getAPISession/>")], auth=wire.session(sessionid)),
                  wire.envelope([("f", "<getAPISession/>")])]
        assert sorted(r.status_code for r in _parallel(wire, bodies)) == [200, 429]


def test_raising_the_limit_at_run_time_lets_parallel_requests_through(wire_for):
    with wire_for(concurrency=1, latency_ms=300) as wire:
        wire.admin.set_config(concurrency=4)
        body = wire.envelope([("f", "<getAPISession/>")])
        assert [r.status_code for r in _parallel(wire, [body] * 4)] == [200] * 4


def test_latency_per_request_and_per_function_is_added(wire_for):
    with wire_for(latency_ms=200, per_function_ms=100) as wire:
        started = time.monotonic()
        wire.call([("f", "<getAPISession/>")])
        assert time.monotonic() - started >= 0.3


def test_latency_does_not_block_the_server(wire_for):
    """While one request sleeps its latency, the admin endpoint still answers first."""
    with wire_for(latency_ms=1500) as wire:
        finished: list[str] = []

        def slow() -> None:
            wire.call([("f", "<getAPISession/>")])
            finished.append("gateway")

        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(0.3)
        wire.admin.config()
        finished.append("admin")
        thread.join()
        assert finished == ["admin", "gateway"]


def test_bad_runtime_settings_are_refused(wire):
    response = httpx.post(wire.emulator.base_url + "/_emulator/config", json={"concurrency": 0})
    assert response.status_code == 400
    assert "concurrency must be >= 1" in response.json()["error"]
    response = httpx.post(wire.emulator.base_url + "/_emulator/config", json={"db": "/tmp/x"})
    assert response.status_code == 400
    assert wire.admin.config()["concurrency"] == 2
