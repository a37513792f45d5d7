"""Mapping: per dimension, the default campaigns by action type and the rules (conditions → campaign);
below them the skip-export rules beside the exclusion campaign.

Pickers offer the dimension's active campaigns only, with a placeholder first (Save without a choice is
refused by the browser). A refused form is shown again with what was typed and the reason, naming the
condition and field at fault.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from intacct_bridge.domain.conditions import FIELDS, OPERATOR_WORDS, OPERATORS_BY_TYPE, Join
from intacct_bridge.domain.sync_settings import MappingRule
from intacct_bridge.domain.vocabulary import EXCLUDE_CAMPAIGN, Dimension, Side
from intacct_bridge.store.errors import StoreError
from intacct_bridge.store.models import Action
from intacct_bridge.store.repositories import export_rules
from intacct_bridge.store.repositories import settings as settings_repo
from intacct_bridge.store.repositories.campaigns import list_campaigns
from intacct_bridge.web.console.render import State, Ws, page, redirect
from intacct_bridge.web.console.session import Editor, User
from intacct_bridge.web.queries import excluded_unposted

router = APIRouter(prefix="/w/{ws}/mapping", include_in_schema=False)
LABELS = {"account": "Accounts", "location": "Locations", "department": "Departments", "class": "Classes",
          "custom": "Custom field", "project": "Projects", "customer": "Customers", "vendor": "Vendors",
          "employee": "Employees", "item": "Items"}
CONDITION_ROWS = 3
OPERATOR_CHOICES = [(op.value, words) for op, words in OPERATOR_WORDS.items()]
NOTICES = {"default": "Default saved.", "default-removed": "Default removed.", "rule": "Rule saved.",
           "rule-removed": "Rule removed.", "rule-moved": "Rule moved.", "skip": "Skip rule saved.",
           "skip-paused": "Skip rule paused: the next sync exports what it skipped.",
           "skip-resumed": "Skip rule active again.", "skip-removed": "Skip rule removed: the next sync exports "
                                                                    "what it skipped."}
Text = Annotated[str, Form(max_length=200)]
Dim = Annotated[Dimension, Form()]


def _conditions(form: dict[str, Any]) -> list[dict[str, str]]:
    return [{"field": form.get(f"field_{n}", ""), "operator": form.get(f"operator_{n}", ""),
             "value": form.get(f"value_{n}", ""), "value_to": form.get(f"value_to_{n}", "")}
            for n in range(1, CONDITION_ROWS + 1)]


def _render(request: Request, state, user, ws, dimension: Dimension | None = None, *, status_code: int = 200,
            **extra: Any) -> Response:
    with state.store.session() as session:
        settings = settings_repo.load_sync_settings(session, ws.id)
        dims = [d for d in settings.active_dimensions() if isinstance(d, Dimension)]
        chosen = dimension if dimension in dims else Dimension.ACCOUNT
        rows = list_campaigns(session, ws.id, category=settings.category_name(chosen))
        names = {(r.campaign.side, r.campaign.intacct_value_id): r.campaign for r in rows}
        options = {side: [r.campaign for r in rows if r.campaign.side == side.value and r.campaign.active]
                   for side in Side}
        defaults = [r for r in settings.mapping_rules if r.dimension is chosen]
        rules = [r for r in settings.campaign_rules if r.dimension is chosen]
        types = list(session.scalars(select(Action.type).distinct().where(Action.workspace_id == ws.id)
                                     .order_by(Action.type).limit(100)))
        excluded = excluded_unposted(session, ws.id)
    return page(request, "console/mapping.html", user=user, workspace=ws, nav="mapping", dimensions=dims,
                labels=LABELS, chosen=chosen, options=options, names=names, defaults=defaults, rules=rules,
                skip_rules=settings.skip_rules, fields=FIELDS, operator_words=OPERATOR_CHOICES, rows=CONDITION_ROWS,
                types=types, excluded=excluded, exclude_campaign=EXCLUDE_CAMPAIGN, status_code=status_code,
                **extra)


def _back(ws, dimension: Dimension | str, saved: str, anchor: str = "") -> Response:
    return redirect(f"{ws.base}/mapping?dimension={Dimension(dimension).value}&saved={saved}{anchor}")


@router.get("/operators", response_class=HTMLResponse)
def operator_options(request: Request, user: User, ws: Ws) -> Response:
    """The operators the chosen field's type allows (a condition row's operator list follows its field)."""
    field = next((v for k, v in request.query_params.items() if k.startswith("field_")), "")
    spec = FIELDS.get(field)
    allowed = [(op.value, OPERATOR_WORDS[op]) for op in OPERATORS_BY_TYPE[spec.type]] if spec else OPERATOR_CHOICES
    return page(request, "console/_operator_options.html", user=user, workspace=ws, operator_words=allowed)


@router.get("", response_class=HTMLResponse)
def mapping_page(request: Request, state: State, user: User, ws: Ws,
                 dimension: Annotated[Dimension | None, Query()] = None,
                 saved: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    return _render(request, state, user, ws, dimension, notice=NOTICES.get(saved or ""))


def _target(target: str) -> tuple[Side, str]:
    """The picker's `CR|4400` → (side, value id)."""
    side, _, value_id = target.partition("|")
    try:
        return Side(side), value_id
    except ValueError:
        raise StoreError("choose a campaign from the list") from None


