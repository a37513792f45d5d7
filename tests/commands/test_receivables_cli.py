"""`customers|invoices|payments|credit-memos import|list|show` and `o2c-settings show|set` through the CLI."""

from __future__ import annotations

import json

from sqlalchemy import select
from workspace_cli_helpers import cli  # noqa: F401 - fixture

from intacct_bridge.store.models import Invoice

CUSTOMERS = "external_id,name,email\nc1,Ada Lovelace,ada@example.org\nc2,Grace Hopper,\n"
INVOICES = ("external_id,customer_external_id,date,reference,shipping,line_sku,line_quantity,line_price\n"
            "o1,c1,2025-07-01,#1001,5.00,WIDGET,2,10.00\n"
            "o1,c1,2025-07-01,#1001,5.00,GADGET,1,4.00\n"
            "o2,c2,2025-07-02,#1002,,WIDGET,1,10.00\n")


def setup(cli, tmp_path):
    cli("workspace", "create", "Shop")
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "orders.csv").write_text(INVOICES, encoding="utf-8")
    assert "Imported 2 customers from customers.csv: 2 new" in cli("customers", "import", "customers.csv").output
    assert "Imported 2 invoices from orders.csv: 2 new" in cli("invoices", "import", "orders.csv").output


def test_import_list_show_and_reimport(cli, tmp_path):
    setup(cli, tmp_path)
    assert "0 new, 0 updated, 2 unchanged" in cli("invoices", "import", "orders.csv").output
    listed = cli("invoices", "list").output
    assert "o1" in listed and "29.00" in listed and "1 problem(s)" in listed
    shown = cli("invoices", "show", "o1").output
    assert "1. WIDGET: 2 x 10.00 = 20.00" in shown and "shipping_amount" in shown and "GL account" in shown
    rows = [json.loads(line) for line in cli("customers", "list", "--json").output.splitlines()]
    assert [(r["external_id"], r["email"], r["problems"]) for r in rows] == [
        ("c1", "ada@example.org", []), ("c2", None, [])]
    cli("o2c-settings", "set", "shipping_account=4800", "gate_invoices=halt")
    assert "1 problem" not in cli("invoices", "list").output
    assert "gate invoice" in cli("o2c-settings", "show").output
    assert "customer_match must be one of" in cli("o2c-settings", "set", "customer_match=email", code=1).output


def test_payments_and_credit_memos(cli, tmp_path):
    setup(cli, tmp_path)
    (tmp_path / "payments.jsonl").write_text(
        '{"external_id": "p1", "customer": "c1", "date": "2025-07-05", "amount": "29.00", "method": "card",'
        ' "applications": [{"invoice": "o1"}]}\n', encoding="utf-8")
    assert "1 new" in cli("payments", "import", "payments.jsonl").output
    assert "o1 29.00" in cli("payments", "list").output
    (tmp_path / "memos.csv").write_text("external_id,customer_external_id,date,invoice,line_gl_account,line_amount\n"
                                        "m1,c1,2025-07-09,o1,4000,3.00\n", encoding="utf-8")
    assert "1 new" in cli("credit-memos", "import", "memos.csv").output
    assert "1. 4000: 3.00" in cli("credit-memos", "show", "m1").output


def test_a_bad_file_imports_nothing_and_a_posted_change_is_refused(cli, tmp_path):
    setup(cli, tmp_path)
    (tmp_path / "bad.csv").write_text(INVOICES + "o3,nobody,2025-07-01,,,W,1,1.00\n", encoding="utf-8")
    out = cli("invoices", "import", "bad.csv", code=1).output
    assert "customer_external_id" in out and "no customer 'nobody'" in out and "nothing was imported" in out
    store = cli.store()
    with store.session() as session:
        invoice = session.scalars(select(Invoice).where(Invoice.external_id == "o2")).one()
        invoice.status, invoice.number = "posted", "1002"
    store.dispose()
    (tmp_path / "changed.csv").write_text(INVOICES.replace("WIDGET,1,10.00", "WIDGET,3,10.00"), encoding="utf-8")
    out = cli("invoices", "import", "changed.csv", code=1).output
    assert "already posted to Intacct as invoice 1002" in out and "refuses changes to posted records" in out
    assert "no invoice 'nope'" in cli("invoices", "show", "nope", code=1).output
