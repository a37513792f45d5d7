"""The console's lists: sort by column, page size, previous/next with "x–y of N", filters, streamed CSV exports."""

from __future__ import annotations

import csv
import re
import io

import pytest

from web_helpers import action, console_client, make_workspace, sign_in


@pytest.fixture
def browser(store, operator):
    with console_client(store, operator) as client:
        yield client


def _seed(ws, count: int = 12) -> None:
    body = [action(n, amount=f"{n * 10}.00", type="ticket" if n % 3 == 0 else "donation",
                   happened_at=f"2026-10-{n:02d}T12:00:00Z") for n in range(1, count + 1)]
    assert ws.post(ws.ws("/actions/bulk"), json={"actions": body}).status_code == 200


def _ids(html: str) -> list[str]:
    return [part.split("<", 1)[0] for part in html.split('/actions/')[1:] if part[:1].isdigit() and '">A-' in part
            for part in [part.split('">', 1)[1]]]


def test_actions_sort_page_and_count(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    _seed(ws)
    sign_in(browser)
    first = browser.get(f"/w/{ws.slug}/actions", params={"sort": "amount", "dir": "desc", "size": 5})
    assert first.status_code == 200
    assert "1–5 of 12 actions" in first.text and "Page 1 of 3" in first.text
    assert _ids(first.text) == ["A-00012", "A-00011", "A-00010", "A-00009", "A-00008"]
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    last = browser.get(f"/w/{ws.slug}/actions", params={"sort": "amount", "dir": "desc", "size": 5, "page": 3})
    assert "11–12 of 12 actions" in last.text and _ids(last.text) == ["A-00002", "A-00001"]
    assert 'rel="prev"' in last.text and 'rel="next"' not in last.text
    # the header link of the sorted column reverses it and keeps the page size
    assert "sort=amount&amp;dir=asc&amp;size=5" in first.text
    assert browser.get(f"/w/{ws.slug}/actions", params={"sort": "nonsense"}).status_code == 422


def test_actions_filters_by_date_amount_type_and_status(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    _seed(ws)
    sign_in(browser)
    page = browser.get(f"/w/{ws.slug}/actions", params={"from": "2026-10-03", "to": "2026-10-09", "min": "40",
                                                         "max": "90", "type": "ticket", "status": "unposted"})
    assert _ids(page.text) == ["A-00006", "A-00009"] and "1–2 of 2 actions" in page.text
    # the export link carries the same filters
    assert "/actions.csv?" in page.text and "type=ticket" in page.text
    assert "0–0 of 0" in browser.get(f"/w/{ws.slug}/actions", params={"status": "posted"}).text


def test_actions_csv_export_streams_every_page_with_the_filters(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    _seed(ws)
    ws.post(ws.ws("/actions"), json=action(99, summary="=HYPERLINK(\"http://evil.example\")", amount="-5.00"))
    sign_in(browser)
    export = browser.get(f"/w/{ws.slug}/actions.csv", params={"sort": "amount", "dir": "asc", "size": 5})
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [r["external_id"] for r in rows][:3] == ["A-00099", "A-00001", "A-00002"] and len(rows) == 13
    assert rows[0]["amount"] == "-5.00" and rows[0]["summary"].startswith("'=HYPERLINK")
    tickets = browser.get(f"/w/{ws.slug}/actions.csv", params={"type": "ticket"})
    assert [r["external_id"] for r in csv.DictReader(io.StringIO(tickets.content.decode("utf-8-sig")))] == [
        "A-00003", "A-00006", "A-00009", "A-00012"]


def _run(store, workspace_id: int, status: str, *, dry_run: bool = False, day: int = 1, posted: int = 0):
    from datetime import UTC, datetime

    from intacct_bridge.store.models import SyncRun

    with store.write_session() as session:
        run = SyncRun(workspace_id=workspace_id, status=status, trigger="manual", dry_run=dry_run, posted=posted,
                      started_at=datetime(2026, 10, day, 9, tzinfo=UTC), finished_at=datetime(2026, 10, day, 10,
                                                                                             tzinfo=UTC))
        session.add(run)
        session.flush()
        return run.id


def test_runs_filter_sort_page_and_export(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    ids = [_run(store, ws.workspace_id, "succeeded", day=d, posted=d) for d in range(1, 8)]
    dry = _run(store, ws.workspace_id, "halted", dry_run=True, day=9)
    sign_in(browser)
    page = browser.get(f"/w/{ws.slug}/runs", params={"size": 3})
    assert "1–3 of 8 runs" in page.text and f"#{dry}<" in page.text
    halted = browser.get(f"/w/{ws.slug}/runs", params={"status": "halted"})
    assert "1–1 of 1 runs" in halted.text
    dated = browser.get(f"/w/{ws.slug}/runs", params={"from": "2026-10-02", "to": "2026-10-03", "kind": "sync",
                                                      "sort": "posted", "dir": "asc"})
    assert "1–2 of 2 runs" in dated.text and dated.text.index(f"#{ids[1]}<") < dated.text.index(f"#{ids[2]}<")
    export = browser.get(f"/w/{ws.slug}/runs.csv", params={"kind": "sync", "sort": "posted", "dir": "desc"})
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [int(r["id"]) for r in rows] == list(reversed(ids)) and rows[0]["status"] == "succeeded"


def test_errors_export_follows_the_filters(browser, store):
    from intacct_bridge.store.models import ReviewFlag

    ws = make_workspace(browser, store, "Alpha Org")
    _seed(ws, 3)
    with store.write_session() as session:
        for record_id, cls in ((1, "validation"), (2, "closed_period")):
            session.add(ReviewFlag(workspace_id=ws.workspace_id, record_kind="journal_entry", record_id=record_id,
                                   action_id=record_id, kind="invalid" if cls == "validation" else "rejected",
                                   error_class=cls, reasons=[{"field": "account.DR", "message": "no DR account"}]))
    sign_in(browser)
    everything = browser.get(f"/w/{ws.slug}/errors.csv")
    rows = list(csv.DictReader(io.StringIO(everything.content.decode("utf-8-sig"))))
    assert [r["record_id"] for r in rows] == ["1", "2"] and rows[0]["reasons"] == "account.DR: no DR account"
    closed = browser.get(f"/w/{ws.slug}/errors.csv", params={"class": "closed_period"})
    assert [r["record_id"] for r in csv.DictReader(io.StringIO(closed.content.decode("utf-8-sig")))] == ["2"]
    assert "/errors.csv?" in browser.get(f"/w/{ws.slug}/errors").text


def test_errors_page_is_paged_with_a_count(browser, store):
    from intacct_bridge.store.models import ReviewFlag

    ws = make_workspace(browser, store, "Alpha Org")
    with store.write_session() as session:
        for record_id in range(1, 8):
            session.add(ReviewFlag(workspace_id=ws.workspace_id, record_kind="invoice", record_id=record_id,
                                   kind="rejected", error_class="closed_period", reasons=[{"message": "closed"}]))
    sign_in(browser)
    first = browser.get(f"/w/{ws.slug}/errors", params={"size": 5}).text
    assert "1–5 of 7 errors" in first and first.count('name="error_ids"') == 5
    second = browser.get(f"/w/{ws.slug}/errors", params={"size": 5, "page": 2}).text
    assert "6–7 of 7 errors" in second and second.count('name="error_ids"') == 2


def test_errors_page_sorts_filters_by_day_and_exports_what_it_shows(browser, store):
    from datetime import UTC, datetime

    from intacct_bridge.store.models import ReviewFlag

    ws = make_workspace(browser, store, "Alpha Org")
    with store.write_session() as session:
        for record_id, tries, day in ((1, 3, 2), (2, 1, 5), (3, 2, 9), (4, 5, 20)):
            session.add(ReviewFlag(workspace_id=ws.workspace_id, record_kind="invoice", record_id=record_id,
                                   kind="rejected", error_class="closed_period", attempts=tries,
                                   updated_at=datetime(2026, 10, day, 12, tzinfo=UTC), reasons=[{"message": "x"}]))
    sign_in(browser)
    base = f"/w/{ws.slug}/errors"

    def records(text: str) -> list[str]:
        return [part.split('"', 1)[0] for part in text.split(f'href="/w/{ws.slug}/invoices/')[1:]]

    by_tries = browser.get(base, params={"sort": "tries", "dir": "desc"}).text
    assert records(by_tries) == ["4", "1", "3", "2"] and 'aria-sort="descending"' in by_tries
    dated = browser.get(base, params={"from": "2026-10-03", "to": "2026-10-09", "sort": "tries", "dir": "asc",
                                      "size": 25}).text
    assert records(dated) == ["2", "3"] and "1–2 of 2 errors" in dated
    assert 'name="from" value="2026-10-03"' in dated
    export = re.search(r'href="([^"]*/errors\.csv\?[^"]*)" download', dated).group(1).replace("&amp;", "&")
    assert "from=2026-10-03" in export and "sort=tries" in export
    rows = list(csv.DictReader(io.StringIO(browser.get(export).content.decode("utf-8-sig"))))
    assert [r["record_id"] for r in rows] == ["2", "3"]
    assert browser.get(base, params={"sort": "nope"}).status_code == 422


def test_an_empty_date_field_of_a_filter_form_means_any_day(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    _seed(ws, 3)
    sign_in(browser)
    for path in ("actions", "runs", "errors"):
        shown = browser.get(f"/w/{ws.slug}/{path}", params={"from": "", "to": ""})
        assert shown.status_code == 200, (path, shown.text)
    assert browser.get(f"/w/{ws.slug}/actions", params={"from": "someday"}).status_code == 422


def test_an_empty_field_of_a_filter_form_means_no_bound(browser, store):
    """A real browser sends every field of the filter form, the empty ones too (`min=&max=&from=&to=`)."""
    ws = make_workspace(browser, store, "Alpha Org")
    _seed(ws, 3)
    sign_in(browser)
    blank = {"q": "", "status": "", "type": "", "from": "", "to": "", "min": "", "max": ""}
    for path in ("actions", "invoices", "payments", "bills", "customers"):
        shown = browser.get(f"/w/{ws.slug}/{path}", params=blank)
        assert shown.status_code == 200, (path, shown.text[:500])
    assert browser.get(f"/w/{ws.slug}/actions", params={**blank, "min": "lots"}).status_code == 422
    assert browser.get(f"/w/{ws.slug}/actions", params={**blank, "min": "1e20"}).status_code == 422
    assert browser.get(f"/w/{ws.slug}/payments", params={**blank, "max": "lots"}).status_code == 422
