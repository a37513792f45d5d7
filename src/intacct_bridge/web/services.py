"""What the API and the console both do, beyond one store query: connect, test, change settings.

Kept here so the two interfaces cannot drift apart: the same checks, the same
diagnosis with the same fix steps, the same settings rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import SecretStr
from sqlalchemy.orm import Session

from intacct_bridge.domain.reconciliation import ReconcileReport
from intacct_bridge.domain.vocabulary import MODAL_DIMENSIONS, Dimension, DimensionMode, PostingLevel
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import Connection, WorkspaceSettings
from intacct_bridge.store.repositories.connections import (
    record_test_result,
    save_connection,
    save_rest_client,
    set_api,
    set_endpoint,
)
from intacct_bridge.store.repositories.reference import level_change_warning
from intacct_bridge.store.repositories.settings import SettingsChange, settings_row, update_settings
from intacct_bridge.intacct.endpoints import same_endpoint
from intacct_bridge.intacct.errors import IntacctError
from intacct_bridge.sync.connection_check import ConnectionReport, check_workspace
from intacct_bridge.sync.diagnosis import diagnose
from intacct_bridge.sync.pull import PreflightError
from intacct_bridge.sync.context import check_configured, client_factory
from intacct_bridge.sync.readback import reconcile
from intacct_bridge.web.api.schemas_workspace import ConnectionOut
from intacct_bridge.web.state import AppState


def connection_view(session: Session, workspace_id: int) -> ConnectionOut:
    """The connection as it may be shown: everything but the password (only whether one is set)."""
    row = session.get(Connection, workspace_id)
    if row is None:
        return ConnectionOut(connected=False)
    return ConnectionOut(connected=True, company_id=row.company_id, user_id=row.user_id, entity_id=row.entity_id,
                         endpoint=row.endpoint, password_set=bool(row.password_encrypted),
                         api=row.api or "xml", client_id=row.client_id,
                         client_secret_set=bool(row.client_secret_encrypted),
                         connected_with_intacct=bool(row.refresh_token_encrypted),
                         last_test_at=row.last_test_at, last_test_ok=row.last_test_ok,
                         last_test_message=row.last_test_message)


def save_credentials(state: AppState, session: Session, workspace_id: int, *, company_id: str, user_id: str,
                     password: SecretStr | None, entity_id: str | None, endpoint: str | None,
                     may_change_endpoint: bool = True) -> None:
    """Save (replace) the connection. An empty password keeps the stored one (the form never shows it back).

    The endpoint must be in the operator's allow-list (EndpointRefused otherwise). A caller that may not
    change it (a workspace API token) keeps the current one: it may send it back unchanged, or omit it;
    any other endpoint raises EndpointChangeForbidden.
    """
    if not may_change_endpoint:
        if endpoint and not same_endpoint(endpoint, effective_endpoint(state, session, workspace_id)):
            raise EndpointChangeForbidden(
                "only an admin token may change a workspace's Intacct endpoint (the sender password goes there, "
                "so it is the operator's decision); send the connection without `endpoint` to keep the current one")
        endpoint = None
    if password is None or not password.get_secret_value():
        existing = session.get(Connection, workspace_id)
        if existing is None:
            raise Conflict("the password cannot be empty")
        password = state.box.decrypt(existing.password_encrypted)
    allowed = state.operator.endpoint_policy()
    save_connection(session, workspace_id, state.box, company_id=company_id, user_id=user_id, password=password,
                    entity_id=entity_id, endpoint=endpoint or None, allowed=allowed)
    if not endpoint and may_change_endpoint:  # a full replacement: no endpoint means the operator's default
        set_endpoint(session, workspace_id, None, allowed)


def save_rest_credentials(state: AppState, session: Session, workspace_id: int, *, client_id: str,
                          client_secret: SecretStr | None, company_id: str | None = None,
                          user_id: str | None = None, entity_id: str | None = None, use_rest: bool = True) -> None:
    """Keep the REST API's OAuth client (secret encrypted, write-only) and, by default, switch to REST."""
    save_rest_client(session, workspace_id, state.box, client_id=client_id, client_secret=client_secret,
                     company_id=company_id, user_id=user_id, entity_id=entity_id)
    if use_rest:
        set_api(session, workspace_id, "rest")


class EndpointChangeForbidden(Exception):
    """The caller may set the credentials but not the endpoint (REST: 403)."""


def effective_endpoint(state: AppState, session: Session, workspace_id: int) -> str:
    """The endpoint the workspace's requests go to now: its own, or the operator's default."""
    row = session.get(Connection, workspace_id)
    return (row.endpoint if row is not None else None) or state.operator.default_endpoint


def test_connection(state: AppState, workspace_id: int) -> ConnectionReport:
    """Sign in and try every read a sync needs; remembered for the status (raises NotConfigured).

    What `Bridge.test_connection` does, with the app's client options (timeouts, retries) applied.
    """
    check_configured(state.store, workspace_id, state.operator)
    factory = client_factory(state.store, workspace_id, state.operator, **state.runner.client_options)
    report = check_workspace(state.store, workspace_id, factory)
    with state.store.write_session() as session:
        record_test_result(session, workspace_id, report.ok, report.summary())
    return report


