"""The console's lists: sort by column, page size, previous/next with "x–y of N", filters, streamed CSV exports."""

from __future__ import annotations

import csv
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
