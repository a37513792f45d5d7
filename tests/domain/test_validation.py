"""The validation gate: every rule of SPEC §2, each reason naming its field and fix."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from domain_builders import accounts, action, settings, tag

from intacct_bridge.domain import validate_action
from intacct_bridge.domain.model import CampaignTag
from intacct_bridge.domain.vocabulary import Dimension as D


def fields(reasons):
    return [r.field for r in reasons]


def test_a_complete_action_is_valid():
    assert validate_action(action(), settings()) == []


@pytest.mark.parametrize("missing", ["CR", "DR"])
def test_missing_account_side_names_the_fix(missing):
    present = "DR" if missing == "CR" else "CR"
    reasons = validate_action(action(tag(D.ACCOUNT, present, "1000")), settings())
    assert fields(reasons) == [f"account.{missing}"]
    assert reasons[0].message == (
        f"no {missing} account: add one campaign from [Sage Intacct] Accounts with side {missing}"
    )


def test_no_campaigns_at_all_lacks_both_accounts():
    reasons = validate_action(action(CampaignTag(None, "Spring Gala", "Events")), settings())
    assert fields(reasons) == ["account.CR", "account.DR"]


def test_two_of_one_side_is_invalid_and_lists_them():
    a = action(*accounts(), tag(D.ACCOUNT, "CR", "4100"))
    reasons = validate_action(a, settings())
    assert fields(reasons) == ["account.CR"]
    assert "2 CR account campaigns (CR 4000, CR 4100)" in reasons[0].message
    assert "keep exactly one" in reasons[0].message


def test_require_needs_both_sides():
    s = settings(location="require")
    assert fields(validate_action(action(), s)) == ["location.CR", "location.DR"]
    ok = action(*accounts(), tag(D.LOCATION, "CR", "100"), tag(D.LOCATION, "DR", "200"))
    assert validate_action(ok, s) == []


def test_available_allows_none_or_a_full_pair():
    s = settings(department="available")
    assert validate_action(action(), s) == []
    pair = action(*accounts(), tag(D.DEPARTMENT, "CR", "ADM"), tag(D.DEPARTMENT, "DR", "ADM"))
    assert validate_action(pair, s) == []
    half = action(*accounts(), tag(D.DEPARTMENT, "DR", "ADM"))
    reasons = validate_action(half, s)
    assert fields(reasons) == ["department.CR"]
    assert "[Sage Intacct] Departments" in reasons[0].message


def test_exclude_ignores_even_broken_campaigns():
    broken = action(*accounts(), tag(D.CLASS, "CR", "C1"), tag(D.CLASS, "CR", "C2", active=False))
    assert validate_action(broken, settings(**{"class": "exclude"})) == []


def test_custom_field_uses_its_label_and_category():
    reasons = validate_action(action(), settings(custom="require"))
    assert fields(reasons) == ["custom.CR", "custom.DR"]
    assert reasons[0].message == "no CR Fund: add one campaign from [Sage Intacct] Fund with side CR"


def test_campaigns_of_a_previous_custom_field_do_not_count():
    old = CampaignTag(None, "CR P1", "[Sage Intacct] Project", D.CUSTOM, tag(D.ACCOUNT, "CR", "x").side, "P1",
                      intacct_object="PROJECT")
    assert validate_action(action(*accounts(), old), settings(custom="available")) == []


def test_inactive_campaign_is_invalid():
    a = action(tag(D.ACCOUNT, "CR", "4000", active=False), tag(D.ACCOUNT, "DR", "1000"))
    reasons = validate_action(a, settings())
    assert fields(reasons) == ["account.CR"]
    assert "'CR 4000' is inactive in Sage Intacct" in reasons[0].message


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (None, "missing"),
        ("", "missing"),
        (Decimal("0"), "zero"),
        ("0.00", "zero"),
        ("12,50", "not a number"),
        ("abc", "not a number"),
        ("NaN", "not a finite number"),
        ("Infinity", "not a finite number"),
        ("10.005", "more than 2 decimal places"),
        (Decimal("1.001"), "more than 2 decimal places"),
        (12.5, "binary number"),
        ("1e30", "too large"),
    ],
)
def test_bad_amounts(amount, words):
    reasons = validate_action(action(amount=amount), settings())
    assert fields(reasons) == ["amount"]
    assert words in reasons[0].message


@pytest.mark.parametrize("amount", ["12.50", "12.500", "-3", Decimal("-99.99"), 7])
def test_good_amounts(amount):
    assert validate_action(action(amount=amount), settings()) == []


@pytest.mark.parametrize(("happened", "words"), [(None, "missing"), ("30/06/2025", "not a date"), ("2025-02-30", "not a date")])
def test_bad_dates(happened, words):
    reasons = validate_action(action(happened_at=happened), settings())
    assert fields(reasons) == ["happened_at"]
    assert words in reasons[0].message


def test_a_plain_date_is_a_good_date():
    assert validate_action(action(happened_at=date(2025, 6, 30)), settings()) == []


def test_reasons_accumulate():
    a = action(tag(D.ACCOUNT, "DR", "1000", active=False), amount=None, happened_at=None)
    assert fields(validate_action(a, settings(location="require"))) == [
        "amount", "happened_at", "account.CR", "account.DR", "location.CR", "location.DR",
    ]


def test_settings_problems():
    from intacct_bridge.domain import SyncSettings
    from intacct_bridge.domain.vocabulary import DimensionMode

    s = SyncSettings(modes={D.CUSTOM: DimensionMode.REQUIRE}, journal=" ", timezone="Mars/Olympus")
    assert [r.field for r in s.problems()] == ["journal", "custom_field", "timezone"]
    assert settings().problems() == []
