"""The console's order-to-cash pages without a browser: lists and their filters, one record with its review
fixes and run history, Sync this record now, the import form, Settings → Order to cash; sessions, CSRF,
and another workspace's records answering 404."""

from __future__ import annotations

import html
import json
import re
import time

import pytest
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.models import (
    CreditMemo,
    Customer,
    Invoice,
    Payment,
    ReceivablesSettingsRow,
    ReviewFlag,
    RunItem,
    SyncRun,
    utcnow,
)
from intacct_bridge.store.repositories.receivables import load_receivables_settings, update_receivables_settings
from intacct_bridge.sync.sample_load import create_connected_workspace
from web_helpers import console_client, csrf_of, make_workspace, sign_in

SETTINGS = {"revenue_account": "4600", "undeposited_account": "1100", "discount_account": "4600",
            "tax_account": "2600"}
KIND_PATHS = ("customers", "invoices", "payments", "credit-memos")


@pytest.fixture
def browser(store, operator):
    with console_client(store, operator) as client:
        yield client


def load_shop(bridge: Bridge) -> None:
    """Two customers, three invoices (one with shipping, one due before its date), a payment across two
    invoices and a credit memo."""
    bridge.import_customers([
        {"external_id": "shop-1", "name": "Jane Alvarez", "email": "jane@example.org"},
        {"external_id": "shop-2", "name": "Ada Lovelace", "email": "ada@example.org", "phone": "555-0100",
         "bill_to": {"address1": "1 Analytical Way", "city": "London", "country": "UK"}},
    ])
    bridge.import_invoices([
        {"external_id": "o1", "number": "INV-1001", "customer": "shop-1", "date": "2026-11-02",
         "due_date": "2026-12-02", "shipping": "5.00", "discount": "2.00", "tax": "1.50",
         "lines": [{"sku": "TSHIRT", "quantity": "2", "price": "10.00", "gl_account": "4600",
                    "location": "100"}]},
        {"external_id": "o2", "number": "INV-1002", "customer": "shop-2", "date": "2026-11-03",
         "due_date": "2026-12-03",
         "lines": [{"gl_account": "4500", "quantity": "1", "price": "40.00", "description": "Workshop"}]},
        {"external_id": "o3", "number": "INV-1003", "customer": "shop-2", "date": "2026-11-04",
         "due_date": "2026-10-04",
         "lines": [{"gl_account": "4500", "quantity": "1", "price": "30.00", "description": "Workshop 2"}]},
    ])
    bridge.import_payments([
        {"external_id": "p2", "customer": "shop-2", "date": "2026-11-11", "amount": "50.00", "method": "check",
         "reference": "CHK-778", "applications": [{"invoice": "o2", "amount": "30.00"},
                                                  {"invoice": "o3", "amount": "20.00"}]},
    ])
    bridge.import_credit_memos([
        {"external_id": "m1", "number": "CM-1", "customer": "shop-2", "date": "2026-11-12", "invoice": "o2",
         "lines": [{"gl_account": "4500", "amount": "5.00", "description": "Goodwill"}]},
    ])


@pytest.fixture
def shop(browser, store, operator):
    """Workspace Alpha with the shop loaded, and Beta with a customer of its own; signed in."""
    alpha, beta = make_workspace(browser, store, "Alpha Org"), make_workspace(browser, store, "Beta Org")
    load_shop(Bridge(store, alpha.workspace_id, operator))
    Bridge(store, beta.workspace_id, operator).import_customers([{"external_id": "b-1", "name": "Beta Buyer"}])
    sign_in(browser)
    return alpha, beta


def ids(store, model) -> dict[str, int]:
    with store.session() as session:
        return {row.external_id: row.id for row in session.scalars(select(model))}


def flag(store, workspace_id: int, kind: str, record_id: int, reasons: list[dict[str, str]],
         flag_kind: str = "invalid") -> None:
    with store.write_session() as session:
        session.add(ReviewFlag(workspace_id=workspace_id, record_kind=kind, record_id=record_id, kind=flag_kind,
                               reasons=reasons))


def table_rows(page: str, table_id: str) -> list[str]:
    body = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip())
            for row in body.split("<tbody>", 1)[1].split("</tr>")[:-1]]