@router.post("/defaults")
def save_default(request: Request, state: State, user: Editor, ws: Ws, dimension: Dim, action_type: Text = "",
                 target: Text = "") -> Response:
    try:
        side, value_id = _target(target)
        if not action_type.strip():
            raise StoreError("enter the action type the default is for, e.g. ticket")
        with state.store.write_session() as session:
            export_rules.target_campaign(session, ws.id, dimension, side, value_id)
            settings_repo.set_mapping_default(session, ws.id, MappingRule(action_type, dimension, side, value_id))
    except StoreError as error:
        return _render(request, state, user, ws, dimension, status_code=409, default_error=str(error),
                       typed_default={"action_type": action_type, "target": target})
    return _back(ws, dimension, "default")


@router.post("/defaults/remove")
def remove_default(state: State, user: Editor, ws: Ws, dimension: Dim, action_type: Text,
                   side: Annotated[Side, Form()]) -> Response:
    with state.store.write_session() as session:
        settings_repo.remove_mapping_default(session, ws.id, action_type, dimension, side)
    return _back(ws, dimension, "default-removed")


@router.post("/rules")
async def save_rule(request: Request, state: State, user: Editor, ws: Ws, dimension: Dim, target: Text = "",
                    join: Annotated[Join, Form()] = Join.ALL) -> Response:
    form = {k: str(v)[:200] for k, v in (await request.form()).items()}
    conditions = _conditions(form)
    try:
        side, value_id = _target(target)
        with state.store.write_session() as session:
            export_rules.add_campaign_rule(session, ws.id, conditions, dimension=dimension, side=side,
                                           value_id=value_id, join=join)
    except StoreError as error:
        return _render(request, state, user, ws, dimension, status_code=409, rule_error=str(error),
                       typed_rule={"conditions": conditions, "join": join.value, "target": target})
    return _back(ws, dimension, "rule", "#rules-h")


@router.post("/rules/{rule_id}/move")
def move_rule(state: State, user: Editor, ws: Ws, rule_id: int, dimension: Dim,
              direction: Annotated[str, Form(pattern="^(up|down)$")]) -> Response:
    with state.store.write_session() as session:
        export_rules.move_rule(session, ws.id, rule_id, direction == "up")
    return _back(ws, dimension, "rule-moved", "#rules-h")


@router.post("/rules/{rule_id}/remove")
def remove_rule(state: State, user: Editor, ws: Ws, rule_id: int, dimension: Dim) -> Response:
    with state.store.write_session() as session:
        export_rules.remove_rule(session, ws.id, rule_id)
    return _back(ws, dimension, "rule-removed", "#rules-h")


@router.post("/skip")
async def save_skip(request: Request, state: State, user: Editor, ws: Ws, name: Text = "",
                    join: Annotated[Join, Form()] = Join.ALL) -> Response:
    form = {k: str(v)[:200] for k, v in (await request.form()).items()}
    conditions = _conditions(form)
    try:
        with state.store.write_session() as session:
            export_rules.add_skip_rule(session, ws.id, name, conditions, join=join)
    except StoreError as error:
        return _render(request, state, user, ws, status_code=409, skip_error=str(error),
                       typed_skip={"name": name, "conditions": conditions, "join": join.value})
    return _back(ws, Dimension.ACCOUNT, "skip", "#skip-h")


@router.post("/skip/{rule_id}/active")
def toggle_skip(state: State, user: Editor, ws: Ws, rule_id: int,
                active: Annotated[bool, Form()]) -> Response:
    with state.store.write_session() as session:
        export_rules.set_skip_rule_active(session, ws.id, rule_id, active)
    return _back(ws, Dimension.ACCOUNT, "skip-resumed" if active else "skip-paused", "#skip-h")


@router.post("/skip/{rule_id}/remove")
def remove_skip(state: State, user: Editor, ws: Ws, rule_id: int) -> Response:
    with state.store.write_session() as session:
        export_rules.remove_rule(session, ws.id, rule_id, skip=True)
    return _back(ws, Dimension.ACCOUNT, "skip-removed", "#skip-h")
