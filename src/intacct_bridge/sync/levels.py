"""Where in a multi-entity company a kind's records are written: at the workspace's level, or the top.

Master data (customers, vendors, items) is written at the top level of a multi-entity company
(seed 001), whatever level the workspace posts its transactions at: a kind declaring
`top_level = True` is handed the run's client through `TopLevelClient`, whose every write and
lookup names no entity (a session without a LOCATIONID). Recovery looks such records up the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class TopLevelClient:
    """The run's client, writing and reading at the top level (no entity), sessions and limits shared."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def execute(self, function: Any, **kwargs: Any) -> Any:
        return self._client.execute(function, **{**kwargs, "entity": None})

    def execute_many(self, functions: Sequence[Any], **kwargs: Any) -> list[Any]:
        return self._client.execute_many(functions, **{**kwargs, "entity": None})

    def iter_query(self, object_name: str, fields: list[str], **kwargs: Any) -> Any:
        return self._client.iter_query(object_name, fields, **{**kwargs, "entity": None})

    def __getattr__(self, name: str) -> Any:  # usage, config...: the run's client's own
        return getattr(self._client, name)


def client_for(kind: Any, client: Any) -> Any:
    """The client a kind's writes and lookups go through: the top level for master data."""
    return TopLevelClient(client) if getattr(kind, "top_level", False) else client
