"""User-defined dimensions on invoice, credit memo, bill and AP adjustment lines (seed 001 allows up to 20).

A line names them by their Intacct object (`{"PROGRAM": "P-10"}`), beside the workspace's one custom
field (`custom_value`). Each dimension keeps its Require / Available / Exclude mode, as on journal entries:
a required one missing, or one the workspace has not set up, is refused with the fix; an excluded one is
not sent. What is sent goes in the dimension's GL line field (GLDIMPROGRAM).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.next_steps import SET_UP_DIMENSION
from intacct_bridge.domain.sync_settings import CustomField
from intacct_bridge.domain.vocabulary import DimensionMode


def line_values(line: Any) -> Mapping[str, str]:
    """The user-defined dimension values a line names, by object (none: empty)."""
    return getattr(line, "dimensions", None) or {}


def line_gl_fields(line: Any, custom_field: str | None, dimensions: Sequence[CustomField]) -> dict[str, str]:
    """{GL line field: value} for the custom field and every user-defined dimension not excluded."""
    fields = {custom_field: line.custom_value} if custom_field and line.custom_value else {}
    values = line_values(line)
    for dimension in dimensions:
        value = values.get(dimension.object_name)
        if value and dimension.mode is not DimensionMode.EXCLUDE:
            fields[dimension.gl_field] = value
    return fields


def line_dimension_reasons(view: Any, dimensions: Sequence[CustomField]) -> list[Reason]:
    """Each line: every required dimension named, none the workspace has not set up."""
    known = {d.object_name: d for d in dimensions}
    reasons: list[Reason] = []
    for number, line in enumerate(getattr(view, "lines", ()) or (), start=1):
        values = line_values(line)
        at = f"lines[{number}].dimensions"
        for name in sorted(set(values) - set(known)):
            reasons.append(Reason(f"{at}.{name}", f"{name} is not a user-defined dimension of this workspace "
                                  f"(set up: {', '.join(sorted(known)) or 'none'}): {SET_UP_DIMENSION}, or remove it from the "
                                  "line and import the record again"))
        for dimension in dimensions:
            if dimension.mode is DimensionMode.REQUIRE and not values.get(dimension.object_name):
                reasons.append(Reason(f"{at}.{dimension.object_name}", f"{dimension.label} is required on every "
                                      f"line: give the line a {dimension.object_name} value and import it again"))
    return reasons
