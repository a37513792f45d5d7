"""Dimension values created in Sage Intacct from the Campaigns page: which dimensions can be, and the checks.

Locations, departments, classes and the workspace's custom field (a user-defined dimension) are
plain objects with an id and a name that a generic `create` writes (the emulator models them so; the
XML reference's create examples include them). Accounts are not offered: an account also needs its
type, normal balance and closing rules, which belong in Intacct's own screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.vocabulary import STANDARD_DIMENSIONS, Dimension, DimensionMode, DimensionSpec
from intacct_bridge.domain.xml_text import unsafe_problem

CREATABLE = (Dimension.LOCATION, Dimension.DEPARTMENT, Dimension.CLASS, Dimension.CUSTOM)
# What Intacct accepts as a dimension id in practice: letters, digits, - and _ (ours: the references are silent).
VALUE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,19}")
MAX_NAME = 80
CUSTOM_ID_FIELD, CUSTOM_NAME_FIELD = "id", "name"   # a user-defined dimension is a platform object


@dataclass(frozen=True)
class DimensionValueView:
    id: int
    external_id: str
    dimension: str
    category_name: str
    object_name: str
    id_field: str
    name_field: str
    value_id: str
    name: str

    def spec(self) -> DimensionSpec:
        """The pull's description of the value's dimension (for its campaigns once created)."""
        return DimensionSpec(Dimension(self.dimension), self.category_name, self.object_name, self.id_field,
                             self.name_field, "", self.dimension)


def creatable_specs(settings: SyncSettings) -> dict[Dimension, DimensionSpec]:
    """The dimensions a value can be created in: the creatable ones the workspace does not exclude."""
    specs: dict[Dimension, DimensionSpec] = {}
    for dimension in CREATABLE:
        if settings.mode(dimension) is DimensionMode.EXCLUDE:
            continue
        if dimension is Dimension.CUSTOM:
            field = settings.custom_field
            assert field is not None  # not Exclude without a custom field (`SyncSettings.problems`)
            specs[dimension] = DimensionSpec(dimension, field.category_name, field.object_name, CUSTOM_ID_FIELD,
                                             CUSTOM_NAME_FIELD, field.gl_field, field.label)
        else:
            specs[dimension] = STANDARD_DIMENSIONS[dimension]
    return specs


def value_reasons(value_id: str, name: str) -> list[Reason]:
    """What is wrong with an id and name before anything is stored or sent."""
    reasons = []
    if not VALUE_ID.fullmatch(value_id):
        reasons.append(Reason("value_id", f"id {value_id[:40]!r}: use 1 to 20 letters, digits, - or _, e.g. 300"))
    if not name.strip():
        reasons.append(Reason("name", "the name is empty: enter what Intacct should show, e.g. West Region"))
    elif len(name) > MAX_NAME:
        reasons.append(Reason("name", f"the name is {len(name)} characters long: at most {MAX_NAME}"))
    elif problem := unsafe_problem(name):
        reasons.append(Reason("name", problem))
    return reasons


def check_value(view: DimensionValueView, _settings: object = None) -> list[Reason]:
    """The kind's rule: the same checks at each run (a row is only stored checked, so this rarely finds any)."""
    return value_reasons(view.value_id, view.name)
