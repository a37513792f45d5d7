"""Fixtures for the client's tests over real HTTP against the emulator (127.0.0.1, a free port)."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from intacct_helpers import fast_config

from intacct_bridge.intacct import ClientConfig, Credentials, IntacctClient, query as q


@pytest.fixture(scope="module")
def emu() -> Iterator[Any]:
    """One emulator per test module (starting one costs ~0.3 s and a CPU share)."""
    from intacct_emulator.harness import start_emulator

    with start_emulator(seed="demo", concurrency=2) as running:
        yield running


@pytest.fixture(autouse=True)
def calm(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts and ends with faults off and the default knobs."""
    if "emu" not in request.fixturenames:
        yield
        return
    emu = request.getfixturevalue("emu")
    emu.admin.set_faults("", seed=None)
    yield
    emu.admin.set_faults("", seed=None)
    emu.admin.set_config(latency_ms=0, per_function_ms=0, concurrency=2, idempotency_mode="reject",
                         session_minutes=30, result_set_minutes=15, rest_document_id="docid",
                         rest_credit_detail="arAdjustment", rest_gl_setup_path="general-ledger/setup")


@pytest.fixture(scope="module")
def creds(emu: Any) -> Credentials:
    return Credentials.from_env(emu.credentials)


@pytest.fixture
def client(emu: Any, creds: Credentials) -> Iterator[IntacctClient]:
    with IntacctClient(creds, fast_config(emu)) as c:
        yield c


@pytest.fixture(scope="module")
def income_accounts(emu: Any) -> list[str]:
    """Active 4000-range accounts that require no dimension, read from the emulator (not hard-coded)."""
    with IntacctClient(Credentials.from_env(emu.credentials), ClientConfig(endpoint=emu.url)) as c:
        rows = list(c.iter_query("GLACCOUNT", ["ACCOUNTNO", "STATUS", "REQUIREDEPT", "REQUIRELOC", "REQUIRECLASS"],
                                 filter=q.like("ACCOUNTNO", "4%") & q.eq("STATUS", "active")))
    accounts = [r["ACCOUNTNO"] for r in rows
                if not any(r.get(f) == "true" for f in ("REQUIREDEPT", "REQUIRELOC", "REQUIRECLASS"))]
    assert accounts, "the demo seed should have income accounts without required dimensions"
    return accounts