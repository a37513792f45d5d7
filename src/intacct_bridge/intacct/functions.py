"""Builders for the function elements a request carries.

Each builder has a `controlid` (default: a fresh uuid4).  For writes it is the
idempotency key: send the same function again with the same controlid and
`uniqueid=true`, and the gateway will not apply it twice.  `is_write` tells the
retry policy whether resending could change data.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping, Sequence

from lxml import etree

from .query import Filter
from .xml import append_value

MAX_READ_KEYS = 100
MAX_QUERY_PAGE = 2000
MAX_READ_BY_QUERY_PAGE = 1000


def new_controlid() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Function:
    """Base of every builder: one `<function controlid=…>` child."""

    name: ClassVar[str] = ""
    is_write: ClassVar[bool] = False
    controlid: str = field(default_factory=new_controlid, kw_only=True)

    def to_element(self) -> etree._Element:  # pragma: no cover - abstract
        raise NotImplementedError

    def _element(self) -> etree._Element:
        return etree.Element(self.name)


def _records(records: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> tuple[Mapping[str, Any], ...]:
    return (records,) if isinstance(records, Mapping) else tuple(records)


def _keys(keys: Sequence[str | int] | str | int) -> str:
    if isinstance(keys, (str, int)):
        keys = [keys]
    if not keys:
        raise ValueError("at least one key is needed")
    if len(keys) > MAX_READ_KEYS:
        raise ValueError(f"at most {MAX_READ_KEYS} keys per call; split them into several functions")
    return ",".join(str(k) for k in keys)


# --- generic writes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _GenericWrite(Function):
    object: str
    records: Mapping[str, Any] | Sequence[Mapping[str, Any]]
    is_write: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if not _records(self.records):
            raise ValueError(f"{self.name} needs at least one {self.object} record")

    @property
    def record_count(self) -> int:
        return len(_records(self.records))

    def to_element(self) -> etree._Element:
        element = self._element()
        for record in _records(self.records):
            append_value(element, self.object, record)
        return element


class Create(_GenericWrite):
    """`<create><OBJECT>…</OBJECT>…</create>`: one or more records of one object."""

    name = "create"


class Update(_GenericWrite):
    """`<update><OBJECT>…</OBJECT></update>`: records identified by RECORDNO or their ID field."""

    name = "update"


@dataclass(frozen=True)
class Delete(Function):
    object: str
    keys: Sequence[str | int] | str | int
    name: ClassVar[str] = "delete"
    is_write: ClassVar[bool] = True

    def __post_init__(self) -> None:
        _keys(self.keys)  # fail at construction, not when the request is built

    @property
    def record_count(self) -> int:
        return len(_keys(self.keys).split(","))

    def to_element(self) -> etree._Element:
        element = self._element()
        etree.SubElement(element, "object").text = self.object
        etree.SubElement(element, "keys").text = _keys(self.keys)
        return element


# --- generic reads ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Read(Function):
    """Records by RECORDNO (up to 100); owned lines come back nested."""

    object: str
    keys: Sequence[str | int] | str | int
    fields: str | Sequence[str] = "*"
    docparid: str | None = None
    name: ClassVar[str] = "read"

    def __post_init__(self) -> None:
        _keys(self.keys)

    def to_element(self) -> etree._Element:
        element = self._element()
        etree.SubElement(element, "object").text = self.object
        etree.SubElement(element, "keys").text = _keys(self.keys)
        etree.SubElement(element, "fields").text = _fields(self.fields)
        etree.SubElement(element, "returnFormat").text = "xml"
        append_value(element, "docparid", self.docparid)
        return element


class ReadByName(Read):
    """Records by their ID field (ACCOUNTNO, CUSTOMERID, …)."""

    name = "readByName"


def _fields(fields: str | Sequence[str]) -> str:
    return fields if isinstance(fields, str) else ",".join(fields)


@dataclass(frozen=True)
class ReadByQuery(Function):
    """First page of a legacy string query; the rest come with ReadMore(resultId)."""

    object: str
    query: str | Filter = ""
    fields: str | Sequence[str] = "*"
    page_size: int = MAX_READ_BY_QUERY_PAGE
    docparid: str | None = None
    name: ClassVar[str] = "readByQuery"

    def __post_init__(self) -> None:
        if not 1 <= self.page_size <= MAX_READ_BY_QUERY_PAGE:
            raise ValueError(f"readByQuery page size must be 1..{MAX_READ_BY_QUERY_PAGE}")

    def to_element(self) -> etree._Element:
        element = self._element()
        etree.SubElement(element, "object").text = self.object
        etree.SubElement(element, "fields").text = _fields(self.fields)
        query = self.query.to_sql() if isinstance(self.query, Filter) else self.query
        etree.SubElement(element, "query").text = query
        etree.SubElement(element, "pagesize").text = str(self.page_size)
        etree.SubElement(element, "returnFormat").text = "xml"
        append_value(element, "docparid", self.docparid)
        return element


@dataclass(frozen=True)
class ReadMore(Function):
    result_id: str
    name: ClassVar[str] = "readMore"

    def to_element(self) -> etree._Element:
        element = self._element()
        etree.SubElement(element, "resultId").text = self.result_id
        return element


@dataclass(frozen=True)
class Query(Function):
    """The `query` function: named fields, a Filter, ordering, offset paging up to 2000."""

    object: str
    select: Sequence[str]
    filter: Filter | None = None
    order_by: Sequence[str | tuple[str, str]] = ()   # "FIELD" (ascending) or ("FIELD", "desc")
    page_size: int = 100
    offset: int = 0
    case_insensitive: bool = False
    show_private: bool = False
    docparid: str | None = None
    name: ClassVar[str] = "query"

    def __post_init__(self) -> None:
        if not self.select or isinstance(self.select, str):
            raise ValueError("query needs a list of field names (selecting all fields is not supported)")
        if not 1 <= self.page_size <= MAX_QUERY_PAGE:
            raise ValueError(f"query page size must be 1..{MAX_QUERY_PAGE}")
        if self.offset < 0:
            raise ValueError("offset cannot be negative")

    def to_element(self) -> etree._Element:
        element = self._element()
        select = etree.SubElement(element, "select")
        for name in self.select:
            etree.SubElement(select, "field").text = name
        etree.SubElement(element, "object").text = self.object
        append_value(element, "docparid", self.docparid)
        if self.filter is not None:
            etree.SubElement(element, "filter").append(self.filter.to_element())
        if self.order_by:
            orderby = etree.SubElement(element, "orderby")
            for item in self.order_by:
                name, direction = (item, "asc") if isinstance(item, str) else item
                order = etree.SubElement(orderby, "order")
                etree.SubElement(order, "field").text = name
                etree.SubElement(order, "descending" if direction.lower().startswith("desc") else "ascending")
        if self.case_insensitive or self.show_private:
            options = etree.SubElement(element, "options")
            append_value(options, "caseinsensitive", self.case_insensitive or None)
            append_value(options, "showprivate", self.show_private or None)
        etree.SubElement(element, "pagesize").text = str(self.page_size)
        etree.SubElement(element, "offset").text = str(self.offset)
        return element


@dataclass(frozen=True)
class Lookup(Function):
    """Queryable fields, types and relationships of an object."""

    object: str
    name: ClassVar[str] = "lookup"

    def to_element(self) -> etree._Element:
        element = self._element()
        etree.SubElement(element, "object").text = self.object
        return element


@dataclass(frozen=True)
class Inspect(Function):
    object: str = "*"
    detail: bool = False
    name: ClassVar[str] = "inspect"

    def to_element(self) -> etree._Element:
        element = etree.Element(self.name, detail="1" if self.detail else "0")
        etree.SubElement(element, "object").text = self.object
        return element


@dataclass(frozen=True)
class GetDimensions(Function):
    name: ClassVar[str] = "getDimensions"

    def to_element(self) -> etree._Element:
        return self._element()


@dataclass(frozen=True)
class GetAPISession(Function):
    """Ask for a session: no location (the login's level), "" (top level) or an entity id."""

    location_id: str | None = None
    name: ClassVar[str] = "getAPISession"

    def to_element(self) -> etree._Element:
        element = self._element()
        if self.location_id is not None:
            etree.SubElement(element, "locationid").text = self.location_id or None
        return element


# The legacy builders live in their own module; re-exported here so callers use one namespace (fn.*).
from .legacy import (  # noqa: E402,F401
    CreateArAdjustment, CreateArPayment, CreateInvoice, CreateSoTransaction, GetCompanyPrefs, GetIcItemTotals, Legacy,
)
