"""Request and response bodies for constituents, actions and campaigns."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field, model_validator

from intacct_bridge.domain.vocabulary import ActionStatus, Side
from intacct_bridge.web.api.bulk import Each
from intacct_bridge.web.api.types import Amount, CampaignRef, ExternalId, Moment, RowId, Strict, Url, intake_text

T = TypeVar("T")

MAX_BULK = 10_000


class ConstituentIn(Strict):
    external_id: ExternalId
    name: intake_text("constituent_name", 1)  # type: ignore[valid-type]
    email: intake_text("email") | None = None  # type: ignore[valid-type]


class ConstituentOut(BaseModel):
    id: int
    external_id: str
    name: str
    email: str | None
    created_at: datetime


class ConstituentBulk(Strict):
    constituents: list[ConstituentIn] = Field(min_length=1, max_length=MAX_BULK)


class ConstituentRef(Strict):
    external_id: ExternalId | None = None
    name: intake_text("constituent_name") | None = None  # type: ignore[valid-type]


class ActionIn(Strict):
    """One action as the organization's system records it; the external id is the upsert key."""

    external_id: ExternalId
    type: intake_text("type", 1) = Field(description="donation, membership, ticket...")  # type: ignore[valid-type]
    amount: Amount | None = None
    happened_at: Moment | None = None
    created_at: Moment | None = Field(
        default=None, description="When your system recorded it (default: now); the sync compares it to its watermark.")
    summary: intake_text("summary") | None = Field(  # type: ignore[valid-type]
        default=None, description="Sent to Intacct in the entry's title and line memo, with tabs, newlines and runs "
                                  "of spaces collapsed to one space.")
    url: Url | None = None
    constituent: ConstituentRef | None = Field(default=None, description="`constituent_id` and `constituent_name` "
                                               "(the flat spelling of earlier CSV files) are accepted as aliases.")
    campaigns: list[CampaignRef] = Field(default_factory=list, max_length=100)

    @model_validator(mode="before")
    @classmethod
    def _flat_constituent(cls, data: Any) -> Any:
        """One spelling everywhere (`constituent.external_id`, `constituent.name`), the flat one kept as an alias."""
        if not isinstance(data, dict) or not {"constituent_id", "constituent_name"} & data.keys():
            return data
        data = dict(data)
        flat = {"external_id": data.pop("constituent_id", None), "name": data.pop("constituent_name", None)}
        nested = data.get("constituent")
        if nested is None or isinstance(nested, dict):
            data["constituent"] = {**{k: v for k, v in flat.items() if v is not None}, **(nested or {})}
        return data


class ActionBulk(Strict):
    actions: list[Each[ActionIn]] = Field(min_length=1, max_length=MAX_BULK)  # type: ignore[valid-type]


class UpsertResult(BaseModel):
    created: int
    updated: int
    unchanged: int


class CampaignTagOut(BaseModel):
    id: int
    name: str
    category: str
    side: Side | None
    value_id: str | None
    active: bool


class Reason(BaseModel):
    field: str
    message: str
    fix: str = Field(default="", description="What to do about it: fits the reason (re-import, campaigns, Intacct).")
    step: str = Field(default="", description="The step the reason asks for, if any (pull, vendors, settings, "
                                              "o2c_settings, dimensions): a client offers its own way to take it.")


class ActionOut(BaseModel):
    id: int
    external_id: str
    type: str
    amount: str | None
    happened_at: datetime | None
    created_at: datetime
    summary: str | None
    url: str | None
    status: ActionStatus
    posted_at: datetime | None
    intacct_recordno: str | None
    last_error: str | None
    constituent: ConstituentOut | None
    campaigns: list[CampaignTagOut]
    needs_review: bool
    review_reasons: list[Reason]
    summary_id: int | None = Field(default=None, description="The summary entry this version went into (summary "
                                                              "posting; GET .../summaries/{id}); null: on its own")


class VersionOut(BaseModel):
    """One write of an action to Intacct: a version's entry, or the reversal of a version."""

    kind: str = Field(description="entry, reversal, or summary (the summary entry a version went into)")
    version: int
    reference: str = Field(description="The REFERENCENO it carries (ib-<ws>-<id>[-v<n>], ib-<ws>-rev<n>)")
    controlid: str
    state: str = Field(description="pending, sent, posted, failed or ambiguous")
    intacct_recordno: str | None
    date: str | None
    amount: str | None
    reason: str | None = Field(description="A reversal's cause: changed or deleted at the source")
    reverses: str | None = Field(description="The reference a reversal takes back")


class Page(BaseModel, Generic[T]):
    """A page of a list; pass `next_cursor` back as `cursor` for the next one (null: the last page)."""

    items: list[T]
    next_cursor: str | None


class CampaignChange(Strict):
    add: list[CampaignRef] = Field(default_factory=list, max_length=100)
    remove: list[CampaignRef] = Field(default_factory=list, max_length=100)


class BulkCampaignChange(CampaignChange):
    action_ids: list[RowId] = Field(min_length=1, max_length=1000)


class TagOutcome(BaseModel):
    changed: list[int]
    unchanged: list[int]


class CampaignOut(CampaignTagOut):
    system: bool
    actions: int = Field(description="How many actions carry it.")


class CategoryOut(BaseModel):
    id: int
    name: str
    dimension: str | None
    system: bool
    campaigns: int


SideFilter = Literal["CR", "DR"]
