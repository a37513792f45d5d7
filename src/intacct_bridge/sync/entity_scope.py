"""One client, seen from one entity: every call goes to that entity's session.

The outbox posts, looks up and settles records where they were written (a posting keeps its
entity), without knowing which kind it handles: it hands a kind's `find` this view of the
client instead of the client. `None` means the connection's own level (the client's default).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class EntityScoped:
    """The calls the outbox makes (`execute_many`, `iter_query`, `execute`), pinned to one entity."""

    def __init__(self, client: Any, entity: str | None) -> None:
        self._client = client
        self.entity = entity

    def _pinned(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        return kwargs if self.entity is None else {**kwargs, "entity": self.entity}

    def execute_many(self, functions: Sequence[Any], **kwargs: Any) -> list[Any]:
        return self._client.execute_many(functions, **self._pinned(kwargs))

    def execute(self, function: Any, **kwargs: Any) -> Any:
        return self._client.execute(function, **self._pinned(kwargs))

    def iter_query(self, object_name: str, fields: list[str], **kwargs: Any) -> Any:
        return self._client.iter_query(object_name, fields, **self._pinned(kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)  # config, usage...: the client's own


def scoped(client: Any, entity: str | None) -> Any:
    """`client` itself for the connection's level, else its view from `entity`."""
    return client if entity is None else EntityScoped(client, entity)
