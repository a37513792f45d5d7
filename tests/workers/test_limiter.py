"""The company gate on real Redis: never more holders than the limit, a dead holder's slot expires with its lease."""

from __future__ import annotations

import threading
import time

import pytest
from dramatiq.rate_limits.backends import RedisBackend

from intacct_bridge.settings import OperatorSettings
from intacct_bridge.workers.limiter import LocalGate, RedisCompanyGate, company_gate, slot_key

pytestmark = pytest.mark.redis


def test_threads_share_the_limit(redis_url, redis_namespace):
    backend = RedisBackend(url=redis_url)
    gates = [RedisCompanyGate(backend, slot_key(redis_namespace, "acme"), 2, 60_000) for _ in range(6)]
    holding, peak, guard = 0, 0, threading.Lock()

    def work(gate: RedisCompanyGate) -> None:
        nonlocal holding, peak
        for _ in range(10):
            with gate.hold():
                with guard:
                    holding += 1
                    peak = max(peak, holding)
                time.sleep(0.005)
                with guard:
                    holding -= 1

    threads = [threading.Thread(target=work, args=(gate,)) for gate in gates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == 2  # reached, never passed
    assert [int(backend.client.get(f"{slot_key(redis_namespace, 'acme')}:{n}")) for n in (0, 1)] == [0, 0]


def test_a_dead_holder_s_slot_expires_with_its_lease_while_the_others_stay_busy(redis_url, redis_namespace):
    backend = RedisBackend(url=redis_url)
    key = slot_key(redis_namespace, "acme")
    gate = RedisCompanyGate(backend, key, 2, lease_ms=400)
    assert backend.add(f"{key}:0", 1, ttl=400)  # a holder that took slot 0 and died
    busy = threading.Event()

    def live_holder() -> None:  # slot 1 taken and given back again and again meanwhile
        while not busy.is_set():
            with gate.hold():
                time.sleep(0.01)

    other = threading.Thread(target=live_holder)
    other.start()
    try:
        started = time.monotonic()
        with gate.hold(), gate.hold():  # both slots: only once the dead holder's lease has run out
            waited = time.monotonic() - started
    finally:
        busy.set()
        other.join()
    assert 0.2 <= waited < 5


def test_without_a_broker_the_gate_is_local(monkeypatch):
    monkeypatch.delenv("INTACCT_BRIDGE_BROKER_URL", raising=False)
    assert isinstance(company_gate(OperatorSettings(), "acme", 2, 40.0), LocalGate)
