"""Settings: the Intacct credentials (password write-only), Test connection, and the sync settings."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import SecretStr

from intacct_bridge.crypto import SecretKeyError
from intacct_bridge.domain.description_template import PLACEHOLDERS
from intacct_bridge.domain.vocabulary import (MODAL_DIMENSIONS, DimensionMode, PostedChanges, PostingLevel, PostingMode,
                                              ReversalDate, ClosedPeriodPolicy, ReconcileSchedule, SummaryPeriod)
from intacct_bridge.domain.xml_text import TextPolicy
from intacct_bridge.intacct.errors import IntacctError
from intacct_bridge.store.errors import EndpointRefused, StoreError
from intacct_bridge.schedule.slots import next_slot
from intacct_bridge.store.models import utcnow
from intacct_bridge.store.repositories import export_rules, reference
from intacct_bridge.store.repositories.settings import remove_user_dimension, set_user_dimension, user_dimensions
from intacct_bridge.sync import description_preview
from intacct_bridge.sync.context import NotConfigured
from intacct_bridge.web import services
from intacct_bridge.web.console.render import State, Ws, page, redirect
from intacct_bridge.web.console.session import Editor, User

router = APIRouter(prefix="/w/{ws}/settings", include_in_schema=False)
DIMENSION_LABELS = {"location": "Locations", "department": "Departments", "class": "Classes",
                    "custom": "Custom field", "project": "Projects", "customer": "Customers (GL line)",
                    "vendor": "Vendors (GL line)", "employee": "Employees", "item": "Items (GL line)"}
NOTICES = {"connection": "Credentials saved. Test the connection to check them.", "sync": "Settings saved.",
           "level": "Posting level saved: it applies to what is posted from the next run on.",
           "dimension": "User-defined dimensions saved: their campaigns come with the next pull.",
           "rest": "REST API settings saved. Test the connection to check them.",
           "intacct": "Connected with Sage Intacct: the workspace now speaks the REST API.",
           "description": "Description template saved: the next entries use it.",
           "pulled": "Pulled from Sage Intacct: the journal and the default entity are now chosen from lists."}
LaterMode = Annotated[DimensionMode, Form()]
Text = Annotated[str, Form(max_length=500)]


def render_settings(request: Request, state, user, ws, *, status_code: int = 200, **extra) -> Response:
    """The settings page (the REST API's forms render it too, with their errors)."""
    return _render(request, state, user, ws, status_code=status_code, **extra)


def _render(request: Request, state, user, ws, *, status_code: int = 200, typed: dict | None = None,
            typed_connection: dict | None = None, **extra) -> Response:
    """The settings page; after a refused form, what the user typed (`typed`, `typed_connection`) is shown
    over the stored values, so nothing typed is lost (the password is never sent back)."""
    with state.store.session() as session:
        connection = services.connection_view(session, ws.id)
        values = services.current_settings(session, ws.id)
        journals = reference.pulled(session, ws.id, reference.JOURNALS)   # offered instead of free text
        entities = reference.pulled(session, ws.id, reference.ENTITIES)
        unposted = reference.unposted_count(session, ws.id)
        udds = user_dimensions(session, ws.id)
        template = export_rules.description_template(session, ws.id)
    next_run = next_slot(values["schedule_time"], values["schedule_every_hours"], values["timezone"], utcnow())
    values.update(typed or {})
    if typed_connection:
        connection = connection.model_copy(update=typed_connection)
    return page(request, "console/settings.html", user=user, workspace=ws, nav="settings", connection=connection,
                values=values, dimensions=[(d.value, DIMENSION_LABELS[d.value]) for d in MODAL_DIMENSIONS],
                modes=list(DimensionMode), posting_modes=list(PostingMode), levels=list(PostingLevel),
                journals=journals, entities=entities, unposted=unposted, udds=udds, next_run=next_run,
                zone_now=_local(next_run, values["timezone"]), entry_template=extra.pop("entry_template", template),
                placeholders=PLACEHOLDERS, status_code=status_code, **extra)


def _local(moment, zone: object) -> str | None:
    """The next run on the workspace's clock, beside UTC ("02:30 America/New_York")."""
    try:
        return moment.astimezone(ZoneInfo(str(zone))).strftime("%Y-%m-%d %H:%M ") + str(zone) if moment else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


@router.get("", response_class=HTMLResponse)
def settings_page(request: Request, state: State, user: User, ws: Ws, saved: str | None = None,
                  connect_error: str | None = None) -> Response:
    return _render(request, state, user, ws, notice=NOTICES.get(saved or ""),
                   rest_error=connect_error[:300] if connect_error else None)


@router.post("/connection")
def save_connection(request: Request, state: State, user: Editor, ws: Ws, company_id: Text, user_id: Text,
                    password: Text = "", entity_id: Text = "", endpoint: Text = "") -> Response:
    try:
        with state.store.write_session() as session:
            services.save_credentials(state, session, ws.id, company_id=company_id, user_id=user_id,
                                      password=SecretStr(password) if password else None,
                                      entity_id=entity_id or None, endpoint=endpoint or None)
    except (StoreError, SecretKeyError) as error:  # no new password, and the stored one is under another key
        typed = {"company_id": company_id, "user_id": user_id, "entity_id": entity_id, "endpoint": endpoint}
        return _render(request, state, user, ws, connection_error=str(error), typed_connection=typed,
                       status_code=422 if isinstance(error, EndpointRefused) else 409)
    return redirect(f"{ws.base}/settings?saved=connection")


@router.post("/test", response_class=HTMLResponse)
def test_connection(request: Request, state: State, user: Editor, ws: Ws) -> Response:
    try:
        report, problem = services.test_connection(state, ws.id), None
    except (NotConfigured, IntacctError, StoreError, SecretKeyError) as error:
        report, problem = None, (services.explain(error) if isinstance(error, IntacctError) else str(error))
    template = "console/_test_result.html" if request.headers.get("HX-Request") == "true" else None
    if template:
        return page(request, template, user=user, workspace=ws, report=report, problem=problem)
    return _render(request, state, user, ws, report=report, problem=problem)


@router.post("/sync")
def save_sync_settings(
    request: Request, state: State, user: Editor, ws: Ws,
    location_mode: Annotated[DimensionMode, Form()], department_mode: Annotated[DimensionMode, Form()],
    class_mode: Annotated[DimensionMode, Form()], custom_mode: Annotated[DimensionMode, Form()],
    posting_mode: Annotated[PostingMode, Form()], journal: Text, timezone: Text,
    project_mode: LaterMode = DimensionMode.EXCLUDE, customer_mode: LaterMode = DimensionMode.EXCLUDE,
    vendor_mode: LaterMode = DimensionMode.EXCLUDE, employee_mode: LaterMode = DimensionMode.EXCLUDE,
    item_mode: LaterMode = DimensionMode.EXCLUDE,
    custom_object: Text = "", custom_gl_field: Text = "", custom_label: Text = "",
    schedule_time: Text = "", schedule_every_hours: Text = "", start_date: Text = "",
    control_characters: Annotated[TextPolicy, Form()] = TextPolicy.REFUSE,
    posted_changes: Annotated[PostedChanges, Form()] = PostedChanges.REFUSE,
    reversal_date: Annotated[ReversalDate, Form()] = ReversalDate.ORIGINAL,
    closed_period_policy: Annotated[ClosedPeriodPolicy, Form()] = ClosedPeriodPolicy.REJECT,
    reconcile_schedule: Annotated[ReconcileSchedule, Form()] = ReconcileSchedule.OFF, reconcile_time: Text = "",
    summary_action_types: Text = "",
    summary_period: Annotated[SummaryPeriod, Form()] = SummaryPeriod.DAY,
) -> Response:
    chosen = {"location": location_mode, "department": department_mode, "class": class_mode, "custom": custom_mode,
              "project": project_mode, "customer": customer_mode, "vendor": vendor_mode, "employee": employee_mode,
              "item": item_mode}
    typed = {"modes": {d: chosen[d.value] for d in MODAL_DIMENSIONS if d.value in chosen},
             "posting_mode": posting_mode.value, "journal": journal, "timezone": timezone,
             "custom_object": custom_object, "custom_gl_field": custom_gl_field, "custom_label": custom_label,
             "schedule_time": schedule_time, "schedule_every_hours": schedule_every_hours, "start_date": start_date,
             "control_characters": control_characters.value, "posted_changes": posted_changes.value,
             "reversal_date": reversal_date.value, "closed_period_policy": closed_period_policy.value,
             "reconcile_schedule": reconcile_schedule.value, "reconcile_time": reconcile_time,
             "summary_period": summary_period.value, "summary_action_types": summary_action_types}
    if custom_mode is not DimensionMode.EXCLUDE and not custom_object.strip():
        return _render(request, state, user, ws, status_code=422, typed=typed,
                       settings_error="The custom field is not Exclude: enter its Intacct object (e.g. FUND) or set it "
                                      "to Exclude.")
    try:
        fields = {
            "location_mode": location_mode, "department_mode": department_mode, "class_mode": class_mode,
            "custom_mode": custom_mode, "project_mode": project_mode, "customer_mode": customer_mode,
            "vendor_mode": vendor_mode, "employee_mode": employee_mode, "item_mode": item_mode,
            "posting_mode": posting_mode, "journal": journal.strip(),
            "timezone": timezone.strip(), "custom_object": custom_object.strip() or None,
            "custom_gl_field": custom_gl_field.strip() or None, "custom_label": custom_label.strip() or None,
            **_schedule_fields(schedule_time, schedule_every_hours),
            "start_date": date.fromisoformat(start_date) if start_date.strip() else None,
            "control_characters": control_characters,
            "posted_changes": posted_changes, "reversal_date": reversal_date,
            "closed_period_policy": closed_period_policy, "reconcile_schedule": reconcile_schedule,
            "reconcile_time": time.fromisoformat(reconcile_time) if reconcile_time.strip() else None,
            "closed_period_policy": closed_period_policy,
            "summary_action_types": [t for t in summary_action_types.split(",") if t.strip()],
            "summary_period": summary_period,
        }
        with state.store.write_session() as session:
            services.change_settings(session, ws.id, fields)
    except ValueError as error:
        return _render(request, state, user, ws, settings_error=f"Not a valid date, time or number of hours: {error}",
                       status_code=422, typed=typed)
    except StoreError as error:
        return _render(request, state, user, ws, settings_error=str(error), status_code=409, typed=typed)
    return redirect(f"{ws.base}/settings?saved=sync")


def _schedule_fields(schedule_time: str, every_hours: str) -> dict[str, object]:
    """Every N hours when given; otherwise the nightly time (empty: no schedule)."""
    if every_hours.strip():
        fields: dict[str, object] = {"schedule_every_hours": int(every_hours)}
        if schedule_time.strip():
            fields["schedule_time"] = time.fromisoformat(schedule_time)  # both: the store refuses, naming it
        return fields
    return {"schedule_time": time.fromisoformat(schedule_time) if schedule_time.strip() else None}
@router.post("/entity-level")
def save_entity_level(request: Request, state: State, user: Editor, ws: Ws,
                      posting_level: Annotated[PostingLevel, Form()], default_entity: Text = "") -> Response:
    """Multi-entity: the posting level and the default entity; the warning says what the change moves."""
    try:
        with state.store.write_session() as session:
            warning = services.change_settings(session, ws.id, {"posting_level": posting_level,
                                                                "default_entity": default_entity.strip() or None})
    except StoreError as error:  # e.g. an entity not pulled: refused, what was chosen stays on the form
        typed = {"posting_level": posting_level.value, "default_entity": default_entity.strip() or None}
        return _render(request, state, user, ws, level_error=str(error), status_code=409, typed=typed)
    if warning:  # seed 001: unposted records take the new level
        return _render(request, state, user, ws, notice=f"Posting level saved. Warning: {warning}.")
    return redirect(f"{ws.base}/settings?saved=level")


@router.post("/dimension")
def save_user_dimension(request: Request, state: State, user: Editor, ws: Ws, object_name: Text,
                        mode: Annotated[DimensionMode, Form()] = DimensionMode.AVAILABLE, gl_field: Text = "",
                        label: Text = "", remove: Text = "") -> Response:
    """Add, change or (with `remove`) forget a user-defined dimension beyond the custom field."""
    try:
        with state.store.write_session() as session:
            if remove:
                remove_user_dimension(session, ws.id, object_name)
            else:
                set_user_dimension(session, ws.id, object_name, gl_field=gl_field.strip() or None,
                                   label=label.strip() or None, mode=mode)
    except StoreError as error:
        return _render(request, state, user, ws, udd_error=str(error), status_code=409)
    return redirect(f"{ws.base}/settings?saved=dimension")


@router.post("/description")
def save_description(request: Request, state: State, user: Editor, ws: Ws,
                     description_template: Annotated[str, Form(max_length=600)] = "") -> Response:
    """Save the template (empty: summary, constituent and link); unknown placeholders are refused, naming them."""
    try:
        with state.store.write_session() as session:
            export_rules.set_description_template(session, ws.id, description_template)
    except StoreError as error:
        return _render(request, state, user, ws, status_code=409, template_error=str(error),
                       entry_template=description_template)
    return redirect(f"{ws.base}/settings?saved=description#description-h")


@router.post("/description/preview", response_class=HTMLResponse)
def preview_description(request: Request, state: State, user: Editor, ws: Ws,
                        description_template: Annotated[str, Form(max_length=600)] = "",
                        preview_action: Annotated[str, Form(max_length=200)] = "") -> Response:
    """The live preview (htmx): the entry's text the typed template gives for an action or the sample."""
    with state.store.session() as session:
        shown = description_preview.preview(session, ws.id, description_template, preview_action or None)
    return page(request, "console/_description_preview.html", user=user, workspace=ws, shown=shown)
