"""Rendering console pages: the template plus what every page shows (user, CSRF token, workspace, nav)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from intacct_bridge.domain.next_steps import step_key
from intacct_bridge.domain.remedies import with_fixes
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.repositories.workspaces import list_workspaces
from intacct_bridge.web.access import SignedIn
from intacct_bridge.web.api.deps import find_workspace
from intacct_bridge.web.list_params import link
from intacct_bridge.web.state import AppState, get_state

State = Annotated[AppState, Depends(get_state)]


@dataclass(frozen=True)
class WorkspaceRef:
    id: int
    slug: str
    name: str

    @property
    def base(self) -> str:
        return f"/w/{self.slug}"


def current_workspace(ws: str, state: State) -> WorkspaceRef:
    """The workspace named in the console URL (console users administer every workspace)."""
    with state.store.session() as session:
        found = find_workspace(session, ws[:100])
    if found is None:
        raise HTTPException(404, f"no workspace {ws!r}")
    return WorkspaceRef(found.id, found.slug, found.name)


Ws = Annotated[WorkspaceRef, Depends(current_workspace)]


def all_workspaces(state: AppState) -> list[WorkspaceRef]:
    with state.store.session() as session:
        return [WorkspaceRef(w.id, w.slug, w.name) for w in list_workspaces(session)]


def page(request: Request, template: str, *, user: SignedIn | None, workspace: WorkspaceRef | None = None,
         status_code: int = 200, **context: Any) -> HTMLResponse:
    state: AppState = get_state(request)
    return state.templates.TemplateResponse(request, template, {
        "user": user, "csrf": user.csrf_token if user else "", "workspace": workspace,
        "is_htmx": request.headers.get("HX-Request") == "true", "came_from": came_from(request), **context,
    }, status_code=status_code)


def same_site_path(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default` (never `//evil.example`, `/\\evil.example` or a URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def came_from(request: Request) -> str | None:
    """The page (path and query, so a list keeps its filters) this request was sent from, if on this site."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or referer.path == request.url.path:
        return None
    return same_site_path(referer.path + (f"?{referer.query}" if referer.query else ""), "") or None


def redirect(url: str) -> RedirectResponse:
    """After a successful POST: see-other, so a reload does not submit again."""
    return RedirectResponse(url, status_code=303)


def fmt_money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def fmt_time(value: datetime | None) -> str:
    return "—" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


RUN_BADGES = {RunStatus.SUCCEEDED: "good", RunStatus.RUNNING: "warn", RunStatus.COMPLETED_WITH_ERRORS: "warn"}


def run_badge(status: str) -> str:
    """The badge colour of a run's status wherever a run is shown (halted and failed are bad)."""
    return RUN_BADGES.get(status, "bad")  # type: ignore[call-overload]


OUTCOME_BADGES = {"posted": "good", "already_posted": "good", "would_post": "good", "waiting": "warn",
                  # a posting's state (record pages' versions): sent or queued, not settled yet
                  "pending": "warn", "unconfirmed": "warn", "unposted": "warn",
                  "skipped": "warn"}


def outcome_badge(outcome: str) -> str:
    """The badge colour of a record's outcome in a run (posted is good, waiting is a warning, the rest bad)."""
    return OUTCOME_BADGES.get(outcome, "bad")


SIDE_WORDS = {"DR": "Debit", "CR": "Credit"}
FIELD_WORDS = {"intacct": "Sage Intacct's answer", "request": "The request", "happened_at": "Date it happened",
               "constituent_name": "Constituent name", "external_id": "External id", "url": "Link"}


def field_label(field: str | None) -> str:
    """A recorded reason's field as a finance admin reads it: `account.DR` is "Debit account", never a raw key."""
    if not field:
        return "Record"
    name, _, side = field.partition(".")
    if side in SIDE_WORDS:
        return f"{SIDE_WORDS[side]} {name.replace('_', ' ')}"
    return FIELD_WORDS.get(field, field.replace("_", " ").replace(".", " ").capitalize())


def install_filters(state: AppState) -> None:
    env = state.templates.env
    env.filters["outcome_badge"] = outcome_badge
    env.filters["money"] = fmt_money
    env.filters["when"] = fmt_time
    env.filters["run_badge"] = run_badge
    env.filters["with_fixes"] = with_fixes
    env.filters["next_step"] = step_key
    env.filters["field_label"] = field_label
    env.globals["list_link"] = link
