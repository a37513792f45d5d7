"""Error classes: each failure kind maps to one class with its own fix; transient ones back off to a cap."""

from __future__ import annotations

from datetime import timedelta

import pytest

from intacct_bridge.domain.error_classes import (
    FIXES, MAX_ATTEMPTS, ErrorClass, backoff, class_of_text, gives_up, parse_class,
)
from intacct_bridge.domain.remedies import with_fixes
from intacct_bridge.intacct import errors
from intacct_bridge.sync.diagnosis import error_class


def _result_error(errorno: str, description: str, description2: str = "") -> errors.IntacctError:
    return errors.classify("result", [errors.ErrorDetail(errorno, description, description2)], controlid="c1",
                           function="create")


@pytest.mark.parametrize(("error", "expected"), [
    (_result_error("BL03000018", "You do not have permission for API operation CREATE on objects of type GLBATCH."),
     ErrorClass.PERMISSION),
    (_result_error("BL01001973", "The invoice date 2026-01-05 is in a closed period",
                   "The books are closed through 2026-01-31 at entity top level"), ErrorClass.CLOSED_PERIOD),
    (_result_error("BL34000061", "Another AR Invoice with the given value(s) INV-7 already exists"),
     ErrorClass.DUPLICATE),
    (_result_error("BL01001973", "Journal entry is out of balance"), ErrorClass.BUSINESS_RULE),
    (errors.classify("control", [errors.ErrorDetail("GW-0010", "Rate limit exceeded")], http_status=429),
     ErrorClass.RATE_LIMIT),
    (errors.TransientServerError("request", description="HTTP 503", http_status=503), ErrorClass.TRANSIENT),
    (errors.classify("authentication", [errors.ErrorDetail("XL03000006", "Sign-in information is incorrect")]),
     ErrorClass.CONNECTION),
    (errors.classify("control", [errors.ErrorDetail("XL03000006", "Invalid Web Services Authorization")]),
     ErrorClass.CONNECTION),
])
def test_every_failure_kind_has_its_class(error, expected):
    assert error_class(error) is expected


def test_backoff_grows_to_a_ceiling_and_gives_up_at_the_cap():
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert backoff(40) == timedelta(hours=6)
    assert not gives_up(MAX_ATTEMPTS - 1) and gives_up(MAX_ATTEMPTS)


def test_a_closed_period_is_not_fixed_by_campaigns():
    reasons = [{"field": "intacct", "message": "Intacct rejected it: the date is in a closed period"}]
    plain = with_fixes(reasons)[0]["fix"]
    classed = with_fixes(reasons, "journal_entry", ErrorClass.CLOSED_PERIOD.value)[0]["fix"]
    assert "campaigns" in plain and "campaign" not in classed and classed == FIXES[ErrorClass.CLOSED_PERIOD]
    assert class_of_text("The books are closed through 2026-01-31") is ErrorClass.CLOSED_PERIOD


def test_class_names_are_parsed_leniently_and_unknown_ones_named():
    assert parse_class("closed-period") is ErrorClass.CLOSED_PERIOD
    assert parse_class("Rate limit") is ErrorClass.RATE_LIMIT
    with pytest.raises(ValueError, match="the classes are: validation, connection"):
        parse_class("oops")
