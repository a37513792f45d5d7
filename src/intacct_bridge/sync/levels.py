"""Where in a multi-entity company a record is written: at an entity, or the top level.

Master data (customers, vendors, items) is written at the top level of a multi-entity company
(seed 001), whatever level the workspace posts its transactions at: a kind declaring
`top_level = True` is handed the run's client through `TopLevelClient`, whose every write and
lookup names no entity (a session without a LOCATIONID). Recovery looks such records up the same way.

At the entity level each other record is written in its entity's session: the outbox hands the
client `scoped` to the posting's entity, and looks a posting up there again later, whatever the
workspace's level has become since (a posting keeps where it went).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class EntityScoped:
    """The run's client, every write and lookup pinned to one entity (None: the top level); sessions and
    limits shared."""

    def __init__(self, client: Any, entity: str | None) -> None:
        self._client = client
        self.entity = entity

    def execute(self, function: Any, **kwargs: Any) -> Any:
        return self._client.execute(function, **{**kwargs, "entity": self.entity})

    def execute_many(self, functions: Sequence[Any], **kwargs: Any) -> list[Any]:
        return self._client.execute_many(functions, **{**kwargs, "entity": self.entity})

    def iter_query(self, object_name: str, fields: list[str], **kwargs: Any) -> Any:
        return self._client.iter_query(object_name, fields, **{**kwargs, "entity": self.entity})

    def iter_queries(self, queries: Sequence[tuple[str, Sequence[str]]], **kwargs: Any) -> Any:
        return self._client.iter_queries(queries, **{**kwargs, "entity": self.entity})

    def iter_read_by_query(self, object_name: str, *args: Any, **kwargs: Any) -> Any:
        return self._client.iter_read_by_query(object_name, *args, **{**kwargs, "entity": self.entity})

    def __getattr__(self, name: str) -> Any:  # usage, config...: the run's client's own (never a request)
        return getattr(self._client, name)


class TopLevelClient(EntityScoped):
    """The run's client, writing and reading at the top level (no entity)."""

    def __init__(self, client: Any) -> None:
        super().__init__(client, None)


def client_for(kind: Any, client: Any) -> Any:
    """The client a kind's writes and lookups go through: the top level for master data."""
    return TopLevelClient(client) if getattr(kind, "top_level", False) else client


def scoped(client: Any, entity: str | None) -> Any:
    """`client` as it is for a posting without an entity (the connection's level, or the top level for
    master data), else pinned to the posting's entity."""
    return client if entity is None else EntityScoped(client, entity)
