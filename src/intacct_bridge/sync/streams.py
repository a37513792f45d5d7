"""Streams of Intacct reference values (accounts and dimensions), singer-style.

Each stream is one Intacct object described by a `DimensionSpec` (object,
key field, name field) and yields normalized `PulledValue`s page by page
through the client's `iter_query`, so a chart of accounts of any size never
sits in memory whole. The pull engine decides which streams run (accounts
always, the others unless their mode is Exclude) and what to do with the values.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from intacct_bridge.domain.vocabulary import (
    CATEGORY_PREFIX,
    STANDARD_DIMENSIONS,
    Dimension,
    DimensionSpec,
    custom_category_name,
)

PAGE_SIZE = 2000  # `query` allows up to 2000 rows a page; fewer pages = fewer API transactions
CUSTOM_ID_FIELD = "id"      # user-defined dimensions are platform objects: lower-case id ...
CUSTOM_NAME_FIELD = "name"  # ... and name fields


class QueryClient(Protocol):
    """The part of `IntacctClient` a stream needs."""

    def iter_query(self, object_name: str, fields: list[str], **kwargs: Any) -> Iterator[dict[str, Any]]: ...


@dataclass(frozen=True, slots=True)
class PulledValue:
    """One value of an account list or dimension, as the engine stores it."""

    key: str      # what a GL line carries: ACCOUNTNO, LOCATIONID, ...
    name: str     # what a person reads next to it
    active: bool
    owner: str | None = None   # the entity it was created at (MEGAENTITYID); None: top level


@dataclass(frozen=True, slots=True)
class Stream:
    """One Intacct object read as a stream of `PulledValue`s."""

    spec: DimensionSpec
    label: str  # how a person names the object ("Departments"): permission messages, progress
    owned: bool = True  # its records carry the entity that owns them (entities themselves do not)

    @property
    def fields(self) -> list[str]:
        return [self.spec.id_field, self.spec.name_field, "STATUS", *((OWNER_FIELD,) if self.owned else ())]

    def values(self, client: QueryClient, page_size: int = PAGE_SIZE) -> Iterator[PulledValue]:
        """Yield every value of the object, skipping rows without a key.

        `showprivate`: at the top level of a multi-entity company the values created at entities are
        listed too (reference §5), each with the entity that owns it; elsewhere it changes nothing.
        """
        return self.values_of(client.iter_query(self.spec.intacct_object, self.fields, page_size=page_size,
                                                show_private=True))

    def values_of(self, rows: Iterator[dict[str, Any]]) -> Iterator[PulledValue]:
        """The values of the object's rows (read by `values`, or by the client with other streams)."""
        for row in rows:
            key = _text(row.get(self.spec.id_field))
            if key:
                name = _text(_dotted(row, self.spec.name_field)) or key
                yield PulledValue(key=key, name=name, active=_is_active(row.get("STATUS")),
                                  owner=_text(row.get(OWNER_FIELD)) or None)

    def first_page(self, client: QueryClient) -> None:
        """Read one row: the cheapest way to learn whether the user may read this object at all."""
        next(iter(client.iter_query(self.spec.intacct_object, self.fields, page_size=1)), None)


OWNER_FIELD = "MEGAENTITYID"  # "Created at" entity of a record (reference §5)


def _dotted(row: dict[str, Any], name: str) -> Any:
    """A field by its query name: `PERSONALINFO.CONTACTNAME` comes back nested (`{"PERSONALINFO": {...}}`)."""
    value: Any = row
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _is_active(status: Any) -> bool:
    # Objects without a STATUS field are active; Intacct also spells it T/F on some objects.
    return _text(status).lower() in ("", "active", "t", "true")


# How a person names each standard object: its campaign category without the `[Sage Intacct] ` prefix.
STANDARD_LABELS = {d: spec.category_name.removeprefix(CATEGORY_PREFIX) for d, spec in STANDARD_DIMENSIONS.items()}


def standard_stream(dimension: Dimension) -> Stream:
    return Stream(STANDARD_DIMENSIONS[dimension], STANDARD_LABELS[dimension])


def custom_stream(label: str, object_name: str, gl_field: str) -> Stream:
    """The stream of the one custom field or user-defined dimension a workspace configured."""
    spec = DimensionSpec(
        Dimension.CUSTOM,
        custom_category_name(label),
        object_name,
        CUSTOM_ID_FIELD,
        CUSTOM_NAME_FIELD,
        gl_field,
        label,
    )
    return Stream(spec, label)
