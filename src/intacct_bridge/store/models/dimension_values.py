"""Dimension values the finance admin asked to create in Sage Intacct (the Campaigns page's "Add"): an outbox
record like any other (`sync.dimension_value_kind`), created once with a stable id, then found by its id."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intacct_bridge.store.models.base import Base
from intacct_bridge.store.models.receivables import OutboxColumns


class DimensionValue(OutboxColumns, Base):
    """One location, department, class or custom-field value to create; `external_id` is `OBJECT:ID`."""

    __tablename__ = "dimension_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    dimension: Mapped[str] = mapped_column(String(16))
    category_name: Mapped[str] = mapped_column(String(300))
    object_name: Mapped[str] = mapped_column(String(100))
    id_field: Mapped[str] = mapped_column(String(100))
    name_field: Mapped[str] = mapped_column(String(100))
    value_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
