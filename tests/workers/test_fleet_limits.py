"""Eight workers in two processes sync twenty workspaces that share three Intacct companies (limit 2 each): the
emulator, which refuses and counts every request over a company's limit, counts none."""

from __future__ import annotations

import pytest

from intacct_bridge.sync.sample_fleet import prepare_fleet
from intacct_bridge.workers.queue import RunQueue
from worker_helpers import settled, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
COMPANIES = ["fleet-01", "fleet-02", "fleet-03"]
WORKSPACES, ACTIONS = 20, 4


def test_eight_workers_never_exceed_a_company_s_limit(fleet_emu, scale_operator, scale_store, workers):
    fleet = prepare_fleet(scale_store, scale_operator, fleet_emu.credentials, COMPANIES, WORKSPACES, ACTIONS)
    fleet_emu.admin.set_config(latency_ms=40)  # requests overlap: 8 runs at once on 3 companies of 2 slots
    fleet_emu.admin.reset_usage()
    queue = RunQueue(scale_operator)
    for workspace_id in fleet:
        queue.enqueue(workspace_id, trigger="queue")
    workers.start(processes=2, threads=4)
    wait_for("every workspace to be synced", lambda: settled(scale_store, list(fleet)), 180, workers)

    usage = fleet_emu.admin.usage()
    assert {company: usage[company]["concurrency_violations"] for company in COMPANIES} == dict.fromkeys(COMPANIES, 0)
    assert sum(usage[company]["requests"] for company in COMPANIES) > WORKSPACES  # every run went to Intacct
    for company in COMPANIES:
        references = fleet_emu.admin.references(company, prefix="ib-")
        sharing = sum(1 for owner in fleet.values() if owner == company)
        assert len(references) == sharing * ACTIONS and max(references.values()) == 1