def reconcile_workspace(state: AppState, workspace_id: int, *, since: date | None = None,
                        kinds: Sequence[str] | None = None) -> ReconcileReport:
    """What `Bridge.reconcile` does, with the app's client options (raises NotConfigured, ValueError for a kind)."""
    check_configured(state.store, workspace_id, state.operator)
    factory = client_factory(state.store, workspace_id, state.operator, **state.runner.client_options)
    with factory() as client:
        return reconcile(state.store, workspace_id, client, since=since, kinds=kinds)


def settings_values(row: WorkspaceSettings) -> dict[str, object]:
    return {
        "modes": {d: DimensionMode(getattr(row, f"{d.value}_mode")) for d in MODAL_DIMENSIONS},
        "custom_object": row.custom_object, "custom_gl_field": row.custom_gl_field, "custom_label": row.custom_label,
        "posting_mode": row.posting_mode, "journal": row.journal, "start_date": row.start_date,
        "schedule_time": row.schedule_time, "schedule_every_hours": row.schedule_every_hours,
        "timezone": row.timezone, "control_characters": row.control_characters,
        "posted_changes": row.posted_changes, "reversal_date": row.reversal_date,
        "closed_period_policy": row.closed_period_policy,
        "posting_level": row.posting_level, "default_entity": row.default_entity,
        "reconcile_schedule": row.reconcile_schedule, "reconcile_time": row.reconcile_time,
        "summary_action_types": list(row.summary_action_types or []), "summary_period": row.summary_period,
    }


def current_settings(session: Session, workspace_id: int) -> dict[str, object]:
    return settings_values(settings_row(session, workspace_id))


def change_settings(session: Session, workspace_id: int, fields: dict[str, object]) -> str | None:
    """Apply the fields a caller sent (`None` for start_date/schedule_time/custom_object/default_entity clears
    it); returns the warning that unposted records take a new posting level, when the level changes."""
    modes = {d: DimensionMode(fields[f"{d.value}_mode"]) for d in MODAL_DIMENSIONS
             if fields.get(f"{d.value}_mode") is not None}
    clearing = "custom_object" in fields and fields["custom_object"] is None
    if clearing and modes.get(Dimension.CUSTOM, DimensionMode.EXCLUDE) is not DimensionMode.EXCLUDE:
        raise Conflict("the custom field's mode is not Exclude but no custom field is set: set one or Exclude it")
    change = SettingsChange(
        modes=modes or None,
        custom_object=fields.get("custom_object") or None,  # type: ignore[arg-type]
        custom_gl_field=fields.get("custom_gl_field") or None,  # type: ignore[arg-type]
        custom_label=fields.get("custom_label") or None,  # type: ignore[arg-type]
        clear_custom_field=clearing,
        posting_mode=fields.get("posting_mode"),  # type: ignore[arg-type]
        journal=fields.get("journal"),  # type: ignore[arg-type]
        start_date=fields.get("start_date"),  # type: ignore[arg-type]
        clear_start_date="start_date" in fields and fields["start_date"] is None,
        schedule_time=fields.get("schedule_time"),  # type: ignore[arg-type]
        schedule_every_hours=fields.get("schedule_every_hours"),  # type: ignore[arg-type]
        clear_schedule=any(name in fields and fields[name] is None for name in ("schedule_time", "schedule_every_hours")),
        timezone=fields.get("timezone"),  # type: ignore[arg-type]
        control_characters=fields.get("control_characters"),  # type: ignore[arg-type]
        posted_changes=fields.get("posted_changes"),  # type: ignore[arg-type]
        reversal_date=fields.get("reversal_date"),  # type: ignore[arg-type]
        closed_period_policy=fields.get("closed_period_policy"),  # type: ignore[arg-type]
        posting_level=PostingLevel(level) if (level := fields.get("posting_level")) else None,
        default_entity=fields.get("default_entity") or None,  # type: ignore[arg-type]
        clear_default_entity="default_entity" in fields and not fields["default_entity"],
        reconcile_schedule=fields.get("reconcile_schedule"),  # type: ignore[arg-type]
        reconcile_time=fields.get("reconcile_time"),  # type: ignore[arg-type]
        summary_action_types=fields.get("summary_action_types"),  # type: ignore[arg-type]
        summary_period=fields.get("summary_period"),  # type: ignore[arg-type]
    )
    warning = level_change_warning(session, workspace_id, change.posting_level) if change.posting_level else None
    update_settings(session, workspace_id, change)
    return warning



def explain(error: IntacctError | PreflightError) -> str:
    """A failed pull or test in plain words: what is wrong, the fix, and what Intacct said."""
    if isinstance(error, PreflightError):
        return str(error.diagnosis)
    diagnosis = diagnose(error)
    said = f" Intacct said: {diagnosis.intacct_message}" if diagnosis.intacct_message else ""
    return f"{diagnosis}{said}"
