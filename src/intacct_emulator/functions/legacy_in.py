"""Reading legacy (object-specific) function elements: lower-case children, y/m/d dates."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from ..backend.errors import RuleViolation
from .base import BUSINESS_ERROR, ErrorInfo, FunctionFailure, business_error, child_text


def required_text(node: etree._Element, name: str, function: str) -> str:
    value = child_text(node, name)
    if not value:
        raise business_error(f"Required field {name} is missing in {function}", f"{function} needs <{name}>.")
    return value


def ymd(node: etree._Element, name: str, function: str, *, required: bool = False) -> str:
    """An ISO date from ``<name><year/><month/><day/></name>``; empty when absent and not required."""
    child = node.find(name)
    if child is None:
        if required:
            raise business_error(f"Required field {name} is missing in {function}", f"{function} needs <{name}>.")
        return ""
    try:
        return dt.date(int(child.findtext("year", "")), int(child.findtext("month", "")),
                       int(child.findtext("day", ""))).isoformat()
    except ValueError:
        raise business_error(f"Invalid date in <{name}> of {function}",
                             "Legacy dates are <year>YYYY</year><month>M</month><day>D</day>.") from None


def violation_failure(violation: RuleViolation, trailer: str) -> FunctionFailure:
    """A rule violation as business errors, closed by a 'Could not create ...' line like the gateway's."""
    errors = [ErrorInfo(BUSINESS_ERROR, d, d2) for d, d2 in violation.problems]
    errors.append(ErrorInfo(BUSINESS_ERROR, trailer))
    return FunctionFailure(errors)


def key_element(value: str) -> etree._Element:
    node = etree.Element("key")
    node.text = value
    return node
