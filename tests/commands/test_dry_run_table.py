"""The dry run's table of other records names each record; its line lists stay on the record's page."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from rich.console import Console

from intacct_bridge.commands import _dry_run_table
from intacct_bridge.intacct import functions as fn
from intacct_bridge.sync.engine import PreviewedWrite
from intacct_bridge.sync.kinds import Outgoing


def test_other_records_are_listed_without_their_line_lists(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(_dry_run_table, "console", Console(file=out, width=200))
    line = {"account": "4000", "amount": "25.00"}
    write = Outgoing(7, fn.Create("APBILL", {}, controlid=""), "ib-x-bil7", amount=Decimal("25.00"),
                     posting_date=date(2026, 11, 2),
                     summary={"vendor": "V-1", "number": "B-7", "lines": [line], "gl_lines": [line],
                              "cancel_lines": [line]})
    preview = _dry_run_table.EntryPreview(10)
    preview(PreviewedWrite("bill", write))
    preview.print()
    printed = out.getvalue()
    assert "vendor=V-1" in printed and "number=B-7" in printed
    assert "lines=" not in printed and "4000" not in printed
