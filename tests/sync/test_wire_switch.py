"""Switching a workspace between the XML gateway and the REST API is safe: what one wire left uncertain,
the other settles by looking it up, and nothing is posted twice."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from intacct_bridge.domain.identifiers import controlid
from intacct_bridge.domain.journal import build_journal_entry
from intacct_bridge.domain.vocabulary import ActionStatus, PostingState, RunStatus
from intacct_bridge.intacct import ClientConfig, Credentials, IntacctClient
from intacct_bridge.intacct import functions as fn
from intacct_bridge.intacct.oauth import RestCredentials
from intacct_bridge.intacct.rest_client import RestClient
from intacct_bridge.store.models import Action, Posting, SyncRun, Workspace
from intacct_bridge.crypto import SecretBox
from intacct_bridge.store.repositories.connections import save_rest_client, set_api
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.sync.candidates import to_view

from engine_helpers import COMPANY, action, good_tags, make_engine, make_workspace, now, seed_actions


def _client(emu, wire: str):
    if wire == "xml":
        return IntacctClient(Credentials.from_env(emu.credentials), ClientConfig(endpoint=emu.url))
    creds = RestCredentials(emu.client_id, emu.client_secret, COMPANY, emu.credentials["INTACCT_USER_ID"])
    return RestClient(creds, ClientConfig(endpoint=emu.rest_base_url, allowed_endpoints=(emu.base_url,)))


def _left_uncertain(store, ws: int, external_id: str, *, landed: bool, emu, wire: str) -> str:
    """A posting reserved on `wire` whose answer never came back: pending, and (if `landed`) in Intacct."""
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
                            state=PostingState.AMBIGUOUS.value, amount=entry.amount, posting_date=entry.posting_date))
    if landed:
        with _client(emu, wire) as client:
            [outcome] = client.execute_many([fn.Create("GLBATCH", entry.payload, controlid=controlid(uid, row.id, 0))])
            assert outcome.ok
    return entry.reference_no


@pytest.mark.parametrize(("first", "then"), [("xml", "rest"), ("rest", "xml")])
def test_what_one_wire_left_uncertain_the_other_settles_by_lookup(emu, operator, store, first, then):
    ws = make_workspace(store, emu, operator, wire=first)
    make_engine(store, ws, operator).run()
    seed_actions(store, ws, [action(1, good_tags()), action(2, good_tags(), amount="75.00")])
    landed = _left_uncertain(store, ws, "T-00001", landed=True, emu=emu, wire=first)
    lost = _left_uncertain(store, ws, "T-00002", landed=False, emu=emu, wire=first)
    with store.write_session() as session:
        save_rest_client(session, ws, SecretBox.from_settings(operator), client_id=emu.client_id,
                         client_secret=SecretStr(emu.client_secret))
        set_api(session, ws, then)

    report = make_engine(store, ws, operator).run()

    assert report.status is RunStatus.SUCCEEDED
    assert (report.tally.already_posted, report.tally.posted) == (1, 1)
    ledger = [e["REFERENCENO"] for e in emu.admin.ledger(COMPANY, "GLBATCH")]
    assert sorted(r for r in ledger if r in (landed, lost)) == sorted([landed, lost])  # each exactly once
    with store.session() as session:
        assert all(a.status == ActionStatus.POSTED.value and a.intacct_recordno
                   for a in session.scalars(select(Action).where(Action.workspace_id == ws)))
        assert [p.state for p in session.scalars(select(Posting).where(Posting.workspace_id == ws))] == ["posted"] * 2
