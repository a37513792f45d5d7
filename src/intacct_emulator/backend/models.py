"""The account-level actors of the gateway: senders, companies, users and entities.

These are plain frozen dataclasses read out of the store. Passwords are held in
clear (the emulator is a test double) but kept out of ``repr`` so that a logged
object never leaks one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sender:
    """A Web Services sender (partner) id and its password."""

    sender_id: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Company:
    """A company: whether it subscribes to Web Services and which IPs may sign in."""

    company_id: str
    name: str
    web_services: bool
    allowed_ips: list[str] | None  # None = any address
    closed_through: dt.date | None


@dataclass(frozen=True)
class User:
    """A Web Services user of one company and the objects it may read and write."""

    company_id: str
    user_id: str
    password: str = field(repr=False)
    active: bool = True
    permissions: frozenset[str] = frozenset({"*"})
    entities: frozenset[str] | None = None  # None: every entity and the top level; else only these entities

    def may_reach(self, entity_id: str | None) -> bool:
        """Whether the user's entity access lets it sign in there (a restricted user never reaches the top level)."""
        return self.entities is None or (entity_id is not None and entity_id in self.entities)

    def may_access(self, object_name: str) -> bool:
        """True when the user's role grants the object (``*`` grants every object)."""
        return "*" in self.permissions or object_name.upper() in self.permissions


@dataclass(frozen=True)
class Entity:
    """An entity (LOCATIONENTITY) of a multi-entity company; sessions can be scoped to it."""

    company_id: str
    entity_id: str
    name: str
    recordno: int
    closed_through: dt.date | None
