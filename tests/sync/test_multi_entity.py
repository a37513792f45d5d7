"""Multi-entity companies end to end over HTTP (issue 10): values pulled per entity, posting at the entity
level, a value of another entity refused, a level change that moves only what comes after, recovery in
the posting's own entity, an entity the user cannot reach. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.vocabulary import Dimension, DimensionMode, RunStatus
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import Action, Posting, ReviewFlag
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.sync.progress import Phase
from intacct_bridge.sync.sample import cr, dr, entity
from intacct_bridge.sync.sample_load import create_connected_workspace

from tests.sync.engine_helpers import action, now, seed_actions

GROUP = "helping-hands-group"
MODES = {Dimension.LOCATION: DimensionMode.REQUIRE, Dimension.DEPARTMENT: DimensionMode.AVAILABLE,
         Dimension.CLASS: DimensionMode.EXCLUDE, Dimension.CUSTOM: DimensionMode.EXCLUDE}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_store(request, store):
    """The same scenario on a SQLite file and on PostgreSQL."""
    return store if request.param == "sqlite" else request.getfixturevalue("pg_store")


def group_bridge(store, emu, operator, *, user: str = "ws_bridge", entity_id: str | None = None,
                 modes=MODES, wire: str = "xml") -> Bridge:
    """A workspace on the multi-entity company speaking `wire` (the XML gateway or the REST API)."""
    creds = {**emu.credentials, "INTACCT_COMPANY_ID": GROUP, "INTACCT_USER_ID": user}
    workspace_id = create_connected_workspace(store, f"Group {user} {entity_id}", creds,
                                              SecretBox.from_settings(operator), modes=modes, entity_id=entity_id,
                                              api=wire)
    return Bridge(store, workspace_id, operator, {"backoff_base": 0.01, "backoff_max": 0.05})


def at(location: str, *extra, credit: str = "4000"):
    return [cr(Dimension.ACCOUNT, credit), dr(Dimension.ACCOUNT, "1100"),
            cr(Dimension.LOCATION, location), dr(Dimension.LOCATION, location), *extra]


def reasons_of(store, workspace_id: int, external_id: str) -> list[dict]:
    with store.session() as session:
        action_id = session.scalar(select(Action.id).where(Action.workspace_id == workspace_id,
                                                           Action.external_id == external_id))
        flag = session.scalar(select(ReviewFlag).where(ReviewFlag.workspace_id == workspace_id,
                                                       ReviewFlag.record_id == action_id))
        return list(flag.reasons) if flag else []


def posting_of(store, workspace_id: int, external_id: str) -> Posting:
    with store.session() as session:
        return session.scalar(select(Posting).join(Action, Action.id == Posting.action_id).where(
            Action.workspace_id == workspace_id, Action.external_id == external_id).order_by(Posting.generation.desc()))


def ledger_refs(emu, entity_id: str | None) -> set[str]:
    return {e["REFERENCENO"] for e in emu.admin.ledger(GROUP, "GLBATCH", entity_id=entity_id)
            if entity_id or not e.get("MEGAENTITYID")}


def test_entity_level_posting_refusal_and_level_change(emu, operator, any_store, wire) -> None:
    store = any_store
    bridge = group_bridge(store, emu, operator, wire=wire)
    ws = bridge.workspace_id
    bridge.pull()
    pulled = bridge.pull_reference()
    assert pulled.counts["LOCATIONENTITY"] == 3 and pulled.counts["GLJOURNAL"] >= 3
    assert pulled.counts["ARTERM"] >= 4 and pulled.counts["TAXDETAIL"] == 3

    # values pulled per entity (showprivate at the top level), each with its owner
    owned = {e.entity_id: e.owned for e in bridge.entities()}
    assert owned["E100"]["LOCATION"] == 1 and owned["E100"]["DEPARTMENT"] == 1 and owned["E200"]["LOCATION"] == 1
    summary, values = bridge.entity("E200")
    assert summary.name == "Helping Hands West"
    assert {(v.object_name, v.value_id) for v in values} >= {("LOCATION", "200-HQ"), ("DEPARTMENT", "D-E200"),
                                                            ("ARTERM", "N45-WEST")}
    assert [v.value_id for v in bridge.reference_values("journals")][:3] == ["ADJ", "CRJ", "GJ"]

    # settings take only what was pulled, with a clear error
    with store.write_session() as session, pytest.raises(Conflict, match="journal 'ZZ' is not in Intacct: choose"):
        update_settings(session, ws, SettingsChange(journal="ZZ"))
    with pytest.raises(Conflict, match="entity 'E999' is not in Intacct"):
        bridge.set_posting_level("entity", "E999")

    seed_actions(store, ws, [
        action(1, at("100-HQ")),                                    # default entity E100
        action(2, at("200-HQ", entity("E200"))),                    # its own entity
        action(3, at("200-HQ", entity("E100"))),                    # a location of another entity
        action(4, at("100-HQ", cr(Dimension.DEPARTMENT, "D-E200"), dr(Dimension.DEPARTMENT, "D-E200"))),
    ])
    warning = bridge.set_posting_level("entity", "E100")
    assert warning and "from top to entity: 4 record(s) not posted yet will be posted at the entity level" in warning

    report = bridge.sync()
    assert report.status is RunStatus.HALTED  # journal entries halt on any invalid one (seed 000)
    location = [r for r in reasons_of(store, ws, "T-00003") if r["field"].startswith("location")]
    assert [r["field"] for r in location] == ["location.CR", "location.DR"]
    assert all("location 200-HQ belongs to entity E200, but this record posts at entity E100" in r["message"]
               for r in location)
    assert any("department D-E200 belongs to entity E200" in r["message"] for r in reasons_of(store, ws, "T-00004"))

    # the two refused ones move to their entity / a top-level department; then everything posts
    from intacct_bridge.store.repositories.actions import get_action, tag_actions
    from intacct_bridge.store.repositories.campaigns import CampaignResolver
    with store.write_session() as session:
        resolver = CampaignResolver(session, ws)
        tag_actions(session, ws, [get_action(session, ws, "T-00003")],
                    add=[resolver.resolve("Entities: E200 - Helping Hands West")],
                    remove=[resolver.resolve("Entities: E100 - Helping Hands East")])
        tag_actions(session, ws, [get_action(session, ws, "T-00004")],
                    add=[resolver.resolve("Departments: CR ADM"), resolver.resolve("Departments: DR ADM")],
                    remove=[resolver.resolve("Departments: CR D-E200"), resolver.resolve("Departments: DR D-E200")])
    report = bridge.sync()
    assert report.status is RunStatus.SUCCEEDED, report.message
    uid_refs = {p: posting_of(store, ws, p) for p in ("T-00001", "T-00002", "T-00003", "T-00004")}
    assert {k: (p.posting_level, p.entity_id) for k, p in uid_refs.items()} == {
        "T-00001": ("entity", "E100"), "T-00002": ("entity", "E200"), "T-00003": ("entity", "E200"),
        "T-00004": ("entity", "E100")}
    assert {uid_refs["T-00001"].reference_no, uid_refs["T-00004"].reference_no} <= ledger_refs(emu, "E100")
    assert {uid_refs["T-00002"].reference_no, uid_refs["T-00003"].reference_no} <= ledger_refs(emu, "E200")

    # a change of level: only what comes after moves; what was posted keeps its entity
    warning = bridge.set_posting_level("top")
    assert warning and "from entity to top: 0 record(s)" in warning
    seed_actions(store, ws, [action(5, at("300-HQ"), days_ago=1)])
    assert bridge.sync().status is RunStatus.SUCCEEDED
    after = posting_of(store, ws, "T-00005")
    assert (after.posting_level, after.entity_id) == ("top", None)
    assert after.reference_no in ledger_refs(emu, None)
    assert (posting_of(store, ws, "T-00001").posting_level, posting_of(store, ws, "T-00001").entity_id) == (
        "entity", "E100")


def test_closed_period_at_one_entity_is_reported_with_it(emu, operator, store, wire) -> None:
    bridge = group_bridge(store, emu, operator, wire=wire)
    ws = bridge.workspace_id
    bridge.pull()
    bridge.pull_reference()
    bridge.set_posting_level("entity", "E100")
    emu.admin.set_closed_through(GROUP, "E200", (now() - timedelta(days=2)).date())
    seed_actions(store, ws, [action(1, at("100-HQ")), action(2, at("200-HQ", entity("E200")))])
    report = bridge.sync()
    assert report.status is RunStatus.COMPLETED_WITH_ERRORS
    assert posting_of(store, ws, "T-00001").state == "posted"
    [reason] = reasons_of(store, ws, "T-00002")
    assert reason["field"] == "intacct" and "at entity E200:" in reason["message"] and "closed" in reason["message"]


def test_recovery_after_a_level_change_looks_in_the_postings_entity(emu, operator, store, wire) -> None:
    """A process killed after its post landed at entity E100 and before it was recorded (posting `pending`,
    action unposted) is settled there after the level went back to top: found, not sent again (at the top
    level, without showprivate, it would be invisible)."""
    bridge = group_bridge(store, emu, operator, wire=wire)
    ws = bridge.workspace_id
    bridge.pull()
    bridge.pull_reference()
    bridge.set_posting_level("entity", "E100")
    seed_actions(store, ws, [action(1, at("100-HQ"))])
    assert bridge.sync().status is RunStatus.SUCCEEDED
    landed = posting_of(store, ws, "T-00001")
    with store.write_session() as session:   # what a SIGKILL between send and record leaves
        session.get(Posting, landed.id).state, session.get(Posting, landed.id).intacct_recordno = "pending", None
        session.get(Action, landed.action_id).status = "unposted"
    assert bridge.set_posting_level("top")
    report = bridge.sync()
    assert report.status is RunStatus.SUCCEEDED and report.tally.already_posted == 1 and report.tally.posted == 0
    settled = posting_of(store, ws, "T-00001")
    assert settled.id == landed.id and settled.state == "posted" and settled.entity_id == "E100"
    assert [e["REFERENCENO"] for e in emu.admin.ledger(GROUP, "GLBATCH", entity_id="E100")].count(
        landed.reference_no) == 1
    assert landed.reference_no not in ledger_refs(emu, None)


def test_entity_the_user_cannot_reach(emu, operator, store, wire) -> None:
    """ws_east may reach E100 and E200 only: test connection names E300; a record at E300 fails with a reason
    naming the record's field and the fix, and the E100 one is posted."""
    modes = {**MODES, Dimension.LOCATION: DimensionMode.AVAILABLE}
    bridge = group_bridge(store, emu, operator, user="ws_east", entity_id="E100", modes=modes, wire=wire)
    ws = bridge.workspace_id
    bridge.pull()
    bridge.pull_reference()
    bridge.set_posting_level("entity", "E300")
    report = bridge.test_connection()
    assert not report.ok
    [problem] = [p for p in report.problems if p.kind == "entity"]
    assert "user ws_east cannot reach entity E300" in problem.title and "entity access" in problem.fix
    seed_actions(store, ws, [action(1, at("100-HQ", entity("E100"))),
                             action(2, [cr(Dimension.ACCOUNT, "4000"), dr(Dimension.ACCOUNT, "1100")])])
    run = bridge.sync()
    assert run.status is RunStatus.COMPLETED_WITH_ERRORS
    assert posting_of(store, ws, "T-00001").state == "posted"
    [reason] = reasons_of(store, ws, "T-00002")
    assert reason["field"] == "entity", reason
    assert "entity E300: the Intacct user cannot reach this entity" in reason["message"]
    assert "Fix: give the Web Services user access to entity E300" in reason["message"]
    assert "E300" not in {e.get("MEGAENTITYID") for e in emu.admin.ledger(GROUP, "GLBATCH")}


