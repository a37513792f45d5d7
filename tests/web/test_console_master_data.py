"""The console's vendor and item pages: list, open, import (all or nothing), sync one now, the changed fields
waiting to be sent, and a refused id change naming record, field and fix; against the emulator."""

from __future__ import annotations

import html
import re
import time

from sqlalchemy import select

from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.models import SyncRun, Vendor
from intacct_bridge.sync.sample_load import create_connected_workspace
from web_helpers import console_client, csrf_of, sign_in

VENDORS = "external_id,vendor_id,name,email\ns1,ACME,Acme Supplies,ap@acme.example\ns2,BOLT,Bolt & Co,\n"


def wait_for_run(store, run_id: int, timeout: float = 60.0) -> SyncRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with store.session() as session:
            run = session.get(SyncRun, run_id)
            if run.status != RunStatus.RUNNING.value:
                return run
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} still running")


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def test_vendor_pages_import_open_sync_and_refuse_an_id_change(store, emu, emu_operator):
    with console_client(store, emu_operator) as browser:
        create_connected_workspace(store, "Helping Hands", emu.credentials, SecretBox.from_settings(emu_operator))
        sign_in(browser)
        base = "/w/helping-hands/vendors"
        token = csrf_of(browser, base)
        imported = browser.post(f"{base}/import", data={"csrf_token": token},
                                files={"file": ("vendors.csv", VENDORS.encode(), "text/csv")})
        assert imported.headers["location"] == f"{base}?done=imported&created=2&updated=0&unchanged=0"
        listed = text_of(browser.get(base).text)
        assert "VENDORID" in listed and "ACME Acme Supplies" in listed and "Vendors" in listed
        with store.session() as session:
            acme = session.scalars(select(Vendor).where(Vendor.external_id == "s1")).one().id

        started = browser.post(f"{base}/{acme}/sync", data={"csrf_token": token})
        assert started.status_code == 303
        run = wait_for_run(store, int(started.headers["location"].rsplit("/", 1)[1]))
        assert run.status == RunStatus.SUCCEEDED.value, run.message
        held = [v["VENDORID"] for v in emu.admin.ledger("helping-hands", "VENDOR")]
        assert "ACME" in held and "BOLT" not in held   # that one only
        page = text_of(browser.get(f"{base}/{acme}").text)
        assert "As last posted to Intacct" in page and "DISPLAYCONTACT.EMAIL1 ap@acme.example" in page
        assert "Sync this vendor now" not in page

        changed = "external_id,vendor_id,name,email\ns1,ACME,Acme Supplies,billing@acme.example\n"
        browser.post(f"{base}/import", data={"csrf_token": token},
                     files={"file": ("vendors.csv", changed.encode(), "text/csv")})
        page = text_of(browser.get(f"{base}/{acme}").text)
        assert "Changes to send yes" in page and "Sync this vendor now" in page

        moved = "external_id,vendor_id,name\ns1,ACME-9,Acme Supplies\n"
        refused = browser.post(f"{base}/import", data={"csrf_token": token},
                               files={"file": ("vendors.csv", moved.encode(), "text/csv")})
        words = text_of(refused.text)
        assert "vendor_id" in words and "VENDORID 'ACME'" in words and "create a new vendor" in words
        with store.session() as session:
            assert session.get(Vendor, acme).vendor_id == "ACME"
