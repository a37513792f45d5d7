"""Journal-entry building: lines, side swap, dates per posting mode, descriptions, refusal of invalid actions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from domain_builders import accounts, action, settings, tag

from intacct_bridge.domain import InvalidAction, build_journal_entry
from intacct_bridge.domain.vocabulary import Dimension as D
from intacct_bridge.domain.vocabulary import PostingMode

RUN_START = datetime(2025, 8, 1, 2, 30, tzinfo=UTC)


def build(a, s=None, **kw):
    return build_journal_entry(a, s or settings(), workspace_uid="ab12cd34ef", run_started_at=RUN_START, **kw)


def full_action(amount="25.00"):
    return action(
        *accounts(cr="4000", dr="1000"),
        tag(D.LOCATION, "CR", "100"), tag(D.LOCATION, "DR", "200"),
        tag(D.DEPARTMENT, "CR", "ADM"), tag(D.DEPARTMENT, "DR", "FR"),
        tag(D.CLASS, "CR", "C1"), tag(D.CLASS, "DR", "C2"),
        tag(D.CUSTOM, "CR", "F01"), tag(D.CUSTOM, "DR", "F02"),
        amount=amount,
    )


ALL = dict(location="require", department="require", **{"class": "require"}, custom="require")


def test_payload_shape_for_the_generic_create():
    entry = build(full_action(), settings(**ALL))
    p = entry.payload
    assert list(p) == ["JOURNAL", "BATCH_DATE", "BATCH_TITLE", "REFERENCENO", "STATE", "ENTRIES"]
    assert p["JOURNAL"] == "GJ" and p["STATE"] == "Posted"
    assert p["BATCH_DATE"] == date(2025, 6, 30)
    assert p["REFERENCENO"] == "ib-ab12cd34ef-42" == entry.reference_no
    debit, credit = p["ENTRIES"]["GLENTRY"]
    assert debit == {
        "ACCOUNTNO": "1000", "TR_TYPE": 1, "TRX_AMOUNT": Decimal("25.00"), "LOCATION": "200",
        "DEPARTMENT": "FR", "CLASSID": "C2", "DESCRIPTION": debit["DESCRIPTION"], "GLDIMFUND": "F02",
    }
    assert credit == {
        "ACCOUNTNO": "4000", "TR_TYPE": -1, "TRX_AMOUNT": Decimal("25.00"), "LOCATION": "100",
        "DEPARTMENT": "ADM", "CLASSID": "C1", "DESCRIPTION": credit["DESCRIPTION"], "GLDIMFUND": "F01",
    }
    assert isinstance(debit["TRX_AMOUNT"], Decimal)


def test_negative_amount_swaps_sides_and_posts_the_absolute_value():
    entry = build(full_action(amount="-40.10"), settings(**ALL))
    debit, credit = entry.payload["ENTRIES"]["GLENTRY"]
    assert (debit["ACCOUNTNO"], debit["LOCATION"], debit["GLDIMFUND"], debit["TR_TYPE"]) == ("4000", "100", "F01", 1)
    assert (credit["ACCOUNTNO"], credit["LOCATION"], credit["GLDIMFUND"], credit["TR_TYPE"]) == ("1000", "200", "F02", -1)
    assert debit["TRX_AMOUNT"] == credit["TRX_AMOUNT"] == Decimal("40.10") == entry.amount
    assert (entry.debit_account, entry.credit_account) == ("4000", "1000")


def test_excluded_and_unused_available_dimensions_are_not_sent():
    entry = build(full_action(), settings(location="available"))
    debit, _ = entry.payload["ENTRIES"]["GLENTRY"]
    assert "LOCATION" in debit and "DEPARTMENT" not in debit and "CLASSID" not in debit and "GLDIMFUND" not in debit
    bare = build(action(), settings(location="available"))
    assert "LOCATION" not in bare.payload["ENTRIES"]["GLENTRY"][0]


def test_individual_mode_posts_at_happened_at_in_the_workspace_zone():
    late_evening = datetime(2025, 7, 1, 3, 0, tzinfo=UTC)  # still June 30 in New York
    s = replace(settings(), timezone="America/New_York")
    assert build(action(happened_at=late_evening), s).posting_date == date(2025, 6, 30)
    assert build(action(happened_at=date(2025, 5, 4)), s).posting_date == date(2025, 5, 4)


def test_batching_mode_posts_at_the_run_start_date():
    s = replace(settings(), posting_mode=PostingMode.BATCHING)
    entry = build(action(), s)
    assert entry.posting_date == date(2025, 8, 1) == entry.payload["BATCH_DATE"]
    s_ny = replace(s, timezone="America/New_York")
    assert build(action(), s_ny).posting_date == date(2025, 7, 31)


def test_description_is_summary_constituent_and_url():
    entry = build(action())
    assert entry.payload["BATCH_TITLE"] == (
        "Donation on 2025-06-30 from Ada Lovelace | Ada Lovelace | https://org.example/actions/42"
    )
    for line in entry.payload["ENTRIES"]["GLENTRY"]:
        assert line["DESCRIPTION"] == entry.payload["BATCH_TITLE"]


def test_long_description_is_cut_per_field_limit():
    long_summary = "Ticket purchase for the annual gala dinner and silent auction " * 30
    entry = build(action(summary=long_summary))
    title = entry.payload["BATCH_TITLE"]
    line = entry.payload["ENTRIES"]["GLENTRY"][0]["DESCRIPTION"]
    assert len(title.encode()) <= 100 and title.endswith("| Ada Lovelace | https://org.example/actions/42")
    assert len(line.encode()) <= 1000 and len(line) > len(title)


def test_missing_summary_gets_one_built_from_type_date_and_name():
    entry = build(action(summary=None, url=None))
    assert entry.payload["BATCH_TITLE"] == "Donation on 2025-06-30 from Ada Lovelace | Ada Lovelace"


def test_invalid_action_is_refused():
    with pytest.raises(InvalidAction) as caught:
        build(action(tag(D.ACCOUNT, "CR", "4000")))
    assert [r.field for r in caught.value.reasons] == ["account.DR"]
    assert "no DR account" in str(caught.value)


def test_summary_digest_is_json_friendly():
    digest = build(action()).summary()
    assert digest["amount"] == "25.00" and digest["date"] == "2025-06-30" and digest["debit"] == "1000"
