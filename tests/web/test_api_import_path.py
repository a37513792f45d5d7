"""The import path over the API (issue 14): every error of every record of every kind in one answer, a
preview that writes nothing, the CSV templates, one spelling of the constituent, messages without class names;
and a run's entries found already posted after a lost answer, on its page and in the API."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from intacct_bridge.store.models import Action, Constituent, Customer
from web_helpers import action, console_client, make_workspace, sign_in


@pytest.fixture
def alpha(two_workspaces):
    return two_workspaces[0]


@pytest.fixture
def browser(store, operator):
    with console_client(store, operator) as client:
        yield client


def count(store, model, workspace_id: int) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(model.workspace_id == workspace_id))


def test_a_bulk_request_reports_every_error_of_every_kind_of_every_record(alpha, store):
    records = [action(1), action(2, amount="12.345"), action(3, campaigns=["No Such Campaign"]), action(1),
               action(5, colour="red"), action(6, campaigns=[999_999]), action(7, happened_at=None), "not an object"]
    response = alpha.post(alpha.ws("/actions/bulk"), json={"actions": records})
    assert response.status_code == 422
    found = [(p["index"], p["field"]) for p in response.json()["detail"]]
    assert found == [(1, "amount"), (2, "campaigns"), (3, "external_id"), (4, "colour"), (5, "campaigns"),
                     (6, "happened_at"), (7, None)]
    messages = " ".join(p["msg"] for p in response.json()["detail"])
    assert "ActionIn" not in messages and "instance of" not in messages and "Value error" not in messages
    assert count(store, Action, alpha.workspace_id) == 0 and count(store, Constituent, alpha.workspace_id) == 0


def test_every_kind_of_record_reports_form_and_content_problems_together(alpha, store):
    customers = [{"external_id": "C-1", "name": "Ada"}, {"external_id": "C-2", "name": "Bo", "emial": "x"},
                 {"external_id": "C-1", "name": "Ada again"}]
    response = alpha.post(alpha.ws("/customers/bulk"), json={"customers": customers})
    assert response.status_code == 422
    assert [(p["index"], p["field"]) for p in response.json()["detail"]] == [(1, "emial"), (2, "external_id")]
    assert count(store, Customer, alpha.workspace_id) == 0


def test_a_preview_checks_everything_and_writes_nothing(alpha, store):
    batch = {"actions": [action(n) for n in range(1, 4)]}
    previewed = alpha.post(alpha.ws("/actions/bulk?preview=true"), json=batch)
    assert previewed.status_code == 200 and previewed.json() == {"created": 3, "updated": 0, "unchanged": 0}
    assert count(store, Action, alpha.workspace_id) == 0
    bad = alpha.post(alpha.ws("/actions/bulk?preview=true"), json={"actions": [action(1, amount="x")]})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "amount"
    customers = alpha.post(alpha.ws("/customers/bulk?preview=true"), json={"customers": [{"external_id": "C-1"}]})
    assert customers.json()["created"] == 1 and count(store, Customer, alpha.workspace_id) == 0
    assert alpha.post(alpha.ws("/actions/bulk"), json=batch).json()["created"] == 3


@pytest.mark.parametrize("kind", ["actions", "customers", "invoices", "payments", "credit-memos", "vendors",
                                  "items", "bills", "ap-adjustments"])
def test_the_csv_template_of_every_kind(alpha, kind):
    response = alpha.get(alpha.ws(f"/imports/{kind}/template"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert f'filename="{kind}-template.csv"' in response.headers["content-disposition"]
    header, example = list(csv.reader(io.StringIO(response.text)))
    assert header[0] == "external_id" and len(header) == len(example)
    assert alpha.get(alpha.ws("/imports/journal/template")).status_code == 422


def test_the_flat_constituent_spelling_is_an_alias_of_the_nested_one(alpha, store):
    flat = {key: value for key, value in action(1).items() if key != "constituent"}
    response = alpha.post(alpha.ws("/actions"), json={**flat, "constituent_id": "C-9", "constituent_name": "Zoë"})
    assert response.status_code == 201, response.text
    assert response.json()["constituent"]["external_id"] == "C-9" and response.json()["constituent"]["name"] == "Zoë"


def test_a_run_that_found_its_entries_already_posted_says_so_on_its_page_and_in_the_api(browser, store):
    from intacct_bridge.store.models import SyncRun, utcnow

    ws = make_workspace(browser, store, "Gamma Org")
    with store.write_session() as session:
        run = SyncRun(workspace_id=ws.workspace_id, status="succeeded", started_at=utcnow(), finished_at=utcnow(),
                      candidates=3, posted=3, details={"posted": 1, "already_posted": 2})
        session.add(run)
        session.flush()
        run_id = run.id
    shown = ws.get(ws.ws(f"/runs/{run_id}")).json()
    assert (shown["posted"], shown["already_posted"]) == (3, 2)
    assert shown["posted_summary"] == "3 (2 found already in Intacct after a lost answer)"
    sign_in(browser)
    page = browser.get(f"/w/{ws.slug}/runs/{run_id}").text
    assert '<dd id="run-posted">3 (2 found already in Intacct after a lost answer)</dd>' in page
