"""Row checks for bulk intake: form only (numbers, dates, ids); the gate judges postability later."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from intacct_bridge.domain.intake import ActionRecord, parse_row, parse_rows, read_csv, read_jsonl
from intacct_bridge.domain.values import parse_timestamp

NY = ZoneInfo("America/New_York")


def test_aliases_and_campaign_separators():
    record = parse_row(2, {"ID": " d-1 ", "Action Type": "Donation", "Amount": "25", "Date": "2025-06-30",
                           "Constituent": "Ada", "Tags": "CR 4000; DR 1000 | Events: Gala"}, NY)
    assert isinstance(record, ActionRecord)
    assert (record.external_id, record.type, record.amount) == ("d-1", "donation", Decimal("25.00"))
    assert record.happened_at == datetime(2025, 6, 30, tzinfo=NY)
    assert record.constituent_name == "Ada" and record.campaigns == ("CR 4000", "DR 1000", "Events: Gala")


def test_missing_and_zero_amounts_are_accepted_for_the_gate_to_flag():
    for amount in ("", None, "0", "0.00"):
        record = parse_row(2, {"external_id": "x", "type": "t", "amount": amount, "happened_at": "2025-06-30"}, NY)
        assert isinstance(record, ActionRecord)


@pytest.mark.parametrize(
    ("amount", "words"),
    [("1.234", "more than 2 decimal places"), ("12,50", "not a number"), (True, "not an exact amount"),
     (1.5, "not an exact amount"), ("NaN", "not a usable amount"), ("1e40", "not a usable amount")],
)
def test_malformed_amounts_are_bad_rows(amount, words):
    errors = parse_row(7, {"external_id": "x", "type": "t", "amount": amount}, NY)
    assert isinstance(errors, list) and errors[0].line == 7 and errors[0].field == "amount"
    assert words in errors[0].message


def test_every_error_of_a_row_is_reported():
    errors = parse_row(3, {"amount": "x", "happened_at": "yesterday", "created_at": "2025-99-01", "url": "mailto:a",
                           "campaigns": 5}, NY)
    assert [e.field for e in errors] == ["external_id", "type", "amount", "happened_at", "created_at", "url", "campaigns"]
    assert str(errors[0]).startswith("line 3: external_id: missing")


def test_naive_times_are_read_in_the_workspace_zone_and_offsets_are_kept():
    assert parse_timestamp("2025-06-30T09:00", NY)[0] == datetime(2025, 6, 30, 13, 0, tzinfo=UTC)
    assert parse_timestamp("2025-06-30T09:00:00+00:00", NY)[0] == datetime(2025, 6, 30, 9, 0, tzinfo=UTC)
    assert parse_timestamp("2025-06-30 09:00Z", NY)[0] == datetime(2025, 6, 30, 9, 0, tzinfo=UTC)


def test_duplicate_ids_in_one_file_point_at_the_first_line():
    rows = read_csv(io.StringIO("external_id,type,happened_at\na,t,2025-06-30\nb,t,2025-06-30\na,t,2025-06-30\n"))
    records, errors = parse_rows(rows, NY)
    assert [r.external_id for r in records] == ["a", "b"]
    assert str(errors[0]) == "line 4: external_id: 'a' already appears on line 2"


def test_csv_reader_skips_blank_rows_and_flags_extra_cells():
    rows = list(read_csv(io.StringIO("external_id,type\na,t\n,\nb,t,extra\n")))
    assert rows[0] == (2, {"external_id": "a", "type": "t"})
    assert rows[1][0] == 4 and rows[1][1].field == "(row)"


def test_jsonl_numbers_are_decimals():
    ((line, row),) = list(read_jsonl(io.StringIO('{"amount": 0.1}\n')))
    assert line == 1 and row["amount"] == Decimal("0.1") and isinstance(row["amount"], Decimal)


def test_a_json_array_is_not_read_as_an_amount():
    # Decimal() itself would read [0, [1, 2], -2] as 0.12; an amount must be text or a number.
    errors = parse_row(4, {"external_id": "x", "type": "t", "amount": [0, [1, 2], -2]}, NY)
    assert isinstance(errors, list) and errors[0].field == "amount"
    assert "not a number" in errors[0].message
