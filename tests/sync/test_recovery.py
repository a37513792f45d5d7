"""A crash between "reserved" and "recorded": the next run settles by reference, re-sending with the same controlid."""

from __future__ import annotations

from sqlalchemy import select

from intacct_bridge.domain.identifiers import controlid
from intacct_bridge.domain.journal import build_journal_entry
from intacct_bridge.domain.vocabulary import ActionStatus, PostingState, RunStatus
from intacct_bridge.intacct import ClientConfig, Credentials, IntacctClient
from intacct_bridge.intacct import functions as fn
from intacct_bridge.store.models import Action, Posting, SyncRun, Workspace
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.sync.candidates import to_view
from intacct_bridge.sync.progress import Phase

from engine_helpers import COMPANY, action, good_tags, make_engine, make_workspace, now, seed_actions


def _crashed_after_reserving(store, ws: int, external_id: str, *, sent: bool, emu) -> str:
    """Leave the state a SIGKILL leaves: a pending posting (and, if `sent`, the entry already in Intacct)."""
    with store.write_session() as session:
        row = session.scalar(select(Action).where(Action.external_id == external_id))
        uid = session.get(Workspace, ws).uid
        entry = build_journal_entry(to_view(row), load_sync_settings(session, ws), workspace_uid=uid,
                                    run_started_at=now())
        crashed = SyncRun(workspace_id=ws, status=RunStatus.RUNNING.value, started_at=now())
        session.add(crashed)
        session.flush()
        session.add(Posting(workspace_id=ws, action_id=row.id, run_id=crashed.id, generation=0,
                            controlid=controlid(uid, row.id, 0), reference_no=entry.reference_no,
                            state=PostingState.PENDING.value, amount=entry.amount, posting_date=entry.posting_date))
    if sent:
        with IntacctClient(Credentials.from_env(emu.credentials), ClientConfig(endpoint=emu.url)) as client:
            client.execute_many([fn.Create("GLBATCH", entry.payload, controlid=controlid(uid, row.id, 0))])
    return entry.reference_no


def test_entries_that_landed_are_recorded_and_the_others_resent_with_the_same_controlid(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    engine.run()
    seed_actions(store, ws, [action(1, good_tags()), action(2, good_tags(), amount="75.00")])
    landed = _crashed_after_reserving(store, ws, "T-00001", sent=True, emu=emu)
    lost = _crashed_after_reserving(store, ws, "T-00002", sent=False, emu=emu)
    events = []

    report = engine.run(progress=events.append)

    assert report.status is RunStatus.SUCCEEDED
    assert (report.tally.already_posted, report.tally.posted) == (1, 1)
    ledger = emu.admin.ledger(COMPANY, "GLBATCH")
    assert sorted(e["REFERENCENO"] for e in ledger) == sorted([landed, lost])
    with store.session() as session:
        postings = session.scalars(select(Posting).order_by(Posting.action_id)).all()
        assert [(p.generation, p.state) for p in postings] == [(0, "posted"), (0, "posted")]
        assert all(a.status == ActionStatus.POSTED.value and a.intacct_recordno
                   for a in session.scalars(select(Action)))
        interrupted = session.scalar(select(SyncRun).where(SyncRun.id != report.run_id,
                                                           SyncRun.message.like("interrupted%")))
        assert interrupted is not None and interrupted.status == RunStatus.FAILED.value
    phases = [e.phase for e in events]
    assert phases.index(Phase.RECOVER) < phases.index(Phase.PULL) < phases.index(Phase.VALIDATE) < phases.index(Phase.POST)
    last_post = [e for e in events if e.phase is Phase.POST][-1]
    assert last_post.done == last_post.total == 1  # the recovered one is no longer a candidate
