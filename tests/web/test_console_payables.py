"""The console's AP pages against the emulator over HTTP: bills and AP adjustments listed and opened, a bill
whose vendor Intacct lacks held with the reason and its fix, fixed by importing it again through the
console, then posted by "Sync this bill now"; the gates on Settings → Order to cash."""

from __future__ import annotations

import html

from sqlalchemy import select

from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.models import ApAdjustment, Bill, ReviewFlag, SyncRun
from intacct_bridge.sync.sample_load import create_connected_workspace
from test_console_receivables import ids, table_rows, wait_for_flag, wait_for_run
from web_helpers import console_client, csrf_of, sign_in

BILLS = ("external_id,vendor_id,bill_number,date,due_date,terms,line_gl_account,line_sku,line_amount,"
         "line_description,line_department\n"
         "b1,V-100,INV-77,2026-11-02,,Net 30,6010,,120.00,Power,\n"
         "b2,V-404,X-1,2026-11-03,2026-11-30,,,MUG,40.00,Mugs,PRG\n")
CREDITS = ("external_id,vendor_id,date,bill_external_id,line_gl_account,line_amount\n"
           "a1,V-404,2026-11-10,b2,6010,5.00\n")


def upload(browser, slug: str, path: str, name: str, body: str, token: str):
    return browser.post(f"/w/{slug}/{path}/import", data={"csrf_token": token},
                        files={"file": (name, body.encode(), "text/csv")})


def test_a_bill_held_for_its_vendor_is_fixed_and_posted_from_the_console(store, emu, emu_operator):
    with console_client(store, emu_operator) as browser:
        create_connected_workspace(store, "Helping Hands", emu.credentials, SecretBox.from_settings(emu_operator))
        sign_in(browser)
        slug = "helping-hands"
        token = csrf_of(browser, f"/w/{slug}/bills")
        assert "AP adjustments" in browser.get(f"/w/{slug}").text  # in the navigation
        assert upload(browser, slug, "bills", "bills.csv", BILLS, token).headers["location"].endswith(
            "created=2&updated=0&unchanged=0")
        assert upload(browser, slug, "ap-adjustments", "credits.csv", CREDITS, token).status_code == 303
        listed = table_rows(browser.get(f"/w/{slug}/bills").text, "records")
        assert listed[0].startswith("b1 INV-77 V-100 2026-11-02 Net 30 120.00 unposted")
        assert listed[1].startswith("b2 X-1 V-404 2026-11-03 2026-11-30 40.00 unposted")
        run = browser.post(f"/w/{slug}/sync", data={"csrf_token": token})
        assert run.status_code in (200, 303), run.text
        bill_id, credit_id = ids(store, Bill)["b2"], ids(store, ApAdjustment)["a1"]
        wait_for_flag(store, bill_id)
        held = table_rows(browser.get(f"/w/{slug}/bills?review=true").text, "records")
        assert len(held) == 1 and held[0].startswith("b2") and "needs review" in held[0]
        page = html.unescape(browser.get(f"/w/{slug}/bills/{bill_id}").text)
        assert ("vendor 'V-404' not found in Intacct: add the vendor to the vendor records and sync them to Sage "
                "Intacct, or correct the vendor id") in page
        assert "intacct-bridge " not in page  # the browser is told where to click, not what to type
        assert f'href="/w/{slug}/vendors" class="step-link">Open Vendors</a>' in page
        assert "Correct vendor_id in your system and import the bill again" in page
        assert "passes every check" not in page  # Intacct still lacks V-404: the reason stands
        assert "MUG" in table_rows(page, "lines")[0] and "department PRG" in table_rows(page, "lines")[0]
        credit_page = html.unescape(browser.get(f"/w/{slug}/ap-adjustments/{credit_id}").text)
        assert "X-1" in credit_page and "V-404" in credit_page
        fixed = BILLS.replace("b2,V-404", "b2,V-300")
        assert upload(browser, slug, "bills", "bills.csv", fixed, token).headers["location"].endswith(
            "created=0&updated=1&unchanged=1")
        assert "passes every check" in browser.get(f"/w/{slug}/bills/{bill_id}").text
        started = browser.post(f"/w/{slug}/bills/{bill_id}/sync", data={"csrf_token": token})
        assert started.status_code == 303
        run_id = int(started.headers["location"].rsplit("/", 1)[1])
        wait_for_run(store, run_id)
        with store.session() as session:
            assert session.get(SyncRun, run_id).status == RunStatus.SUCCEEDED.value
            bill = session.get(Bill, bill_id)
            assert bill.status == "posted" and bill.intacct_key
            assert session.scalars(select(ReviewFlag).where(ReviewFlag.record_kind == "bill")).all() == []
        assert sorted(b["RECORDID"] for b in emu.admin.ledger("helping-hands", "APBILL")) == ["INV-77", "X-1"]
        settings = browser.get(f"/w/{slug}/settings/order-to-cash").text
        assert "gate_bills" in settings and "gate_ap_adjustments" in settings
