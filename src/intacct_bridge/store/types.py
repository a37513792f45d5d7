"""Column types that keep the domain's promises on every backend.

SQLite has no time zone and no decimal type; these decorators make a value read back
equal to the value written: aware UTC datetimes and 2-place Decimals.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect, Numeric
from sqlalchemy.types import TypeDecorator, TypeEngine



class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp; naive datetimes are refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is UTC:  # nearly every value (utcnow): skip the conversions below
            return value.replace(tzinfo=None) if dialect.name == "sqlite" else value
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        # SQLite stores text; drop tzinfo there so it sorts and compares as plain ISO text.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class FixedDecimal(TypeDecorator[Decimal]):
    """Numeric(18, places) that only accepts Decimal (never float) and always returns `places`-place Decimals.

    SQLite has no decimal type: a NUMERIC column there stores REAL, a float. So on SQLite the
    value is stored as an integer count of the smallest unit (exact, and SUM stays exact); on
    PostgreSQL it is a true NUMERIC(18, places). Subclasses fix `places` and the word errors use.
    """

    impl = Numeric(18, 2, asdecimal=True)
    cache_ok = True
    places = 2
    what = "value"

    @property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.places)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(self.impl)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Decimal | int | None:
        if value is None:
            return None
        if isinstance(value, float | bool) or not isinstance(value, Decimal | int):
            raise TypeError(f"{self.what} must be a Decimal, not {type(value).__name__}")
        decimal = Decimal(value)
        if decimal != decimal.quantize(self.quantum):
            raise ValueError(f"{self.what} {decimal} has more than {self.places} decimal places")
        if dialect.name == "sqlite":
            return int(decimal.scaleb(self.places))
        return decimal.quantize(self.quantum)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.places).quantize(self.quantum)
        return Decimal(str(value)).quantize(self.quantum)


class Money(FixedDecimal):
    """An amount: Numeric(18, 2), exact on every backend (see `FixedDecimal`)."""

    impl = Numeric(18, 2, asdecimal=True)
    cache_ok = True
    places = 2
    what = "money"


class Quantity(FixedDecimal):
    """A quantity (items sold, stock on hand): not money, so up to 4 decimal places (1.5 kg, 0.25 h)."""

    impl = Numeric(18, 4, asdecimal=True)
    cache_ok = True
    places = 4
    what = "quantity"


def alembic_compare_type(
    context: Any, inspected_column: Any, metadata_column: Any, inspected_type: Any, metadata_type: Any
) -> bool | None:
    """Alembic hook: a Money (Quantity) column is NUMERIC(18, 2) (18, 4) in every migration, whatever SQLite stores."""
    if isinstance(metadata_type, FixedDecimal):
        return not isinstance(inspected_type, Numeric | BigInteger)
    return None  # Alembic's own comparison
