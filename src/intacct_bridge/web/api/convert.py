"""Store rows to response bodies (amounts as decimal text, never as floats)."""

from __future__ import annotations

from decimal import Decimal

from intacct_bridge.domain.remedies import with_fixes
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.models import Action, Campaign, Constituent, SyncRun, Workspace
from intacct_bridge.sync.progress import ProgressEvent
from intacct_bridge.sync.queries import RunSummary
from intacct_bridge.sync.runstate import already_posted, posted_words
from intacct_bridge.web.api.schemas_records import ActionOut, CampaignTagOut, ConstituentOut, Reason
from intacct_bridge.web.api.schemas_workspace import ProgressOut, RunOut, WorkspaceOut


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def workspace_out(workspace: Workspace) -> WorkspaceOut:
    return WorkspaceOut(id=workspace.id, name=workspace.name, slug=workspace.slug, created_at=workspace.created_at,
                        last_sync_at=workspace.last_sync_at)


def constituent_out(constituent: Constituent) -> ConstituentOut:
    return ConstituentOut(id=constituent.id, external_id=constituent.external_id, name=constituent.name,
                          email=constituent.email, created_at=constituent.created_at)


def tag_out(campaign: Campaign) -> CampaignTagOut:
    return CampaignTagOut(id=campaign.id, name=campaign.name, category=campaign.category.name,
                          side=campaign.side, value_id=campaign.intacct_value_id, active=campaign.active)


def action_out(action: Action, reasons: list[dict[str, str]] | None) -> ActionOut:
    """`reasons` None: not flagged for review."""
    return ActionOut(
        id=action.id, external_id=action.external_id, type=action.type, amount=money(action.amount),
        happened_at=action.happened_at, created_at=action.created_at, summary=action.summary, url=action.url,
        status=action.status, posted_at=action.posted_at, intacct_recordno=action.intacct_recordno,
        last_error=action.last_error, summary_id=action.summary_id,
        constituent=constituent_out(action.constituent) if action.constituent else None,
        campaigns=[tag_out(c) for c in sorted(action.campaigns, key=lambda c: (c.category.name, c.name))],
        needs_review=reasons is not None,
        review_reasons=[Reason(field=r.get("field", ""), message=r.get("message", ""), fix=r.get("fix", ""),
                               step=r.get("step", "")) for r in with_fixes(reasons)],
    )


def progress_out(event: ProgressEvent | None) -> ProgressOut | None:
    if event is None:
        return None
    return ProgressOut(phase=event.phase.value, done=event.done, total=event.total)


def run_out(run: SyncRun | RunSummary, progress: ProgressEvent | None = None) -> RunOut:
    """A run as the API shows it; progress only while it runs (the runner forgets it a moment after the
    run is recorded as finished, and a finished run must not look half done)."""
    if run.status != RunStatus.RUNNING.value:
        progress = None
    return RunOut(
        id=run.id, status=run.status, dry_run=run.dry_run, trigger=run.trigger, only_action_id=run.only_action_id,
        started_at=run.started_at, finished_at=run.finished_at, candidates=run.candidates, invalid=run.invalid,
        posted=run.posted, already_posted=already_posted(run.details),
        posted_summary=posted_words(run.posted, already_posted(run.details)),
        failed=run.failed, api_transactions=run.api_transactions, message=run.message,
        details=run.details, progress=progress_out(progress),
    )
