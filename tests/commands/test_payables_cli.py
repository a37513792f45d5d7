"""`bills|ap-adjustments import|list|show`, `bills terms` and `sync --kind bills` through the CLI, against the
emulator over HTTP: a bad file imports nothing and names line and field; a missing vendor is flagged with the fix."""

from __future__ import annotations

import json

from sync_cli_fixtures import cli  # noqa: F401  (fixture)

BILLS = ("external_id,vendor_id,bill_number,bill_date,terms,due_date,line_gl_account,line_sku,line_amount,"
         "line_description,line_location\n"
         "b1,V-100,INV-77,2026-11-02,Net 30,,6010,,120.00,Power,100\n"
         "b1,V-100,INV-77,2026-11-02,Net 30,,5100,,30.00,Paper,\n"
         "b2,V-404,X-1,2026-11-03,,2026-11-30,,MUG,40.00,Mugs,\n")
CREDITS = ('{"external_id": "a1", "vendor_id": "V-100", "bill": "b1", "date": "2026-11-10",'
           ' "lines": [{"gl_account": "6010", "amount": "20.00"}]}\n')


def test_import_list_show_sync_and_terms(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cli.workspace("Books")
    (tmp_path / "bills.csv").write_text(BILLS, encoding="utf-8")
    (tmp_path / "credits.jsonl").write_text(CREDITS, encoding="utf-8")
    assert "Imported 2 bills from bills.csv: 2 new" in cli("bills", "import", "bills.csv").output
    assert "Imported 1 ap adjustments from credits.jsonl: 1 new" in cli("ap-adjustments", "import",
                                                                       "credits.jsonl").output
    assert "0 new, 0 updated, 2 unchanged" in cli("bills", "import", "bills.csv").output
    shown = cli("bills", "show", "b1").output
    assert "1. 6010: 120.00 (Power)" in shown and "2. 5100: 30.00 (Paper)" in shown and "Net 30" in shown
    assert "No AP terms pulled yet" in cli("bills", "terms").output
    dry = cli("sync", "--dry-run", "--kind", "bills").output
    assert "Other records that would be posted" in dry and "vendor=V-100, number=INV-77, total=150.00" in dry
    assert cli.emu.admin.ledger("helping-hands", "APBILL") == []
    result = cli("sync", "--kind", "bills", "--kind", "ap-adjustments")
    assert result.exit_code == 4, result.output  # completed with errors: b2's vendor is not in Intacct
    rows = {r["external_id"]: r for r in map(json.loads, cli("bills", "list", "--json").output.splitlines())}
    assert rows["b1"]["status"] == "posted" and rows["b1"]["intacct_key"]
    assert rows["b2"]["status"] == "unposted"
    held = " ".join(cli("errors", "list", "--kind", "bills").output.split())
    assert "vendor 'V-404' not found in Intacct" in held and "do: Vendors: intacct-bridge vendors import FILE" in held
    assert "Net 30" in cli("bills", "terms").output
    listed = cli("ap-adjustments", "list").output
    assert "a1" in listed and "posted" in listed
    assert [b["RECORDID"] for b in cli.emu.admin.ledger("helping-hands", "APBILL")] == ["INV-77"]
    assert cli.emu.admin.ledger("helping-hands", "APADJUSTMENT")[0]["DOCNUMBER"] == "INV-77"


def test_a_bad_file_imports_nothing_naming_line_and_field(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cli.workspace("Books")
    (tmp_path / "bad.csv").write_text(BILLS + "b3,,,2026-11-04,,,6010,,abc,,\n", encoding="utf-8")
    result = cli("bills", "import", "bad.csv")
    assert result.exit_code == 1
    rows = [line.split("│")[1:4] for line in result.output.splitlines() if line.startswith("│")]
    assert [(n.strip(), f.strip()) for n, f, _ in rows] == [("5", "vendor_id"), ("5", "number"),
                                                            ("5", "lines[0].amount")]
    assert "VENDORID" in rows[0][2] and "bill number" in rows[1][2] and "'abc' is not a number" in rows[2][2]
    assert "nothing was imported" in result.output
    assert "No bills match" in cli("bills", "list").output
