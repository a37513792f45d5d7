"""Text intake: characters XML 1.0 cannot carry, field limits, files without rows (issue 8, items 2 and 3)."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from intacct_bridge.domain.buildable import buildable
from intacct_bridge.domain.intake import FIELD_LIMITS, ActionRecord, RowError, parse_row, read_csv, read_jsonl
from intacct_bridge.domain.xml_text import REPLACEMENT, TextPolicy, first_unsafe, payload_reasons

UTC = ZoneInfo("UTC")
ROW = {"external_id": "d-1", "type": "donation", "amount": "25", "happened_at": "2025-06-30"}


def _lxml_accepts(char: str) -> bool:
    try:
        etree.Element("x").text = char
    except ValueError:
        return False
    return True


def test_the_definition_matches_what_the_serializer_accepts():
    for cp in [*range(0, 0x80), 0x85, 0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x10FFFF]:
        char = chr(cp)
        assert (first_unsafe(char) is None) == _lxml_accepts(char), hex(cp)


@pytest.mark.parametrize("field", ["summary", "constituent_name", "url", "type", "external_id", "constituent_id"])
def test_a_control_character_is_refused_naming_line_field_and_code_point(field):
    value = "https://x.org/\x07" if field == "url" else "Gala\x07dinner"
    errors = parse_row(4, {**ROW, field: value}, UTC)
    assert isinstance(errors, list) and [(e.line, e.field) for e in errors] == [(4, field)]
    assert "U+0007 at position" in errors[0].message and "Sage Intacct" in errors[0].message
    assert errors[0].external_id == (None if field == "external_id" else "d-1")


def test_a_control_character_in_a_campaign_name_is_refused():
    errors = parse_row(2, {**ROW, "campaigns": "CR 4000;DR\x0b1000"}, UTC)
    assert isinstance(errors, list) and errors[0].field == "campaigns" and "U+000B" in errors[0].message


def test_replace_policy_replaces_in_free_text_only():
    record = parse_row(2, {**ROW, "summary": "Gala\x07dinner\x01", "constituent_name": "Ada\x1fL"}, UTC,
                       TextPolicy.REPLACE)
    assert isinstance(record, ActionRecord)
    assert record.summary == f"Gala{REPLACEMENT}dinner{REPLACEMENT}" and record.constituent_name == f"Ada{REPLACEMENT}L"
    errors = parse_row(2, {**ROW, "external_id": "d\x01"}, UTC, TextPolicy.REPLACE)
    assert isinstance(errors, list) and errors[0].field == "external_id" and "U+0001" in errors[0].message


def test_tabs_and_newlines_are_text_xml_can_carry():
    record = parse_row(2, {**ROW, "summary": "line one\n\tline two\r\n"}, UTC)
    assert isinstance(record, ActionRecord)


@pytest.mark.parametrize("field", sorted(set(FIELD_LIMITS) - {"email", "campaigns"}))
def test_every_field_has_its_limit(field):
    limit = FIELD_LIMITS[field]
    at_limit = ("https://x.org/" if field == "url" else "") + "a" * (limit - (14 if field == "url" else 0))
    assert isinstance(parse_row(9, {**ROW, field: at_limit}, UTC), ActionRecord)
    value = at_limit + "a"
    errors = parse_row(9, {**ROW, field: value}, UTC)
    assert isinstance(errors, list) and (errors[0].line, errors[0].field) == (9, field)
    assert f"longer than the {limit:,}" in errors[0].message


def test_a_csv_field_over_the_csv_modules_default_limit_is_named_by_line_and_field():
    text = ("external_id,type,happened_at,summary\nd-1,donation,2025-06-30,short\nd-2,donation,2025-06-30,"
            + "x" * 200_000 + "\nd-3,donation,2025-06-30,ok\n")
    rows = list(read_csv(io.StringIO(text, newline="")))
    assert [line for line, _ in rows] == [2, 3, 4]
    errors = parse_row(3, rows[1][1], UTC)
    assert isinstance(errors, list) and (errors[0].line, errors[0].field) == (3, "summary")
    assert "200,000 characters" in errors[0].message


@pytest.mark.parametrize("text", ["", "\n", "external_id,type,amount\n", "external_id,type\n,\n\n"])
def test_a_csv_without_a_data_row_is_an_error(text):
    rows = list(read_csv(io.StringIO(text, newline="")))
    assert len(rows) == 1 and isinstance(rows[0][1], RowError) and rows[0][1].field == "(file)"
    assert "nothing to import" in rows[0][1].message


def test_a_jsonl_file_without_a_line_is_an_error():
    rows = list(read_jsonl(io.StringIO("\n  \n")))
    assert len(rows) == 1 and isinstance(rows[0][1], RowError) and "nothing to import" in rows[0][1].message


def test_payload_reasons_name_the_element_and_the_character():
    reasons = payload_reasons({"JOURNAL": "G\x02J", "ENTRIES": {"GLENTRY": [{"MEMO": "ok"}, {"MEMO": "b\x1bad"}]}})
    assert [r.field for r in reasons] == ["JOURNAL", "ENTRIES.GLENTRY[1].MEMO"]
    assert "U+0002" in reasons[0].message and "U+001B" in reasons[1].message


def test_buildable_turns_any_failure_of_one_record_into_reasons():
    def boom() -> dict:
        raise ZeroDivisionError("division by zero")

    assert buildable(lambda: {"A": "ok"}, {"summary": "fine"}, lambda p: p) == {"A": "ok"}
    assert buildable(lambda: {"A": "x\x07"}, {"summary": "x\x07"}, lambda p: p)[0].field == "summary"
    assert buildable(lambda: {"A": "x\x07"}, {"summary": "fine"}, lambda p: p)[0].field == "A"
    assert buildable(lambda: {"A": "cut"}, {"summary": "cut off: \x07"}, lambda p: p) == {"A": "cut"}
    assert "ZeroDivisionError" in buildable(boom, {}, lambda p: p)[0].message
    with pytest.raises(ZeroDivisionError):
        buildable(boom, {}, lambda p: p, passthrough=(ZeroDivisionError,))


def test_whitespace_is_collapsed_in_the_text_sent_and_that_is_documented():
    from intacct_bridge.domain import description
    from intacct_bridge.domain.xml_text import CONTROL_CHARACTERS_HELP

    assert description.compose(["Gala\tdinner\n\n for  two", "Ada\r\nL"], 100) == "Gala dinner for two | Ada L"
    assert "collapsed" in (description.__doc__ or "") and "collapsed to one space" in CONTROL_CHARACTERS_HELP
