"""`vendors|items import|list|show` and `sync --kind vendors|items` through the CLI, against the emulator."""

from __future__ import annotations

import json
import re

from sync_cli_fixtures import cli  # noqa: F401  (fixture)

VENDORS = "external_id,vendor_id,name,email,city\ns1,ACME,Acme Supplies,ap@acme.example,Lyon\ns2,,Bolt & Co,,\n"
ITEMS = ('{"external_id": "k1", "item_id": "SVC-1", "name": "Consulting hour", "base_price": "90.00"}\n'
         '{"external_id": "k2", "name": "Setup fee", "item_type": "non-inventory (sales only)", "taxable": "no"}\n')


def test_import_list_show_sync_and_a_refused_id_change(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cli.workspace("Shop")
    (tmp_path / "vendors.csv").write_text(VENDORS, encoding="utf-8")
    (tmp_path / "items.jsonl").write_text(ITEMS, encoding="utf-8")
    assert "Imported 2 vendors from vendors.csv: 2 new" in cli("vendors", "import", "vendors.csv").output
    assert "Imported 2 items from items.jsonl: 2 new" in cli("items", "import", "items.jsonl").output
    assert "0 new, 0 updated, 2 unchanged" in cli("vendors", "import", "vendors.csv").output
    listed = [json.loads(line) for line in cli("items", "list", "--json").output.splitlines()]
    assert [(i["item_id"], i["type"], i["status"]) for i in listed] == [
        ("SVC-1", "Non-Inventory", "unposted"), ("k2", "Non-Inventory (Sales only)", "unposted")]

    result = cli("sync", "--kind", "vendors", "--kind", "items")
    assert result.exit_code == 0, result.output
    ledger = {v["VENDORID"]: v for v in cli.emu.admin.ledger("helping-hands", "VENDOR")}
    assert ledger["ACME"]["DISPLAYCONTACT.EMAIL1"] == "ap@acme.example" and ledger["s2"]["NAME"] == "Bolt & Co"
    shown = cli("vendors", "show", "s1").output
    assert "ACME" in shown and "posted" in shown

    (tmp_path / "moved.csv").write_text("external_id,vendor_id,name\ns1,ACME-9,Acme Supplies\n", encoding="utf-8")
    refused = cli("vendors", "import", "moved.csv")
    assert refused.exit_code == 1
    words = " ".join(re.sub(r"[│┃|]", " ", refused.output).split())   # the table's cells, unwrapped
    assert "vendor_id" in words and "VENDORID 'ACME'" in words
    assert "create a new vendor" in words and "nothing was imported" in words
