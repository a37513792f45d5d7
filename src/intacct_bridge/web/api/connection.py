"""A workspace's Intacct connection (password write-only), its test, its settings and mapping defaults."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response
from fastapi import Path as FastPath

from intacct_bridge.domain.vocabulary import Dimension, Side
from intacct_bridge.domain.sync_settings import CustomField, MappingRule
from intacct_bridge.store.repositories.connections import set_api
from intacct_bridge.store.repositories.settings import (
    mapping_rules,
    remove_mapping_default,
    remove_user_dimension,
    set_mapping_default,
    set_user_dimension,
    user_dimensions,
)
from intacct_bridge.sync.connection_check import ConnectionReport
from intacct_bridge.web import services
from intacct_bridge.web.api.deps import Caller, ReadSession, State, WorkspaceId, WriteSession
from intacct_bridge.web.api.schemas_workspace import (
    ApiIn,
    CheckOut,
    ConnectionIn,
    ConnectionOut,
    ConnectionTestOut,
    MappingDefaultIn,
    MappingDefaultOut,
    RestConnectionIn,
    SettingsOut,
    SettingsPatch,
    UserDimensionIn,
    UserDimensionOut,
)

router = APIRouter(prefix="/workspaces/{workspace}", tags=["connection and settings"])


@router.get("/connection", summary="The Intacct connection (never the password)")
def get_connection(workspace_id: WorkspaceId, session: ReadSession) -> ConnectionOut:
    return services.connection_view(session, workspace_id)


@router.put("/connection", summary="Set the Intacct credentials (the password is write-only)",
            description="The endpoint must be one the operator allows (INTACCT_BRIDGE_ALLOWED_ENDPOINTS; 422 "
                        "otherwise), and only an admin token may change it (403): a workspace token omits it, "
                        "or sends the current one, and the endpoint stays as it is. With an admin token a "
                        "missing endpoint means the operator's default.")
def put_connection(body: ConnectionIn, workspace_id: WorkspaceId, caller: Caller, state: State,
                   session: WriteSession) -> ConnectionOut:
    services.save_credentials(state, session, workspace_id, company_id=body.company_id, user_id=body.user_id,
                              password=body.password, entity_id=body.entity_id, endpoint=body.endpoint,
                              may_change_endpoint=caller.is_admin)
    return services.connection_view(session, workspace_id)


@router.put("/connection/rest", summary="Set the REST API's OAuth client (the secret is write-only)",
            description="The client id and secret of the app registered in the Sage App Registry, and the Web "
                        "Services user it acts for (client credentials: username user@company). By default the "
                        "workspace then speaks the REST API.")
def put_rest_connection(body: RestConnectionIn, workspace_id: WorkspaceId, state: State,
                        session: WriteSession) -> ConnectionOut:
    services.save_rest_credentials(state, session, workspace_id, client_id=body.client_id,
                                   client_secret=body.client_secret, company_id=body.company_id,
                                   user_id=body.user_id, entity_id=body.entity_id, use_rest=body.use_rest)
    return services.connection_view(session, workspace_id)


@router.put("/connection/api", summary="Choose the Intacct API: xml (the gateway) or rest",
            description="Safe at any time: a posting left uncertain on one API is settled on the other by "
                        "looking it up, never by posting it again.")
def put_api(body: ApiIn, workspace_id: WorkspaceId, session: WriteSession) -> ConnectionOut:
    set_api(session, workspace_id, body.api)
    return services.connection_view(session, workspace_id)


def report_out(report: ConnectionReport) -> ConnectionTestOut:
    checks = [
        CheckOut(name=c.name, ok=c.ok, detail=c.detail,
                 problem=c.diagnosis.title if c.diagnosis else None, fix=c.diagnosis.fix if c.diagnosis else None,
                 intacct_message=(c.diagnosis.intacct_message or None) if c.diagnosis else None)
        for c in report.checks
    ]
    return ConnectionTestOut(ok=report.ok, summary=report.summary(), checks=checks)


@router.post("/connection/test", summary="Sign in and try every read a sync needs, with the fix for each problem")
def test_connection(workspace_id: WorkspaceId, state: State) -> ConnectionTestOut:
    return report_out(services.test_connection(state, workspace_id))


@router.get("/settings", summary="Sync settings")
def get_settings(workspace_id: WorkspaceId, session: ReadSession) -> SettingsOut:
    return SettingsOut(**services.current_settings(session, workspace_id))


@router.patch("/settings", summary="Change some sync settings")
def patch_settings(body: SettingsPatch, workspace_id: WorkspaceId, session: WriteSession) -> SettingsOut:
    warning = services.change_settings(session, workspace_id, body.model_dump(exclude_unset=True))
    return SettingsOut(**services.current_settings(session, workspace_id), warning=warning)


@router.get("/mapping-defaults", summary="Default campaigns by action type")
def list_defaults(workspace_id: WorkspaceId, session: ReadSession) -> list[MappingDefaultOut]:
    return [MappingDefaultOut(action_type=r.action_type, dimension=r.dimension, side=r.side, value_id=r.value_id)
            for r in mapping_rules(session, workspace_id)]


@router.put("/mapping-defaults", summary="Add or replace the default for (action type, dimension, side)")
def put_default(body: MappingDefaultIn, workspace_id: WorkspaceId, session: WriteSession) -> list[MappingDefaultOut]:
    set_mapping_default(session, workspace_id, MappingRule(body.action_type, body.dimension, body.side, body.value_id))
    return list_defaults(workspace_id, session)


@router.delete("/mapping-defaults/{action_type}/{dimension}/{side}", status_code=204, summary="Remove a default")
def delete_default(action_type: str, dimension: Dimension, side: Side, workspace_id: WorkspaceId,
                   session: WriteSession) -> Response:
    remove_mapping_default(session, workspace_id, action_type[:100], dimension, side)
    return Response(status_code=204)


def _udd_out(udd: CustomField) -> UserDimensionOut:
    return UserDimensionOut(object_name=udd.object_name, gl_field=udd.gl_field, label=udd.label, mode=udd.mode,
                            category=udd.category_name)


@router.get("/user-dimensions", summary="User-defined dimensions beyond the custom field, each with its mode")
def list_user_dimensions(workspace_id: WorkspaceId, session: ReadSession) -> list[UserDimensionOut]:
    return [_udd_out(u) for u in user_dimensions(session, workspace_id)]


@router.put("/user-dimensions/{object_name}", summary="Add or change a user-defined dimension (up to 20)")
def put_user_dimension(object_name: Annotated[str, FastPath(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,99}$")],
                       body: UserDimensionIn, workspace_id: WorkspaceId,
                       session: WriteSession) -> UserDimensionOut:
    return _udd_out(set_user_dimension(session, workspace_id, object_name, gl_field=body.gl_field,
                                       label=body.label, mode=body.mode))


@router.delete("/user-dimensions/{object_name}", status_code=204, summary="Forget a user-defined dimension")
def delete_user_dimension(object_name: Annotated[str, FastPath(max_length=100)], workspace_id: WorkspaceId,
                          session: WriteSession) -> Response:
    remove_user_dimension(session, workspace_id, object_name)
    return Response(status_code=204)
