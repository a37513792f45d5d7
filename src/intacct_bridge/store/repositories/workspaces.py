"""Workspaces: create, find, and pick the default; each starts with its settings row and system campaigns."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.vocabulary import EXCLUDE_CAMPAIGN, NEEDS_REVIEW_CAMPAIGN, SYSTEM_CATEGORY
from intacct_bridge.store.errors import Conflict, NotFound
from intacct_bridge.store.models import Campaign, CampaignCategory, Workspace, WorkspaceLock, WorkspaceSettings


def slugify(name: str) -> str:
    """`Helping Hands, Inc.` → `helping-hands-inc`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:100]


def ensure_system_campaigns(session: Session, workspace_id: int) -> dict[str, Campaign]:
    """The `[System]` category with its Exclude and Needs Review campaigns (idempotent)."""
    category = session.scalar(
        select(CampaignCategory).where(
            CampaignCategory.workspace_id == workspace_id, CampaignCategory.name == SYSTEM_CATEGORY
        )
    )
    if category is None:
        category = CampaignCategory(workspace_id=workspace_id, name=SYSTEM_CATEGORY, system=True)
        session.add(category)
        session.flush()
    found: dict[str, Campaign] = {}
    for name in (EXCLUDE_CAMPAIGN, NEEDS_REVIEW_CAMPAIGN):
        campaign = session.scalar(select(Campaign).where(Campaign.workspace_id == workspace_id, Campaign.name == name))
        if campaign is None:
            campaign = Campaign(workspace_id=workspace_id, category_id=category.id, name=name, system=True)
            session.add(campaign)
            session.flush()
        found[name] = campaign
    return found


def create_workspace(session: Session, name: str, slug: str | None = None) -> Workspace:
    name = " ".join(name.split())
    if not name:
        raise Conflict("a workspace needs a name")
    slug = slugify(slug or name)
    if not slug:
        raise Conflict(f"cannot make a short name from {name!r}: pass --slug with letters or digits")
    clash = session.scalar(
        select(Workspace).where(or_(func.lower(Workspace.name) == name.lower(), Workspace.slug == slug))
    )
    if clash is not None:
        raise Conflict(f"a workspace named {clash.name!r} ({clash.slug}) already exists")
    workspace = Workspace(name=name, slug=slug)
    session.add(workspace)
    session.flush()
    session.add(WorkspaceSettings(workspace_id=workspace.id))
    session.add(WorkspaceLock(workspace_id=workspace.id))
    ensure_system_campaigns(session, workspace.id)
    session.flush()
    return workspace


def list_workspaces(session: Session) -> Sequence[Workspace]:
    return session.scalars(select(Workspace).order_by(Workspace.name)).all()


def get_workspace(session: Session, ref: str | int) -> Workspace:
    """By id, slug or name (case-insensitive)."""
    text = str(ref).strip()
    conditions = [Workspace.slug == text.lower(), func.lower(Workspace.name) == text.lower()]
    if text.isdigit():
        conditions.append(Workspace.id == int(text))
    workspace = session.scalar(select(Workspace).where(or_(*conditions)).order_by(Workspace.id))
    if workspace is None:
        raise NotFound(f"no workspace {text!r}: see `intacct-bridge workspace list`")
    return workspace


def resolve_workspace(session: Session, ref: str | int | None) -> Workspace:
    """The named workspace, or the only one there is when none is named."""
    if ref not in (None, ""):
        return get_workspace(session, ref)  # type: ignore[arg-type]
    workspaces = list_workspaces(session)
    if not workspaces:
        raise NotFound("no workspace yet: create one with `intacct-bridge workspace create NAME`")
    if len(workspaces) > 1:
        names = ", ".join(w.slug for w in workspaces)
        raise NotFound(f"there are {len(workspaces)} workspaces ({names}): choose one with --workspace")
    return workspaces[0]
