"""Summary entries over REST: the list, and one summary with its lines and the actions it holds."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from intacct_bridge.store.repositories.summaries import SummaryInfo, get_summary, list_summaries
from intacct_bridge.web.api.deps import PathId, ReadSession, WorkspaceId
from intacct_bridge.web.api.pagination import Cursor, Limit, decode_cursor, next_cursor
from intacct_bridge.web.api.schemas_records import Page

router = APIRouter(prefix="/workspaces/{workspace}", tags=["summaries"])


class SummaryLineOut(BaseModel):
    account: str
    side: str = Field(description="debit or credit")
    amount: Decimal
    dimensions: dict[str, str] = Field(description="GL line field → value (LOCATION, GLDIMFUND...)")


class HeldActionOut(BaseModel):
    action_id: int
    external_id: str
    version: int = Field(description="The version of the action whose share is in the summary")
    amount: Decimal
    status: str = Field(description="The action's status now")
    still_held: bool = Field(description="False once its share was reversed (changed or deleted after posting)")


class SummaryOut(BaseModel):
    id: int
    reference: str = Field(description="The REFERENCENO it carries (ib-<ws>-s<hash of its content>)")
    journal: str
    entity: str | None
    period: str = Field(description="The day (YYYY-MM-DD) or run (run-<start>) it covers")
    posting_date: date
    status: str = Field(description="unposted, posted, failed, or dissolved (never held by Intacct; its actions "
                                    "changed and joined a new summary)")
    intacct_recordno: str | None
    description: str
    action_count: int
    debit_total: Decimal
    credit_total: Decimal
    created_at: datetime
    posted_at: datetime | None
    last_error: str | None


class SummaryDetailOut(SummaryOut):
    lines: list[SummaryLineOut]
    actions: list[HeldActionOut]


def summary_out(info: SummaryInfo) -> SummaryOut:
    return SummaryOut(**{k: v for k, v in info.as_dict().items() if k not in ("lines", "actions")})


@router.get("/summaries", summary="List summary entries (summary posting), oldest first")
def list_all_summaries(workspace_id: WorkspaceId, session: ReadSession, limit: Limit = 100, cursor: Cursor = None,
                       status: Annotated[str | None, Query(pattern="^(unposted|posted|failed|dissolved)$")] = None
                       ) -> Page[SummaryOut]:
    rows = list_summaries(session, workspace_id, status=status, after_id=decode_cursor(cursor) or 0, limit=limit)
    return Page[SummaryOut](items=[summary_out(r) for r in rows], next_cursor=next_cursor([r.id for r in rows], limit))


@router.get("/summaries/{summary_id}", summary="One summary entry: its lines and the actions it holds")
def one_summary(summary_id: PathId, workspace_id: WorkspaceId, session: ReadSession) -> SummaryDetailOut:
    return SummaryDetailOut(**get_summary(session, workspace_id, summary_id).as_dict())
