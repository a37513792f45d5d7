"""Finding one record of a workspace by the id a user types: ours, or the one it has in their system."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from intacct_bridge.store.errors import Conflict, NotFound

M = TypeVar("M")


def find_by_ref(session: Session, model: type[M], workspace_id: int, ref: str | int, noun: str) -> M:
    """By internal id or by external id.

    When a number is one record's id and another's external id, neither is guessed: the
    error names both and what to write for each.
    """
    table: Any = model
    text = str(ref).strip()
    conditions = [table.external_id == text]
    if text.isdigit():
        conditions.append(table.id == int(text))
    found = session.scalars(
        select(model).where(table.workspace_id == workspace_id, or_(*conditions)).order_by(table.id).limit(2)
    ).all()
    if not found:
        raise NotFound(f"no {noun} {text!r} in this workspace")
    if len(found) > 1:
        first: Any = found[0]
        by_id, by_external = (found[0], found[1]) if first.id == int(text) else (found[1], found[0])
        raise Conflict(
            f"{text!r} names two {noun}s: id {by_id.id} (external id {by_id.external_id!r}) and external id "  # type: ignore[attr-defined]
            f"{text!r} (id {by_external.id}); write {by_id.external_id!r} or {by_external.id} instead"  # type: ignore[attr-defined]
        )
    return found[0]
