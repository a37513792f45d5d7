"""Helpers of the engine tests: workspaces, engines, actions, the emulator's ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
import uuid

from sqlalchemy import select

from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.vocabulary import Dimension
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Constituent
from intacct_bridge.sync.context import client_factory
from intacct_bridge.sync.engine import SyncEngine
from intacct_bridge.sync.sample import SAMPLE_URL, SampleAction, SampleConstituent, SampleData, cr, dr
from intacct_bridge.sync.sample_load import create_connected_workspace, load_actions, load_sample
from intacct_emulator.harness import RunningEmulator

COMPANY = "helping-hands"


def make_workspace(store: Store, emu: RunningEmulator, operator: OperatorSettings, **kwargs) -> int:
    return create_connected_workspace(store, f"Helping Hands {uuid.uuid4().hex[:6]}", emu.credentials,
                                      SecretBox.from_settings(operator), **kwargs)


def make_engine(store: Store, workspace_id: int, operator: OperatorSettings, **client_config) -> SyncEngine:
    client_config.setdefault("backoff_base", 0.01)
    client_config.setdefault("backoff_max", 0.05)
    client_config.setdefault("throttle_pause", 0.01)
    return SyncEngine(store, workspace_id, client_factory(store, workspace_id, operator, **client_config))


def now() -> datetime:
    return datetime.now(UTC)


def action(number: int, tags, *, amount: str = "100.00", kind: str = "donation", days_ago: int = 5,
           created: datetime | None = None, excluded: bool = False):
    """One sample action (`tags` as built by `sample.cr`/`sample.dr`)."""
    happened = now() - timedelta(days=days_ago)
    external_id = f"T-{number:05d}"
    return SampleAction(
        external_id=external_id, constituent_id="C-0001", type=kind, amount=Decimal(amount),
        happened_at=happened, created_at=created or happened + timedelta(minutes=5),
        summary=f"{kind.title()} of {amount} on {happened.date()} by Ana Test", url=SAMPLE_URL.format(external_id=external_id),
        tags=tuple(tags), excluded=excluded,
    )


def good_tags(credit: str = "4000", location: str = "100"):
    return [cr(Dimension.ACCOUNT, credit), dr(Dimension.ACCOUNT, "1100"),
            cr(Dimension.LOCATION, location), dr(Dimension.LOCATION, location)]


def seed_actions(store: Store, workspace_id: int, actions) -> None:
    """Insert a constituent (if missing) and the actions."""
    with store.session() as session:
        known = session.scalar(select(Constituent.id).where(Constituent.workspace_id == workspace_id))
    if known is None:
        load_sample(store, workspace_id, SampleData([SampleConstituent("C-0001", "Ana Test", "ana@example.org")], []))
    load_actions(store, workspace_id, list(actions))


def ledger_by_reference(emu: RunningEmulator) -> dict[str, dict]:
    entries = emu.admin.ledger(COMPANY, "GLBATCH")
    by_ref: dict[str, dict] = {}
    for entry in entries:
        assert entry["REFERENCENO"] not in by_ref, f"two entries for {entry['REFERENCENO']}"
        by_ref[entry["REFERENCENO"]] = entry
    return by_ref
