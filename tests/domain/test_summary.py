"""Summaries (pure): lines added up by account, side and dimensions; a reference derived from the content."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from intacct_bridge.domain.summary import Share, period_key, share_reversal_original, summarize
from intacct_bridge.domain.vocabulary import SummaryPeriod

DAY = date(2026, 11, 30)


def share(action_id: int, amount: str, *, location: str = "100", fund: str | None = None, version: int = 1) -> Share:
    dims = {"LOCATION": location, **({"GLDIMFUND": fund} if fund else {})}
    return Share(action_id, f"T-{action_id}", version, (
        {"account": "1100", "side": "debit", "amount": amount, "dimensions": dims},
        {"account": "4000", "side": "credit", "amount": amount, "dimensions": dims}))


def entry(shares, **kwargs):
    options = {"workspace_uid": "ws1", "journal": "GJ", "entity": None, "period": "2026-11-30", "posting_date": DAY}
    return summarize(shares, **{**options, **kwargs})


def test_lines_add_up_by_account_side_and_dimensions():
    summary = entry([share(1, "10.00"), share(2, "15.55"), share(3, "7.25", location="200"),
                     share(4, "1.10", fund="F01")])

    got = [(l.account, l.side, dict(l.dimensions), l.amount, l.action_ids) for l in summary.lines]
    assert got == [
        ("1100", "debit", {"GLDIMFUND": "F01", "LOCATION": "100"}, Decimal("1.10"), (4,)),
        ("1100", "debit", {"LOCATION": "100"}, Decimal("25.55"), (1, 2)),
        ("1100", "debit", {"LOCATION": "200"}, Decimal("7.25"), (3,)),
        ("4000", "credit", {"GLDIMFUND": "F01", "LOCATION": "100"}, Decimal("1.10"), (4,)),
        ("4000", "credit", {"LOCATION": "100"}, Decimal("25.55"), (1, 2)),
        ("4000", "credit", {"LOCATION": "200"}, Decimal("7.25"), (3,)),
    ]
    assert summary.debit_total == summary.credit_total == Decimal("33.90")
    assert all(isinstance(l.amount, Decimal) for l in summary.lines)


def test_the_payload_is_a_glbatch_listing_what_it_holds():
    summary = entry([share(1, "10.00"), share(2, "5.00")])
    payload = summary.payload()

    assert payload["REFERENCENO"] == summary.reference and payload["BATCH_DATE"] == DAY
    assert payload["JOURNAL"] == "GJ" and payload["STATE"] == "Posted"
    assert payload["BATCH_TITLE"] == "Summary of 2 actions on 2026-11-30 | T-1, T-2"
    first = payload["ENTRIES"]["GLENTRY"][0]
    assert list(first) == ["ACCOUNTNO", "TR_TYPE", "TRX_AMOUNT", "LOCATION", "DESCRIPTION"]
    assert (first["TR_TYPE"], first["TRX_AMOUNT"]) == (1, Decimal("15.00"))
    assert "T-1, T-2" in first["DESCRIPTION"]
    kept = summary.summary()
    assert kept["holds"] == ["T-1", "T-2"] and kept["amount"] == "15.00"
    assert kept["lines"][0] == {"account": "1100", "side": "debit", "amount": "15.00", "dimensions": {"LOCATION": "100"}}


def test_the_reference_is_the_same_for_the_same_content_and_differs_otherwise():
    a = entry([share(2, "5.00"), share(1, "10.00")])
    assert entry([share(1, "10.00"), share(2, "5.00")]).reference == a.reference   # order does not matter
    assert a.reference.startswith("ib-ws1-s")
    others = [entry([share(1, "10.00"), share(2, "5.00"), share(3, "1.00")]),   # more actions arrived
              entry([share(1, "10.00"), share(2, "5.00", version=2)]),          # a new version
              entry([share(1, "10.00"), share(2, "5.00")], entity="E100"),
              entry([share(1, "10.00"), share(2, "5.00")], journal="CRJ"),
              entry([share(1, "10.00"), share(2, "5.00")], period="2026-12-01"),
              entry([share(1, "10.00"), share(2, "5.00")], workspace_uid="ws2")]
    assert len({a.reference, *(o.reference for o in others)}) == len(others) + 1


def test_empty_unbalanced_repeated_or_fractional_shares_are_refused():
    with pytest.raises(ValueError, match="at least one"):
        entry([])
    with pytest.raises(ValueError, match="only once"):
        entry([share(1, "1.00"), share(1, "1.00")])
    lopsided = Share(9, "T-9", 1, ({"account": "1100", "side": "debit", "amount": "2.00", "dimensions": {}},
                                   {"account": "4000", "side": "credit", "amount": "1.00", "dimensions": {}}))
    with pytest.raises(ValueError, match="do not balance"):
        entry([lopsided])
    with pytest.raises(ValueError, match="whole cents"):
        entry([share(1, "1.005")])


def test_period_keys_by_day_or_run():
    started = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
    assert period_key(SummaryPeriod.DAY, DAY, started) == "2026-11-30"
    assert period_key(SummaryPeriod.RUN, DAY, started) == "run-20261201T103000000000Z"


def test_a_share_reversal_takes_back_its_own_lines_only():
    summary = entry([share(1, "10.00"), share(2, "5.00")])
    original = share_reversal_original(summary.shares[1], summary.summary())
    assert original["lines"] == [dict(l) for l in share(2, "5.00").lines]
    assert original["reference_no"] == summary.reference and original["amount"] == "5.00"
    assert Share.from_dict(summary.shares[0].as_dict()) == summary.shares[0]
