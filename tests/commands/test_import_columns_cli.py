"""Import as a finance admin meets it in a terminal (issue 14): unknown columns named, `happened_at` required,
one spelling of the constituent, templates that import, a preview that imports nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from workspace_cli_helpers import cli  # noqa: F401 - fixture

from intacct_bridge.domain.receivables import RecordKind
from intacct_bridge.store.models import Action, Constituent, Customer, Invoice, Item, Vendor

HEADER = "external_id,type,amount,happened_at,summary\n"


def _count(cli, model) -> int:
    store = cli.store()
    try:
        with store.session() as session:
            return session.scalar(select(func.count()).select_from(model))
    finally:
        store.dispose()


def test_a_misspelt_action_column_is_named_with_a_suggestion_and_nothing_is_imported(cli, tmp_path):
    cli("workspace", "create", "Helping Hands")
    path = tmp_path / "typo.csv"
    path.write_text("external_id,type,amout,happened_at,Sumary,colour\nd-1,donation,5,2025-06-30,Gala,red\n",
                    encoding="utf-8")
    out = cli("actions", "import", str(path), code=1).output
    assert "amout" in out and "did you mean 'amount'" in out
    assert "Sumary" in out and "did you mean 'summary'" in out
    assert "colour" in out and "unknown column" in out
    assert "nothing was imported" in out
    assert _count(cli, Action) == 0


def test_an_unknown_key_in_json_lines_is_named_too(cli, tmp_path):
    cli("workspace", "create", "Helping Hands")
    path = tmp_path / "typo.jsonl"
    path.write_text(json.dumps({"external_id": "d-1", "type": "donation", "amount": "5",
                                "happened_at": "2025-06-30", "constituent": {"external_id": "c-1", "nmae": "Ada"}})
                    + "\n", encoding="utf-8")
    out = cli("actions", "import", str(path), code=1).output
    assert "constituent.nmae" in out and "did you mean 'constituent.name'" in out
    assert _count(cli, Action) == 0


@pytest.mark.parametrize("kind, rows, typo, meant", [
    ("customers", "external_id,name,emial\nc-1,Ada,ada@example.org\n", "emial", "email"),
    ("invoices", "external_id,customer_external_id,document_date,line_skuu,line_amount\n"
                 "i-1,c-1,2025-06-30,TEE,25.00\n", "line_skuu", "line_sku"),
    ("payments", "external_id,customer_external_id,document_date,amount,invoice_external_id,applied_amout\n"
                 "p-1,c-1,2025-06-30,25.00,i-1,25.00\n", "applied_amout", "applied_amount"),
    ("vendors", "external_id,vendor_id,name,curency\nv-1,V-1,Paper,USD\n", "curency", "currency"),
    ("items", "external_id,item_id,name,base_prize\nsku-1,SKU-1,Tee,25.00\n", "base_prize", "base_price"),
    ("bills", "external_id,vendor_id,number,document_date,line_gl_acount,line_amount\n"
              "b-1,V-1,N-1,2025-06-30,6100,5.00\n", "line_gl_acount", "line_gl_account"),
])
def test_every_import_refuses_an_unknown_column(cli, tmp_path, kind, rows, typo, meant):
    cli("workspace", "create", "Shop")
    path = tmp_path / f"{kind}.csv"
    path.write_text(rows, encoding="utf-8")
    out = cli(kind, "import", str(path), code=1).output
    assert typo in out and f"did you mean {meant!r}" in out and "nothing was imported" in out


def test_a_missing_or_blank_happened_at_is_refused_at_import_naming_line_field_and_fix(cli, tmp_path):
    cli("workspace", "create", "Helping Hands")
    path = tmp_path / "dates.csv"
    path.write_text(HEADER + "d-1,donation,5,2025-06-30,ok\nd-2,donation,5,,no date\nd-3,donation,5,  ,blank\n",
                    encoding="utf-8")
    out = cli("actions", "import", str(path), code=1).output
    assert out.count("happened_at") >= 2 and "missing" in out and "2025-06-30" in out
    assert "│ 3" in out and "│ 4" in out  # the lines of d-2 and d-3 (the header is line 1)
    no_column = tmp_path / "no_column.jsonl"
    no_column.write_text(json.dumps({"external_id": "d-1", "type": "donation", "amount": "5"}) + "\n", encoding="utf-8")
    assert "happened_at" in cli("actions", "import", str(no_column), code=1).output
    assert _count(cli, Action) == 0


def test_the_constituent_has_the_apis_spelling_everywhere_and_the_old_one_still_works(cli, tmp_path):
    cli("workspace", "create", "Helping Hands")
    new = tmp_path / "new.csv"
    new.write_text("external_id,type,amount,happened_at,constituent.external_id,constituent.name\n"
                   "d-1,donation,5,2025-06-30,c-1,Ada Lovelace\n", encoding="utf-8")
    old = tmp_path / "old.csv"
    old.write_text("external_id,type,amount,happened_at,constituent_id,constituent_name\n"
                   "d-2,donation,5,2025-06-30,c-2,Grace Hopper\n", encoding="utf-8")
    lines = tmp_path / "nested.jsonl"
    lines.write_text(json.dumps({"external_id": "d-3", "type": "donation", "amount": "5", "happened_at": "2025-06-30",
                                 "constituent": {"external_id": "c-3", "name": "Katherine Johnson"}}) + "\n",
                     encoding="utf-8")
    for path in (new, old, lines):
        assert "1 new" in cli("actions", "import", str(path)).output
    store = cli.store()
    with store.session() as session:
        assert dict(session.execute(select(Constituent.external_id, Constituent.name)).all()) == {
            "c-1": "Ada Lovelace", "c-2": "Grace Hopper", "c-3": "Katherine Johnson"}
    store.dispose()


def test_the_template_of_every_kind_has_only_known_columns(cli, tmp_path):
    from intacct_bridge.domain.import_columns import columns_for

    for kind in RecordKind:
        columns = columns_for(kind)
        header = dict.fromkeys(columns.template, "x")
        assert list(columns.unknown(header)) == [], kind
        assert len(columns.template) == len(columns.example), kind


@pytest.mark.parametrize("group, model", [("actions", Action), ("customers", Customer), ("invoices", Invoice),
                                          ("vendors", Vendor), ("items", Item)])
def test_a_template_imports_as_it_is(cli, tmp_path, group, model):
    cli("workspace", "create", "Shop")
    path = tmp_path / f"{group}-template.csv"
    cli(group, "template", str(path))
    header, example = path.read_text(encoding="utf-8").splitlines()
    assert header.startswith("external_id,") and example
    if group == "actions":  # its example names a campaign; a workspace that has none yet imports it without
        text = path.read_text(encoding="utf-8").replace(",Spring Appeal,", ",,")
        path.write_text(text, encoding="utf-8")
    assert "1 new" in cli(group, "import", str(path)).output
    assert _count(cli, model) == 1


def test_the_template_prints_to_the_terminal_and_never_overwrites_a_file(cli, tmp_path):
    printed = cli("payments", "template").output
    assert printed.splitlines()[0].startswith("external_id,customer_external_id")
    taken = tmp_path / "taken.csv"
    taken.write_text("mine", encoding="utf-8")
    assert "exists" in cli("bills", "template", str(taken), code=1).output
    assert taken.read_text(encoding="utf-8") == "mine"


def test_a_preview_lists_every_bad_row_and_imports_nothing(cli, tmp_path):
    cli("workspace", "create", "Helping Hands")
    path = tmp_path / "mixed.csv"
    path.write_text(HEADER + "d-1,donation,5,2025-06-30,ok\nd-2,donation,abc,2025-06-30,bad amount\n"
                    "d-3,,5,2025-06-30,no type\n", encoding="utf-8")
    out = cli("actions", "import", str(path), "--dry-run", code=1).output
    assert "amount" in out and "type" in out and "│ 3" in out and "│ 4" in out
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "d-1,donation,5,2025-06-30,ok\nd-2,donation,7,2025-06-30,ok\n", encoding="utf-8")
    said = cli("actions", "import", str(good), "--preview").output
    assert "2 new" in said and "Nothing was imported" in said
    assert _count(cli, Action) == 0
    assert "2 new" in cli("actions", "import", str(good)).output
    assert _count(cli, Action) == 2


def test_a_preview_of_invoices_imports_nothing(cli, tmp_path):
    cli("workspace", "create", "Shop")
    path = tmp_path / "invoices.csv"
    cli("invoices", "template", str(path))
    assert "Nothing was imported" in cli("invoices", "import", str(path), "--dry-run").output
    assert _count(cli, Invoice) == 0 and _count(cli, Customer) == 0
