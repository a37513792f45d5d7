"""The dashboard: money posted per account, fund and period (server-drawn SVG), the next scheduled sync, the setup
checklist ticked from real state, and counts that link to their filtered lists."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from pydantic import SecretStr

from intacct_bridge.crypto import SecretBox
from intacct_bridge.store.models import IntacctValue, Posting, SyncRun
from intacct_bridge.store.repositories.connections import record_test_result, save_connection
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.sync.overview import checklist, next_sync, posted_totals
from intacct_bridge.web.scheduler import read_schedules
from web_helpers import action, console_client, make_workspace, sign_in


@pytest.fixture
def browser(store, operator):
    with console_client(store, operator) as client:
        yield client


def _posting(session, ws_id: int, n: int, day: date, amount: str, debit: str, credit: str, fund: str | None):
    dims = {"GLDIMFUND": fund} if fund else {}
    session.add(Posting(workspace_id=ws_id, record_kind="journal_entry", record_id=n, generation=0,
                        controlid=f"c{n}", reference_no=f"r{n}", state="posted", amount=Decimal(amount),
                        posting_date=day, intacct_recordno=str(100 + n), request_summary={
                            "date": day.isoformat(), "amount": amount, "lines": [
                                {"account": debit, "side": "debit", "amount": amount, "dimensions": dims},
                                {"account": credit, "side": "credit", "amount": amount, "dimensions": dims}]}))


def _seed_postings(store, ws):
    ids = [ws.post(ws.ws("/actions"), json=action(n)).json()["id"] for n in (1, 2, 3)]
    with store.write_session() as session:
        _posting(session, ws.workspace_id, ids[0], date(2026, 9, 30), "100.00", "1000", "4000", "F01")
        _posting(session, ws.workspace_id, ids[1], date(2026, 10, 2), "250.00", "1000", "4100", "F02")
        _posting(session, ws.workspace_id, ids[2], date(2026, 10, 5), "50.00", "1010", "4000", "F01")
        session.add(Posting(workspace_id=ws.workspace_id, record_kind="invoice", record_id=7, generation=0,
                            controlid="inv7", reference_no="inv7", state="posted", amount=Decimal("80.00"),
                            posting_date=date(2026, 10, 9), request_summary={"number": "I-7", "total": "80.00"}))


def test_posted_totals_per_account_fund_and_period(store, client):
    ws = make_workspace(client, store, "Alpha Org")
    _seed_postings(store, ws)
    with store.write_session() as session:
        update_settings(session, ws.workspace_id, SettingsChange(custom_object="FUND", custom_gl_field="GLDIMFUND",
                                                                 custom_label="Fund"))
    with store.session() as session:
        totals = posted_totals(session, ws.workspace_id)
    assert [(b.label, b.amount) for b in totals.by_period] == [("2026-09", Decimal("100.00")),
                                                              ("2026-10", Decimal("380.00"))]
    assert [(b.label, b.detail, b.amount) for b in totals.by_account][:3] == [
        ("1000", "debit", Decimal("350.00")), ("4100", "credit", Decimal("250.00")),
        ("4000", "credit", Decimal("150.00"))]
    assert [(b.label, b.amount) for b in totals.by_fund] == [("F02", Decimal("250.00")), ("F01", Decimal("150.00"))]
    assert totals.records == 4 and totals.total == Decimal("480.00") and totals.fund_label == "Fund"


def test_dashboard_draws_the_charts_and_links_every_count(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    _seed_postings(store, ws)
    sign_in(browser)
    html = browser.get(f"/w/{ws.slug}").text
    chart = html[html.index('id="posted"'):]
    assert "<svg" in chart and "2026-10" in chart and "380.00" in chart and "1000 DR" in chart
    widths = [float(w) for w in re.findall(r'class="chart-bar[^"]*"|width="([\d.]+)" height="20"', chart) if w]
    assert max(widths) == 300.0 and min(widths) > 0
    for link in ("/actions?status=unposted", "/actions?status=posted", "/actions?status=failed", "/review"):
        assert f'href="/w/{ws.slug}{link}"' in html
    assert "No schedule" in html


def test_next_sync_comes_from_the_schedule(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    with store.write_session() as session:
        update_settings(session, ws.workspace_id, SettingsChange(schedule_time=time(2, 30),
                                                                 timezone="America/New_York"))
    schedule = read_schedules(store, ws.workspace_id)[0]
    moment = next_sync(schedule, datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    assert moment.isoformat() == "2026-12-02T02:30:00-05:00"
    sign_in(browser)
    shown = browser.get(f"/w/{ws.slug}").text
    assert re.search(r'class="next-sync">\s*\d{4}-\d\d-\d\d 02:30', shown) and "America/New_York" in shown


def test_setup_checklist_follows_the_real_state(browser, store, operator):
    ws = make_workspace(browser, store, "Alpha Org")
    with store.session() as session:
        assert [s.done for s in checklist(session, ws.workspace_id)] == [False] * 5
    sign_in(browser)
    first = browser.get(f"/w/{ws.slug}").text
    assert "0 of 5 done" in first and f'href="/w/{ws.slug}/settings#cred-h">Connect to Sage Intacct' in first
    box = SecretBox.from_settings(operator)
    with store.write_session() as session:
        save_connection(session, ws.workspace_id, box, company_id="helping-hands", user_id="ws_bridge",
                        password=SecretStr("pw"))
        record_test_result(session, ws.workspace_id, True, "ok")
        session.add(IntacctValue(workspace_id=ws.workspace_id, object_name="GLACCOUNT", value_id="1000", name="Cash"))
    assert "4 of 5 done" in browser.get(f"/w/{ws.slug}").text
    with store.write_session() as session:
        session.add(SyncRun(workspace_id=ws.workspace_id, status="halted", dry_run=True,
                            started_at=datetime(2026, 10, 1, tzinfo=UTC)))
    assert 'id="setup"' not in browser.get(f"/w/{ws.slug}").text
