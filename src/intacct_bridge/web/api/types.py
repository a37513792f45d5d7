"""Field types the API's request bodies share, with limits the store can always hold.

Every bound here prevents a server error rather than a user error: text without NUL
characters (PostgreSQL refuses them), timestamps whose UTC conversion cannot overflow,
amounts as decimal text (JSON numbers are binary floats and would lose cents).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from intacct_bridge.domain.intake import FIELD_LIMITS

NO_NUL = r"^[^\x00]*$"
MIN_YEAR, MAX_YEAR = 1900, 2200


def _sane_moment(value: datetime) -> datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    if value.tzinfo is not None:
        value.astimezone(UTC)
    return value


def text(max_length: int, min_length: int = 0) -> type[str]:
    """A string of bounded length without NUL characters, surrounding blanks removed."""
    return Annotated[  # type: ignore[return-value]
        str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=NO_NUL)
    ]


def intake_text(field: str, min_length: int = 0) -> type[str]:
    """Text of a record that goes through intake, bounded by the shared `FIELD_LIMITS`.

    Characters XML cannot carry (NUL among them) are left to intake, which refuses them
    naming the record, field and character, or replaces them under the workspace's policy.
    """
    return Annotated[  # type: ignore[return-value]
        str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=FIELD_LIMITS[field])
    ]


ExternalId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                              max_length=FIELD_LIMITS["external_id"], pattern=NO_NUL),
                       Field(description="The record's id in the caller's system (the upsert key).")]
Amount = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^-?\d{1,16}(\.\d{1,2})?$"),
                   Field(description="Decimal text with at most 2 places, e.g. \"125.00\" or \"-20.5\".",
                         examples=["125.00"])]
Moment = Annotated[datetime, AfterValidator(_sane_moment),
                   Field(description="ISO 8601; without an offset it is read in the workspace's time zone.")]
Quantity = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^-?\d{1,14}(\.\d{1,4})?$"),
                     Field(description="Decimal text with at most 4 places, e.g. \"2\" or \"1.5\".", examples=["2"])]


def _sane_day(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


Day = Annotated[date, AfterValidator(_sane_day), Field(description="A calendar date, YYYY-MM-DD.")]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=FIELD_LIMITS["url"],
                                       pattern=r"^https?://[^\x00\s]+$")]
RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]
CampaignRef = Annotated[RowId | Annotated[str, StringConstraints(min_length=1, max_length=FIELD_LIMITS["campaigns"],
                                                                 pattern=NO_NUL)],
                        Field(description="A campaign id, or its name (`CR 4100`, `Locations: DR 100`).")]


class Strict(BaseModel):
    """A request body: unknown fields are refused (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid")