def test_pages_need_a_session_and_every_form_its_csrf_token(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    for path in (*KIND_PATHS, "customers/1", "settings/order-to-cash"):
        response = browser.get(f"/w/{ws.slug}/{path}")
        assert response.status_code == 303 and response.headers["location"] == f"/login?next=/w/{ws.slug}/{path}"
    sign_in(browser)
    posts = [f"/w/{ws.slug}/settings/order-to-cash"] + [f"/w/{ws.slug}/{p}/{tail}" for p in KIND_PATHS
                                                         for tail in ("import", "1/sync")]
    for path in posts:
        for token in (None, "forged"):
            response = browser.post(path, data={"csrf_token": token} if token else {})
            assert response.status_code == 403, (path, token)
            assert "did not come from this console" in response.text


def test_the_navigation_names_every_kind(shop, browser):
    alpha, _ = shop
    html = browser.get(f"/w/{alpha.slug}/invoices").text
    nav = html.split('aria-label="Workspace"', 1)[1].split("</nav>", 1)[0]
    for label, path in (("Customers", "customers"), ("Invoices", "invoices"), ("Payments", "payments"),
                        ("Credit memos", "credit-memos")):
        assert f'href="/w/{alpha.slug}/{path}"' in nav and label in nav
    assert f'href="/w/{alpha.slug}/invoices" aria-current="page"' in nav


def test_each_list_shows_the_columns_that_matter(shop, browser):
    alpha, _ = shop
    customers = table_rows(browser.get(f"/w/{alpha.slug}/customers").text, "records")
    assert customers == ["shop-1 Jane Alvarez — — unposted", "shop-2 Ada Lovelace — — unposted"]
    invoices = table_rows(browser.get(f"/w/{alpha.slug}/invoices").text, "records")
    # o1: 2 x 10.00 - 2.00 discount + 5.00 shipping + 1.50 tax
    assert invoices[0] == "o1 INV-1001 Jane Alvarez 2026-11-02 24.50 unposted — —"
    assert invoices[1] == "o2 INV-1002 Ada Lovelace 2026-11-03 40.00 unposted — —"
    payments = table_rows(browser.get(f"/w/{alpha.slug}/payments").text, "records")
    assert payments == ["p2 2026-11-11 Ada Lovelace 50.00 INV-1002: 30.00 INV-1003: 20.00 unposted"]
    memos = table_rows(browser.get(f"/w/{alpha.slug}/credit-memos").text, "records")
    assert memos == ["m1 CM-1 Ada Lovelace 2026-11-12 INV-1002 5.00 unposted"]


def test_a_pulled_invoice_shows_its_state_and_balance_in_intacct(shop, browser, store):
    alpha, _ = shop
    with store.write_session() as session:
        invoice = session.scalars(select(Invoice).where(Invoice.external_id == "o2")).one()
        invoice.status, invoice.intacct_key = "posted", "77"
        invoice.intacct_state, invoice.intacct_total_due = "partly_paid", invoice.lines[0].amount - 30
    rows = table_rows(browser.get(f"/w/{alpha.slug}/invoices").text, "records")
    assert rows[1] == "o2 INV-1002 Ada Lovelace 2026-11-03 40.00 posted partly paid 10.00"
    page = browser.get(f"/w/{alpha.slug}/invoices/{ids(store, Invoice)['o2']}").text
    assert "Sync this invoice now" not in page  # posted: nothing to sync
    assert "<dt>Intacct key</dt><dd>77</dd>" in page and "<dt>Balance in Intacct</dt><dd>10.00</dd>" in page


def test_search_status_and_needs_review_filters(shop, browser, store):
    alpha, _ = shop
    invoice_ids = ids(store, Invoice)
    flag(store, alpha.workspace_id, "invoice", invoice_ids["o3"], [{"field": "due_date", "message": "late"}])
    with store.write_session() as session:
        session.scalars(select(Invoice).where(Invoice.external_id == "o1")).one().status = "failed"
    base = f"/w/{alpha.slug}/invoices"

    def listed(query: str) -> list[str]:
        return [row.split()[0] for row in table_rows(browser.get(base + query).text, "records")]

    assert listed("?q=inv-1002") == ["o2"]
    assert listed("?q=nothing-like-it") == ["No"]
    assert listed("?status=failed") == ["o1"]
    assert listed("?status=unposted") == ["o2", "o3"]
    assert listed("?status=bogus") == ["o1", "o2", "o3"]  # an unknown status is "Any"
    assert listed("?review=true") == ["o3"]
    assert listed("?review=true&status=failed") == ["No"]
    page = browser.get(base + "?review=true").text
    assert "1–1 of 1 invoices" in page and 'class="flagged"' in page and "needs review" in page
    assert 'name="review" value="true" checked' in page


def test_lists_page_sort_and_filter_by_date_and_amount(shop, browser, store, operator):
    alpha, _ = shop
    Bridge(store, alpha.workspace_id, operator).import_customers(
        [{"external_id": f"c-{n:03d}", "name": f"Customer {n}"} for n in range(1, 53)])
    sign_in(browser)
    first = browser.get(f"/w/{alpha.slug}/customers?q=customer").text
    assert "1–50 of 52 customers" in first and len(table_rows(first, "records")) == 50
    second = browser.get(f"/w/{alpha.slug}/customers?q=customer&page=2").text
    assert [row.split()[0] for row in table_rows(second, "records")] == ["c-051", "c-052"]
    assert "51–52 of 52 customers" in second and 'rel="prev"' in second and 'rel="next"' not in second
    newest = browser.get(f"/w/{alpha.slug}/invoices?sort=date&dir=desc").text
    assert [row.split()[0] for row in table_rows(newest, "records")][:3] == ["o3", "o2", "o1"]
    dated = browser.get(f"/w/{alpha.slug}/invoices?from=2026-11-03&to=2026-11-03").text
    assert [row.split()[0] for row in table_rows(dated, "records")] == ["o2"]
    priced = browser.get(f"/w/{alpha.slug}/payments?min=1000").text
    assert "0–0 of 0 payments" in priced


def test_an_invoice_shows_every_field_its_lines_and_why_it_needs_review(shop, browser, store):
    alpha, _ = shop
    o1 = ids(store, Invoice)["o1"]
    page = browser.get(f"/w/{alpha.slug}/invoices/{o1}").text
    for fact in ("<dt>Number</dt><dd>INV-1001</dd>", "<dt>Date</dt><dd>2026-11-02</dd>",
                 "<dt>Due</dt><dd>2026-12-02</dd>", "<dt>Discount</dt><dd>2.00</dd>",
                 "<dt>Shipping</dt><dd>5.00</dd>", "<dt>Tax</dt><dd>1.50</dd>", "<dt>Total</dt><dd>24.50</dd>",
                 "<dt>Status</dt><dd>unposted</dd>", "<dt>Intacct key</dt><dd>—</dd>"):
        assert fact in page, fact
    assert table_rows(page, "lines") == ["1 TSHIRT 4600 2 10.00 20.00 location 100"]
    assert table_rows(page, "history") == ["No run has considered it yet."]
    # No shipping account is set: the next sync would hold it, and the fix is a setting, linked.
    review = page.split('id="review"', 1)[1].split("</section>", 1)[0]
    assert "The next sync will hold it back" in review and "set the shipping GL account" in review
    assert f'href="/w/{alpha.slug}/settings/order-to-cash#shipping_account"' in review
    assert f'action="/w/{alpha.slug}/invoices/{o1}/sync"' in page and "Sync this invoice now" in page


def test_a_held_record_shows_each_reason_with_the_fix_that_fits(shop, browser, store):
    alpha, _ = shop
    o3 = ids(store, Invoice)["o3"]
    flag(store, alpha.workspace_id, "invoice", o3, [
        {"field": "due_date", "message": "due date 2026-10-04 is before the invoice date 2026-11-04: correct one "
                                         "of them"},
        {"field": "deposit_to", "message": "payments go to a bank account, but none is set: set bank_account in "
                                           "the order-to-cash settings"}])
    review = browser.get(f"/w/{alpha.slug}/invoices/{o3}").text.split('id="review"', 1)[1].split("</section>")[0]
    assert "held: invalid" in review and "Needs review" in review
    assert "Correct due_date in your system and import the invoice again" in review
    assert f'href="/w/{alpha.slug}/settings/order-to-cash#bank_account"' in review
    with store.write_session() as session:
        session.execute(ReviewFlag.__table__.delete())
    o2 = ids(store, Invoice)["o2"]
    flag(store, alpha.workspace_id, "invoice", o2,
         [{"field": "(intacct)", "message": "BL03000018: The period is closed for AR"}], flag_kind="rejected")
    review = browser.get(f"/w/{alpha.slug}/invoices/{o2}").text.split('id="review"', 1)[1].split("</section>")[0]
    assert "rejected by Intacct" in review
    assert "Intacct said: <q>BL03000018: The period is closed for AR</q>" in review
    assert "fix it in Intacct" in review and "order-to-cash#" not in review
    # o2 passes every check now: the flag is old news, and the page says so.
    assert "passes every check" not in review  # only said of invalid flags


def test_a_stale_invalid_flag_says_the_record_now_passes(shop, browser, store):
    alpha, _ = shop
    o2 = ids(store, Invoice)["o2"]
    flag(store, alpha.workspace_id, "invoice", o2, [{"field": "lines[0].gl_account", "message": "line 1 has "
                                                     "neither an item nor a GL account: give one, or set a default "
                                                     "revenue account in the order-to-cash settings"}])
    review = browser.get(f"/w/{alpha.slug}/invoices/{o2}").text.split('id="review"', 1)[1].split("</section>")[0]
    assert "#revenue_account" in review and "passes every check: sync it" in review


def test_a_payment_shows_its_applications_and_a_customer_its_contact(shop, browser, store):
    alpha, _ = shop
    payment = browser.get(f"/w/{alpha.slug}/payments/{ids(store, Payment)['p2']}").text
    assert table_rows(payment, "applications") == ["INV-1002 30.00 unposted — —", "INV-1003 20.00 unposted — —"]
    for fact in ("<dt>Amount</dt><dd>50.00</dd>", "<dt>Method</dt><dd>check <span class=\"muted\">(Printed Check in Intacct)</span></dd>",
                 "<dt>Reference</dt><dd>CHK-778</dd>", "<dt>Deposit to</dt><dd>as the settings say</dd>"):
        assert fact in payment, fact
    customer_id = ids(store, Customer)["shop-2"]
    assert f'href="/w/{alpha.slug}/customers/{customer_id}">Ada Lovelace</a>' in payment
    customer = browser.get(f"/w/{alpha.slug}/customers/{customer_id}").text
    for fact in ("<dt>Email</dt><dd>ada@example.org</dd>", "<dt>Phone</dt><dd>555-0100</dd>",
                 "<dt>Bill to</dt><dd>1 Analytical Way, London, UK</dd>", "<dt>CUSTOMERID</dt><dd>—</dd>"):
        assert fact in customer, fact
    memo = browser.get(f"/w/{alpha.slug}/credit-memos/{ids(store, CreditMemo)['m1']}").text
    assert table_rows(memo, "lines") == ["1 — 4500 Goodwill 5.00"]
    assert "<dt>Total</dt><dd>5.00</dd>" in memo and ">INV-1002</a>" in memo


def test_run_history_is_the_records_own_newest_first(shop, browser, store):
    alpha, _ = shop
    o2 = ids(store, Invoice)["o2"]
    with store.write_session() as session:
        runs = [SyncRun(workspace_id=alpha.workspace_id, status=RunStatus.COMPLETED_WITH_ERRORS.value,
                        started_at=utcnow()) for _ in range(2)]
        session.add_all(runs)
        session.flush()
        session.add_all([
            RunItem(run_id=runs[0].id, record_kind="invoice", record_id=o2, outcome="waiting",
                    message="waits for customer 'shop-2'"),
            RunItem(run_id=runs[1].id, record_kind="invoice", record_id=o2, outcome="failed",
                    message="BL03000018: The period is closed"),
            RunItem(run_id=runs[1].id, record_kind="customer", record_id=o2, outcome="posted"),  # same id, other kind
        ])
        first, second = runs[0].id, runs[1].id
    history = table_rows(browser.get(f"/w/{alpha.slug}/invoices/{o2}").text, "history")
    assert [row.split()[0] for row in history] == [f"#{second}", f"#{first}"]
    assert history[0].endswith("failed BL03000018: The period is closed")
    assert history[1].endswith("waiting waits for customer 'shop-2'")
    log = table_rows(browser.get(f"/w/{alpha.slug}/runs/{second}").text, "run-items")
    assert log == ["o2 invoice failed BL03000018: The period is closed",
                   f"{_external_of(store, o2)} customer posted"]
    run_page = browser.get(f"/w/{alpha.slug}/runs/{second}").text
    assert f'href="/w/{alpha.slug}/invoices/{o2}">o2</a>' in run_page


def _external_of(store, customer_id: int) -> str:
    with store.session() as session:
        return session.get(Customer, customer_id).external_id


def test_another_workspaces_records_answer_404(shop, browser, store):
    alpha, beta = shop
    theirs = ids(store, Customer)["b-1"]
    response = browser.get(f"/w/{alpha.slug}/customers/{theirs}")
    assert response.status_code == 404 and "no customer" in response.text
    assert browser.get(f"/w/{beta.slug}/customers/{theirs}").status_code == 200
    for path in KIND_PATHS:
        assert browser.get(f"/w/{alpha.slug}/{path}/999999").status_code == 404
    token = csrf_of(browser, f"/w/{alpha.slug}/customers")
    sync = browser.post(f"/w/{alpha.slug}/customers/{theirs}/sync", data={"csrf_token": token})
    assert sync.status_code == 404
    assert browser.get(f"/w/{alpha.slug}/customers/0").status_code == 422
    assert browser.get("/w/no-such-workspace/invoices").status_code == 404


def test_sync_now_without_a_connection_says_what_to_do(shop, browser, store):
    alpha, _ = shop
    o1 = ids(store, Invoice)["o1"]
    token = csrf_of(browser, f"/w/{alpha.slug}/invoices/{o1}")
    response = browser.post(f"/w/{alpha.slug}/invoices/{o1}/sync", data={"csrf_token": token})
    assert response.status_code == 409 and 'role="alert"' in response.text
    assert "not connected to Sage Intacct yet" in response.text and "intacct-bridge connect" not in response.text


def test_import_a_csv_and_a_json_lines_file(browser, store, operator):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}/customers")
    customers = "external_id,name,email\nk-1,Kim,kim@example.org\nk-2,Lee,\n"
    response = browser.post(f"/w/{ws.slug}/customers/import", data={"csrf_token": token},
                            files={"file": ("customers.csv", customers.encode(), "text/csv")})
    assert response.status_code == 303
    assert response.headers["location"] == f"/w/{ws.slug}/customers?done=imported&created=2&updated=0&unchanged=0"
    assert "Imported: 2 created, 0 updated, 0 unchanged." in browser.get(response.headers["location"]).text
    invoices = "\n".join(json.dumps(row) for row in [
        {"external_id": "i-1", "customer": "k-1", "date": "2026-11-02",
         "lines": [{"gl_account": "4600", "quantity": "1", "price": "12.50"}]},
        {"external_id": "i-2", "customer": "k-2", "date": "2026-11-03",
         "lines": [{"gl_account": "4600", "quantity": "2", "price": "3.00"}]}])
    response = browser.post(f"/w/{ws.slug}/invoices/import", data={"csrf_token": token, "format": "jsonl"},
                            files={"file": ("orders.txt", invoices.encode(), "text/plain")})
    assert response.status_code == 303 and "created=2" in response.headers["location"]
    lines = "\n".join(["external_id,customer_external_id,date,amount,method,invoice_external_id,applied_amount",
                       "pay-1,k-1,2026-11-05,12.50,card,i-1,12.50"])
    response = browser.post(f"/w/{ws.slug}/payments/import", data={"csrf_token": token},
                            files={"file": ("payments.csv", lines.encode(), "text/csv")})
    assert response.status_code == 303 and "created=1" in response.headers["location"]
    again = browser.post(f"/w/{ws.slug}/customers/import", data={"csrf_token": token},
                         files={"file": ("customers.csv", customers.encode(), "text/csv")})
    assert again.headers["location"].endswith("created=0&updated=0&unchanged=2")