def test_a_level_change_during_a_run_waits_for_the_next_run(emu, operator, store, wire) -> None:
    """The level is read once per run: flipped while a run posts, that run keeps the old level for every record."""
    bridge = group_bridge(store, emu, operator, wire=wire)
    ws = bridge.workspace_id
    bridge.pull()
    bridge.pull_reference()
    bridge.set_posting_level("entity", "E100")
    seed_actions(store, ws, [action(n, at("100-HQ")) for n in range(1, 4)])
    flipped = []

    def flip_when_posting(event) -> None:
        if event.phase is Phase.POST and not flipped:
            flipped.append(bridge.set_posting_level("top"))

    assert bridge.engine().run(progress=flip_when_posting).status is RunStatus.SUCCEEDED
    assert flipped and all((posting_of(store, ws, f"T-0000{n}").posting_level,
                            posting_of(store, ws, f"T-0000{n}").entity_id) == ("entity", "E100") for n in (1, 2, 3))
    seed_actions(store, ws, [action(4, at("100-HQ"), days_ago=1)])
    assert bridge.sync().status is RunStatus.SUCCEEDED
    assert posting_of(store, ws, "T-00004").posting_level == "top"


def test_exactly_once_at_the_entity_level_under_every_fault(emu, operator, store, wire) -> None:
    """Sixty actions at two entities, every fault on: each lands once, at its own entity, nowhere else."""
    from tests.sync.engine_helpers import make_engine, run_under_every_fault

    bridge = group_bridge(store, emu, operator, wire=wire)
    ws = bridge.workspace_id
    bridge.pull()
    bridge.pull_reference()
    bridge.set_posting_level("entity", "E100")
    seed_actions(store, ws, [action(n, at("100-HQ") if n % 2 else at("200-HQ", entity("E200")))
                             for n in range(1, 61)])
    # the REST API always replays a key's answer (reference §6); the XML gateway's reject mode makes lookups
    run_under_every_fault(emu, make_engine(store, ws, operator), idempotency_mode="reject" if wire == "xml"
                          else "replay", seed=3)
    east, west = emu.admin.ledger(GROUP, "GLBATCH", entity_id="E100"), emu.admin.ledger(GROUP, "GLBATCH", entity_id="E200")
    for n in range(1, 61):
        posting = posting_of(store, ws, f"T-{n:05d}")
        assert posting.state == "posted" and posting.entity_id == ("E100" if n % 2 else "E200")
        here, there = (east, west) if n % 2 else (west, east)
        assert [e["REFERENCENO"] for e in here].count(posting.reference_no) == 1
        assert posting.reference_no not in {e["REFERENCENO"] for e in there}
