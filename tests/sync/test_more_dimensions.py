"""Dimensions of issue 10 end to end over HTTP: projects, employees (and customers, vendors, items) as GL-line
dimensions, and user-defined dimensions beyond the custom field, each with its own mode and its own
`[Sage Intacct] <name>` category. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.domain.vocabulary import Dimension, DimensionMode, RunStatus
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import CampaignCategory
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.sync.sample import cr, dr

from tests.sync.engine_helpers import action, good_tags, ledger_by_reference, make_workspace, seed_actions
from tests.sync.test_multi_entity import posting_of, reasons_of


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_store(request, store):
    return store if request.param == "sqlite" else request.getfixturevalue("pg_store")


def test_projects_employees_and_a_second_user_defined_dimension(emu, operator, any_store, wire) -> None:
    store = any_store
    workspace_id = make_workspace(store, emu, operator, wire)
    bridge = Bridge(store, workspace_id, operator, {"backoff_base": 0.01})
    with store.write_session() as session:
        update_settings(session, workspace_id, SettingsChange(modes={
            Dimension.PROJECT: DimensionMode.AVAILABLE, Dimension.EMPLOYEE: DimensionMode.AVAILABLE,
            Dimension.CUSTOM: DimensionMode.EXCLUDE}))
    udd = bridge.set_user_dimension("program", label="Program", mode="require")
    assert (udd.object_name, udd.gl_field, udd.category_name) == ("PROGRAM", "GLDIMPROGRAM", "[Sage Intacct] Program")
    with pytest.raises(Conflict, match="at most 20 user-defined dimensions"):
        for number in range(25):
            bridge.set_user_dimension(f"EXTRA{number}", mode="exclude")
    for number in range(19):
        bridge.remove_user_dimension(f"EXTRA{number}")

    totals = bridge.pull()
    with store.session() as session:
        categories = {c.name: (c.dimension, c.intacct_object) for c in session.scalars(select(CampaignCategory))}
    assert categories["[Sage Intacct] Program"] == ("custom", "PROGRAM")
    assert categories["[Sage Intacct] Projects"] == ("project", "PROJECT")
    assert categories["[Sage Intacct] Employees"] == ("employee", "EMPLOYEE")
    assert "[Sage Intacct] Fund" not in categories and totals.values > 0

    with_program = [cr(Dimension.CUSTOM, "PG-YOUTH"), dr(Dimension.CUSTOM, "PG-YOUTH")]  # Program's campaigns
    seed_actions(store, workspace_id, [
        action(1, [*good_tags(), *with_program, cr(Dimension.PROJECT, "P-100"), dr(Dimension.PROJECT, "P-100"),
                   cr(Dimension.EMPLOYEE, "EMP-01"), dr(Dimension.EMPLOYEE, "EMP-01")]),
        action(2, good_tags()),                                                      # no Program: Require
    ])
    halted = bridge.sync()
    assert halted.status is RunStatus.HALTED
    reasons = reasons_of(store, workspace_id, "T-00002")
    assert [r["field"] for r in reasons] == ["udd:program.CR", "udd:program.DR"]
    assert "no CR Program: add one campaign from [Sage Intacct] Program with side CR" in reasons[0]["message"]

    bridge.set_user_dimension("PROGRAM", label="Program", mode="available")   # its own mode, changed alone
    assert bridge.sync().status is RunStatus.SUCCEEDED
    entry = ledger_by_reference(emu)[posting_of(store, workspace_id, "T-00001").reference_no]
    for line in entry["ENTRIES"]:
        assert (line["GLDIMPROGRAM"], line["PROJECTID"], line["EMPLOYEEID"]) == ("PG-YOUTH", "P-100", "EMP-01")
    plain = ledger_by_reference(emu)[posting_of(store, workspace_id, "T-00002").reference_no]
    assert all(not line.get("GLDIMPROGRAM") for line in plain["ENTRIES"])