def test_an_import_with_bad_rows_names_line_and_field_and_imports_nothing(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}/invoices")
    bad = "\n".join(["external_id,customer_external_id,date,line_gl_account,line_quantity,line_unit_price",
                     "i-1,nobody,2026-11-02,4600,1,10.00",
                     "i-2,nobody,not-a-date,4600,1,10.00"])
    response = browser.post(f"/w/{ws.slug}/invoices/import", data={"csrf_token": token},
                            files={"file": ("orders.csv", bad.encode(), "text/csv")})
    assert response.status_code == 422 and "Nothing was imported." in response.text
    # a table: line, the field in words, what to fix
    assert re.search(r'<tr><td class="num">3</td><td>[A-Za-z ]*date', response.text), response.text
    assert '<tr><td class="num">2</td>' in response.text  # the unknown customer
    with store.session() as session:
        assert session.scalars(select(Invoice)).all() == []
    unknown = browser.post(f"/w/{ws.slug}/invoices/import", data={"csrf_token": token},
                           files={"file": ("orders.xlsx", b"x", "application/octet-stream")})
    assert unknown.status_code == 422 and "choose CSV or JSON lines" in unknown.text
    not_utf8 = browser.post(f"/w/{ws.slug}/customers/import", data={"csrf_token": token},
                            files={"file": ("c.csv", "external_id,name\nk,Zoë\n".encode("utf-16"), "text/csv")})
    assert not_utf8.status_code == 422 and "not UTF-8" in not_utf8.text
    broken = browser.post(f"/w/{ws.slug}/customers/import", data={"csrf_token": token},
                          files={"file": ("c.jsonl", b'{"external_id": "k-1"}\n{oops\n', "application/x-ndjson")})
    assert broken.status_code == 422 and "<tr><td class=\"num\">2</td><td>(line)</td><td>not valid JSON" in broken.text


