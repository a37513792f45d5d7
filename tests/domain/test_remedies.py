"""Each review reason gets the fix that fits it (issue 8: a missing amount is not fixed with campaigns)."""

from __future__ import annotations

import pytest

from intacct_bridge.domain.remedies import RemedyKind, remedy_for, with_fixes
from intacct_bridge.domain.values import parse_amount, parse_timestamp
from intacct_bridge.domain.xml_text import text_reasons
from zoneinfo import ZoneInfo


@pytest.mark.parametrize("reason", [parse_amount(None)[1], parse_amount("0")[1], parse_amount("1.234")[1],
                                    parse_timestamp(None, ZoneInfo("UTC"))[1]])
def test_amount_and_date_are_fixed_in_the_source_and_reimported(reason):
    remedy = remedy_for(reason.field)
    assert remedy.kind is RemedyKind.SOURCE
    assert "import the action again" in remedy.fix and "Add or remove campaigns" not in remedy.fix


def test_each_kind_of_reason_has_its_own_fix():
    assert remedy_for("account.CR").kind is RemedyKind.CAMPAIGNS and "campaigns" in remedy_for("location.DR").fix
    assert remedy_for("intacct").kind is RemedyKind.INTACCT and "Intacct's message" in remedy_for("intacct").fix
    text = text_reasons({"summary": "a\x07b"})[0]
    assert remedy_for(text.field).kind is RemedyKind.SOURCE and "control_characters" in remedy_for(text.field).fix
    assert remedy_for("JOURNAL").kind is RemedyKind.SETTINGS
    assert remedy_for("request").kind is RemedyKind.REPORT


def test_with_fixes_keeps_the_reason_and_adds_fix_and_kind():
    [one] = with_fixes([{"field": "amount", "message": "amount is missing"}])
    assert one["message"] == "amount is missing" and one["remedy"] == "source" and one["fix"]
    assert with_fixes(None) == []
