"""`/healthz` and `/metrics`: open to monitoring, naming what fails, counting what the store and the client did."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from intacct_bridge.settings import OperatorSettings
from intacct_bridge.web.app import create_app
from web_helpers import FAST_CLIENT, connect_to_emulator, make_workspace


def test_healthz_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "store": "ok"}


def test_healthz_names_an_unreachable_broker(store, operator, monkeypatch):
    monkeypatch.setenv("INTACCT_BRIDGE_BROKER_URL", "redis://127.0.0.1:9/0")  # nothing listens there
    with TestClient(create_app(store=store, operator=OperatorSettings())) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "store": "ok", "broker": "failing: ConnectionError"}
    assert "127.0.0.1:9" not in response.text


@pytest.mark.redis
def test_healthz_and_metrics_with_a_broker(store, operator, redis_url, monkeypatch):
    monkeypatch.setenv("INTACCT_BRIDGE_BROKER_URL", redis_url)
    monkeypatch.setenv("INTACCT_BRIDGE_BROKER_NAMESPACE", "ib-test-healthz")
    with TestClient(create_app(store=store, operator=OperatorSettings())) as client:
        assert client.get("/healthz").json()["broker"] == "ok"
        assert "intacct_bridge_queue_depth 0.0" in client.get("/metrics").text


def test_metrics_count_runs_postings_and_requests(store, emu, emu_operator):
    with TestClient(create_app(store=store, operator=emu_operator, client_options=FAST_CLIENT)) as client:
        api = make_workspace(client, store, "Helping Hands")
        connect_to_emulator(api, emu)
        started = api.post(api.ws("/runs"), json={})
        assert started.status_code == 202 and started.json()["queued"] is False
        assert api.wait_for_run(started.json()["run_id"])["status"] == "succeeded"
        metrics = client.get("/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    lines = metrics.text.splitlines()
    assert 'intacct_bridge_runs{status="succeeded"} 1.0' in lines
    requests = next(line for line in lines if line.startswith("intacct_bridge_intacct_request_seconds_count"))
    assert float(requests.split()[-1]) > 0  # the run's requests to Intacct were measured
    assert "intacct_bridge_limiter_wait_seconds" in metrics.text


def test_metrics_count_waiting_errors_by_class_and_leave_resolved_ones_out(store, operator):
    from datetime import UTC, datetime

    from intacct_bridge.store.models import ReviewFlag

    with TestClient(create_app(store=store, operator=operator)) as client:
        api = make_workspace(client, store, "Helping Hands")
        with store.write_session() as session:
            for record_id, error_class, resolved in ((1, "closed_period", None), (2, "closed_period", None),
                                                     (3, "rate_limit", None), (4, "rate_limit", datetime.now(UTC))):
                session.add(ReviewFlag(record_kind="invoice", record_id=record_id, workspace_id=api.workspace_id,
                                       kind="rejected", reasons=[], error_class=error_class, resolved_at=resolved))
        lines = client.get("/metrics").text.splitlines()
    assert 'intacct_bridge_errors{class="closed_period"} 2.0' in lines
    assert 'intacct_bridge_errors{class="rate_limit"} 1.0' in lines