def settings_form(token: str, **changes: str) -> dict[str, str]:
    form = {"csrf_token": token, "customer_match": "name", "catch_all_customer_id": "", "customer_id_prefix": "C-",
            "invoice_mode": "ar_invoice", "transaction_definition": "Sales Invoice", "revenue_account": "4600",
            "discount_account": "", "discount_item": "", "shipping_account": "4500", "shipping_item": "",
            "tax_mode": "line", "tax_account": "2600", "tax_item": "", "ar_account": "", "deposit_mode": "undeposited",
            "undeposited_account": "1100", "bank_account": "", "gate_journal_entries": "halt",
            "gate_customers": "hold", "gate_invoices": "hold", "gate_payments": "hold", "gate_credit_memos": "hold"}
    form.update(changes)
    return form


def test_order_to_cash_settings_show_the_defaults_and_save(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    page = browser.get(f"/w/{ws.slug}/settings/order-to-cash").text
    assert 'name="customer_match" value="name" checked' in page
    assert 'name="invoice_mode" value="ar_invoice" checked' in page
    assert 'id="customer_id_prefix" name="customer_id_prefix" maxlength="10" value="C-"' in page
    assert 'name="gate_journal_entries" value="halt" checked' in page and 'name="gate_invoices" value="hold" checked' in page
    with store.session() as session:  # showing the form wrote nothing
        assert session.get(ReceivablesSettingsRow, ws.workspace_id) is None
    assert f'href="/w/{ws.slug}/settings/order-to-cash"' in browser.get(f"/w/{ws.slug}/settings").text
    token = csrf_of(browser, f"/w/{ws.slug}/settings/order-to-cash")
    saved = browser.post(f"/w/{ws.slug}/settings/order-to-cash", data=settings_form(
        token, customer_match="catch_all", catch_all_customer_id=" CUST-0001 ", invoice_mode="sales_invoice",
        transaction_definition="Shop Invoice", tax_mode="amount", deposit_mode="bank", bank_account="BOA",
        gate_invoices="halt"))
    assert saved.status_code == 303 and saved.headers["location"] == f"/w/{ws.slug}/settings/order-to-cash?saved=true"
    with store.session() as session:
        settings = load_receivables_settings(session, ws.workspace_id)
    assert (settings.customer_match.value, settings.catch_all_customer_id, settings.invoice_mode.value,
            settings.transaction_definition, settings.tax_mode.value, settings.deposit_mode.value,
            settings.bank_account, settings.shipping_account, settings.discount_account) == (
        "catch_all", "CUST-0001", "sales_invoice", "Shop Invoice", "amount", "bank", "BOA", "4500", None)
    page = browser.get(saved.headers["location"]).text
    assert "Order-to-cash settings saved." in page
    assert 'name="gate_invoices" value="halt" checked' in page and 'value="BOA"' in page


@pytest.mark.parametrize(("changes", "status", "message"), [
    ({"customer_match": "catch_all"}, 422, "enter its Intacct CUSTOMERID"),
    ({"deposit_mode": "bank"}, 422, "Bank account: payments go to a bank account"),
    ({"tax_mode": "amount"}, 422, "only possible on sales invoices"),
    ({"transaction_definition": "  "}, 422, "Transaction definition: enter"),
    ({"customer_id_prefix": "WAY-TOO-LONG"}, 422, "at most 10 characters"),
    ({"customer_match": "by_phone"}, 409, "customer_match must be one of name, first_last, company, catch_all"),
    ({"invoice_mode": "quote"}, 409, "invoice_mode must be one of"),
])
def test_order_to_cash_settings_errors_come_back_with_what_was_typed(browser, store, changes, status, message):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}/settings/order-to-cash")
    response = browser.post(f"/w/{ws.slug}/settings/order-to-cash",
                            data=settings_form(token, revenue_account="4999-typed", **changes))
    assert response.status_code == status and message in response.text
    assert 'role="alert"' in response.text and "Nothing was saved" in response.text
    assert 'value="4999-typed"' in response.text  # what the user typed, not the saved value
    with store.session() as session:
        assert load_receivables_settings(session, ws.workspace_id).revenue_account is None


