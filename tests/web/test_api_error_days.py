"""The error queue filtered by the days an error last failed, over REST and the Python API (the console's
Errors page takes the same `from`/`to`, tests/web/test_console_lists.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from intacct_bridge.api import Bridge
from intacct_bridge.store.models import ReviewFlag
from web_helpers import console_client, make_workspace


@pytest.fixture
def client(store, emu_operator):
    with console_client(store, emu_operator) as test_client:
        yield test_client


def test_errors_are_filtered_by_the_days_they_last_failed(client, store, emu_operator):
    ws = make_workspace(client, store, "Alpha Org")
    with store.write_session() as session:
        for record_id, day in ((1, 2), (2, 5), (3, 9)):
            session.add(ReviewFlag(workspace_id=ws.workspace_id, record_kind="invoice", record_id=record_id,
                                   kind="rejected", error_class="closed_period",
                                   updated_at=datetime(2026, 10, day, 12, tzinfo=UTC), reasons=[{"message": "x"}]))
    listed = ws.get(ws.ws("/errors"), params={"from": "2026-10-03", "to": "2026-10-05"})
    assert listed.status_code == 200, listed.text
    assert [i["record_id"] for i in listed.json()["items"]] == [2]
    assert ws.get(ws.ws("/errors"), params={"from": "yesterday"}).status_code == 422
    bridge = Bridge(store, ws.workspace_id, emu_operator)
    assert [i.record_id for i in bridge.errors(date_from=date(2026, 10, 5))] == [2, 3]
    assert [i.record_id for i in bridge.errors(date_to=date(2026, 10, 4))] == [1]
