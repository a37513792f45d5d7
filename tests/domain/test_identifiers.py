"""Control ids and reference numbers: deterministic, distinct per attempt, within Intacct's limits."""

from __future__ import annotations

import pytest

from intacct_bridge.domain import controlid, parse_reference_no, reference_no


def test_controlid_is_deterministic_and_per_generation():
    assert controlid("ab12cd34ef", 42, 0) == controlid("ab12cd34ef", 42, 0) == "ib-ab12cd34ef-42-g0"
    assert controlid("ab12cd34ef", 42, 1) != controlid("ab12cd34ef", 42, 0)
    assert controlid("ab12cd34ef", 42, 0) != controlid("ff12cd34ef", 42, 0)


def test_controlid_is_safe_and_bounded():
    value = controlid("we ird/uid", 10**30, 7)
    assert " " not in value and "/" not in value and len(value) <= 256
    with pytest.raises(ValueError):
        controlid("x" * 300, 1, 0)
    with pytest.raises(ValueError):
        controlid("ab", 1, -1)


def test_reference_round_trips():
    ref = reference_no("ab12cd34ef", 42)
    assert ref == "ib-ab12cd34ef-42"
    assert parse_reference_no(ref) == ("ab12cd34ef", 42)
    assert parse_reference_no("EXT-123") is None