def test_a_forged_gate_mode_is_refused(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}/settings/order-to-cash")
    response = browser.post(f"/w/{ws.slug}/settings/order-to-cash",
                            data=settings_form(token, gate_payments="sometimes"))
    assert response.status_code == 422 and "Gate payments" in response.text  # the field in words


def test_sync_this_invoice_now_posts_it_after_a_setting_fixed_it(store, emu, emu_operator):
    """Held for a missing shipping account; the setting is changed; the one-record run posts it."""
    with console_client(store, emu_operator) as browser:
        ws_id = create_connected_workspace(store, "Helping Hands", emu.credentials,
                                           SecretBox.from_settings(emu_operator))
        with store.write_session() as session:
            update_receivables_settings(session, ws_id, SETTINGS)
        bridge = Bridge(store, ws_id, emu_operator)
        bridge.import_customers([{"external_id": "c1", "name": "Jane Alvarez"}])
        bridge.import_invoices([{"external_id": "o1", "customer": "c1", "date": "2026-11-02",
                                 "due_date": "2026-12-02", "shipping": "5.00",
                                 "lines": [{"gl_account": "4600", "quantity": "2", "price": "10.00"}]}])
        sign_in(browser)
        slug = "helping-hands"
        token = csrf_of(browser, f"/w/{slug}")
        run = browser.post(f"/w/{slug}/sync", data={"csrf_token": token})
        assert run.status_code in (200, 303), run.text
        invoice_id = ids(store, Invoice)["o1"]
        wait_for_flag(store, invoice_id)
        held = browser.get(f"/w/{slug}/invoices?review=true").text
        assert table_rows(held, "records")[0].startswith("o1")
        page = browser.get(f"/w/{slug}/invoices/{invoice_id}").text
        assert "set the shipping GL account" in page and "#shipping_account" in page
        saved = browser.post(f"/w/{slug}/settings/order-to-cash",
                             data=settings_form(token, shipping_account="4500"))
        assert saved.status_code == 303
        assert "passes every check" in browser.get(f"/w/{slug}/invoices/{invoice_id}").text
        started = browser.post(f"/w/{slug}/invoices/{invoice_id}/sync", data={"csrf_token": token})
        assert started.status_code == 303 and re.fullmatch(rf"/w/{slug}/runs/\d+", started.headers["location"])
        run_id = int(started.headers["location"].rsplit("/", 1)[1])
        wait_for_run(store, run_id)
        with store.session() as session:
            run = session.get(SyncRun, run_id)
            assert run.status == RunStatus.SUCCEEDED.value and run.trigger == "record", run.message
            invoice = session.get(Invoice, invoice_id)
            assert invoice.status == "posted" and invoice.intacct_key
            assert session.scalars(select(ReviewFlag)).all() == []
        assert "one record" in browser.get(f"/w/{slug}/runs").text
        log = table_rows(browser.get(started.headers["location"]).text, "run-items")
        assert log == ["o1 invoice posted"]
        history = table_rows(browser.get(f"/w/{slug}/invoices/{invoice_id}").text, "history")
        assert history[0].startswith(f"#{run_id}") and "posted" in history[0] and "invalid" in history[1]


def wait_for_flag(store, invoice_id: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with store.session() as session:
            runs = session.scalars(select(SyncRun)).all()
            flagged = session.scalars(select(ReviewFlag).where(ReviewFlag.record_id == invoice_id)).first()
            if flagged and runs and all(r.status != RunStatus.RUNNING.value for r in runs):
                return
        time.sleep(0.1)
    raise AssertionError("the invoice was never held for review")


def wait_for_run(store, run_id: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with store.session() as session:
            if session.get(SyncRun, run_id).status != RunStatus.RUNNING.value:
                return
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} still running after {timeout}s")
