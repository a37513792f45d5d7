"""Mapping rules, skip-export rules, the description template (with its preview) and the next scheduled sync."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi import Path as FastPath

from intacct_bridge.domain.description_template import PLACEHOLDERS
from intacct_bridge.schedule.slots import next_slot
from intacct_bridge.store.models import utcnow
from intacct_bridge.store.repositories import dimension_values, export_rules
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.sync import description_preview
from intacct_bridge.web.api.deps import ReadSession, WorkspaceId, WriteSession
from intacct_bridge.web.api.schemas_mapping import (
    CampaignRuleIn,
    CampaignRuleOut,
    DimensionValueIn,
    DimensionValueOut,
    MoveIn,
    PreviewIn,
    PreviewOut,
    ScheduleOut,
    SkipRuleIn,
    SkipRuleOut,
    SkipRulePatch,
    TemplateIn,
    TemplateOut,
    campaign_rule_out,
    skip_rule_out,
)

router = APIRouter(prefix="/workspaces/{workspace}", tags=["mapping"])
RuleId = FastPath(ge=1, le=2**31 - 1)


@router.get("/mapping-rules", summary="Mapping rules (conditions → campaign), in the order they are tried")
def list_campaign_rules(workspace_id: WorkspaceId, session: ReadSession) -> list[CampaignRuleOut]:
    return [campaign_rule_out(r, n) for n, r in enumerate(export_rules.campaign_rules(session, workspace_id), 1)]


@router.post("/mapping-rules", status_code=201, summary="Add a mapping rule (tried after the existing ones)")
def add_campaign_rule(body: CampaignRuleIn, workspace_id: WorkspaceId, session: WriteSession) -> CampaignRuleOut:
    rule = export_rules.add_campaign_rule(session, workspace_id, [c.model_dump() for c in body.conditions],
                                          dimension=body.dimension, side=body.side, value_id=body.value_id,
                                          join=body.join)
    rules = export_rules.campaign_rules(session, workspace_id)
    return campaign_rule_out(rule, len(rules))


@router.post("/mapping-rules/{rule_id}/move", summary="Move a mapping rule up or down the order")
def move_campaign_rule(body: MoveIn, workspace_id: WorkspaceId, session: WriteSession,
                       rule_id: int = RuleId) -> list[CampaignRuleOut]:
    export_rules.move_rule(session, workspace_id, rule_id, body.direction == "up")
    return list_campaign_rules(workspace_id, session)


@router.delete("/mapping-rules/{rule_id}", status_code=204, summary="Remove a mapping rule")
def delete_campaign_rule(workspace_id: WorkspaceId, session: WriteSession, rule_id: int = RuleId) -> Response:
    export_rules.remove_rule(session, workspace_id, rule_id)
    return Response(status_code=204)


@router.get("/skip-rules", summary="Skip-export rules: a matching record is not exported while the rule is active")
def list_skip_rules(workspace_id: WorkspaceId, session: ReadSession) -> list[SkipRuleOut]:
    return [skip_rule_out(r, n) for n, r in enumerate(export_rules.skip_rules(session, workspace_id), 1)]


@router.post("/skip-rules", status_code=201, summary="Add a skip-export rule")
def add_skip_rule(body: SkipRuleIn, workspace_id: WorkspaceId, session: WriteSession) -> SkipRuleOut:
    rule = export_rules.add_skip_rule(session, workspace_id, body.name, [c.model_dump() for c in body.conditions],
                                      join=body.join)
    return skip_rule_out(rule, len(export_rules.skip_rules(session, workspace_id)))


@router.patch("/skip-rules/{rule_id}", summary="Pause or resume a skip-export rule (paused: the next run exports "
                                               "what it skipped)")
def patch_skip_rule(body: SkipRulePatch, workspace_id: WorkspaceId, session: WriteSession,
                    rule_id: int = RuleId) -> SkipRuleOut:
    rule = export_rules.set_skip_rule_active(session, workspace_id, rule_id, body.active)
    rules = export_rules.skip_rules(session, workspace_id)
    return skip_rule_out(rule, next(n for n, r in enumerate(rules, 1) if r.id == rule.id))


@router.delete("/skip-rules/{rule_id}", status_code=204, summary="Remove a skip-export rule")
def delete_skip_rule(workspace_id: WorkspaceId, session: WriteSession, rule_id: int = RuleId) -> Response:
    export_rules.remove_rule(session, workspace_id, rule_id, skip=True)
    return Response(status_code=204)


@router.get("/description-template", summary="The journal entry's text template and its placeholders")
def get_template(workspace_id: WorkspaceId, session: ReadSession) -> TemplateOut:
    return TemplateOut(template=export_rules.description_template(session, workspace_id), placeholders=PLACEHOLDERS)


@router.put("/description-template", summary="Save the template (unknown placeholders are refused, 409)")
def put_template(body: TemplateIn, workspace_id: WorkspaceId, session: WriteSession) -> TemplateOut:
    text = export_rules.set_description_template(session, workspace_id, body.template)
    return TemplateOut(template=text, placeholders=PLACEHOLDERS)


@router.post("/description-template/preview", summary="The entry's text a template gives for an action "
                                                      "(default: the saved template and the latest action)")
def preview_template(body: PreviewIn, workspace_id: WorkspaceId, session: ReadSession) -> PreviewOut:
    template = body.template if body.template is not None else export_rules.description_template(session,
                                                                                                   workspace_id)
    p = description_preview.preview(session, workspace_id, template, body.external_id)
    return PreviewOut(title=p.title, line=p.line, external_id=p.external_id, sample=p.sample, error=p.error)


@router.get("/schedule", summary="The scheduled sync and when it runs next (change it with PATCH .../settings)")
def get_schedule(workspace_id: WorkspaceId, session: ReadSession) -> ScheduleOut:
    s = load_sync_settings(session, workspace_id)
    return ScheduleOut(schedule_time=s.schedule_time.strftime("%H:%M") if s.schedule_time else None,
                       schedule_every_hours=s.schedule_every_hours, timezone=s.timezone,
                       next_run_at=next_slot(s.schedule_time, s.schedule_every_hours, s.timezone, utcnow()))


def _value_out(row) -> DimensionValueOut:
    return DimensionValueOut(id=row.id, dimension=row.dimension, object_name=row.object_name, value_id=row.value_id,
                             name=row.name, status=row.status, intacct_key=row.intacct_key, last_error=row.last_error)


@router.get("/dimension-values", summary="Dimension values asked to be created in Intacct, newest first")
def list_dimension_values(workspace_id: WorkspaceId, session: ReadSession) -> list[DimensionValueOut]:
    return [_value_out(r) for r in dimension_values.requested_values(session, workspace_id)]


@router.post("/dimension-values", status_code=201,
             summary="Create a location, department, class or custom-field value in Intacct at the next sync "
                     "(POST .../sync with kinds [\"dimension_value\"] to create it now)")
def add_dimension_value(body: DimensionValueIn, workspace_id: WorkspaceId, session: WriteSession) -> DimensionValueOut:
    return _value_out(dimension_values.request_value(session, workspace_id, body.dimension, body.value_id, body.name))
