"""The handler contract (ARCHITECTURE §1.2): call context, outcome, failure."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ..backend import Backend, User
from ..backend.catalogue import ObjectDef
from ..backend.lookups import RequestLookups
from ..backend.models import Entity
from ..backend.objects import get_object
from ..backend.records import Record, Scope

BUSINESS_ERROR = "BL01001973"
PERMISSION_ERROR = "BL03000018"
DUPLICATE_ERROR = "BL34000061"


@dataclass(frozen=True)
class ErrorInfo:
    """One ``<error>`` of an ``<errormessage>``."""

    errorno: str
    description: str
    description2: str | None = None
    correction: str | None = None


class FunctionFailure(Exception):
    """A function-level failure; the wire layer answers ``<result><status>failure`` with these errors."""

    def __init__(self, errors: list[ErrorInfo] | ErrorInfo) -> None:
        self.errors = errors if isinstance(errors, list) else [errors]
        super().__init__("; ".join(e.description for e in self.errors))


@dataclass
class FunctionOutcome:
    """What a successful function adds to its ``<result>`` and how many API transactions it bills."""

    children: list[etree._Element] = field(default_factory=list)
    billable: int = 0


@dataclass
class CallContext:
    """Everything a handler may use: the backend, the open transaction and who is calling."""

    backend: Backend
    conn: sqlite3.Connection
    company_id: str
    user: User
    entity_id: str | None
    now: dt.datetime
    endpoint: str = ""
    lookups: RequestLookups = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # One per request (the dispatcher makes one context per operation): see backend.lookups.
        self.lookups = RequestLookups(self.backend, self.conn, self.company_id)

    def find_reference(self, odef: ObjectDef, value: str, scope: Scope | None = None) -> Record | None:
        """The record a write names (read-only), from this request's lookups; the reference scope by default."""
        return self.lookups.find(odef, value, scope or self.reference_scope())

    def scope(self, show_private: bool = False) -> Scope:
        """The records this session sees (its entity's and top-level ones)."""
        return Scope(self.entity_id, show_private)

    def reference_scope(self) -> Scope:
        """The records a write may name: at top level every entity's (a top-level journal entry posts to
        entity locations), at an entity its own and the shared top-level ones."""
        return Scope(self.entity_id, show_private=True)

    def entity(self) -> Entity | None:
        if self.entity_id is None:
            return None
        return self.lookups.entity(self.entity_id)


Handler = Callable[[CallContext, etree._Element], FunctionOutcome]


def business_error(description: str, description2: str | None = None, correction: str | None = None) -> FunctionFailure:
    return FunctionFailure(ErrorInfo(BUSINESS_ERROR, description, description2, correction))


def require_object(name: str | None, *, errorno: str = "Query Failed") -> ObjectDef:
    """The named object's definition, or the gateway's 'Object definition X not found' failure."""
    odef = get_object(name or "")
    if odef is None:
        raise FunctionFailure(ErrorInfo(errorno, f"Object definition {name or ''} not found"))
    return odef


def check_permission(ctx: CallContext, operation: str, odef: ObjectDef) -> None:
    """Refuse the call when the user's role does not grant the object (BL03000018)."""
    if not ctx.user.may_access(odef.name):
        raise FunctionFailure(
            ErrorInfo(
                PERMISSION_ERROR,
                f"You do not have permission for API operation {operation} on objects of type {odef.name}.",
            )
        )


def child_text(element: etree._Element, name: str, default: str | None = None) -> str | None:
    """Text of the first child named ``name`` (case-sensitive, like the gateway), stripped; ``default`` if absent."""
    child = element.find(name)
    if child is None:
        return default
    return (child.text or "").strip()


def sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    node = etree.SubElement(parent, tag)
    if text is not None:
        node.text = text
    return node
