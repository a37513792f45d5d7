"""What the two correction kinds share: a queue of rows to post once, made when a posted record changes.

`journal_reversal` (a GLBATCH with the original's lines swapped) and `document_cancellation` (an AR or AP
adjustment taking back an invoice's or bill's posted version) are both rows queued by the change
repositories and posted before the corrected version. How they are chosen, counted, read in chunks, recorded
and explained when there is nothing to do is the same; each kind adds how a row is checked, built and found.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from intacct_bridge.domain.closed_periods import ClosedThrough
from intacct_bridge.domain.identifiers import record_controlid
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.store.database import Store
from intacct_bridge.store.repositories import reference
from intacct_bridge.sync import review
from intacct_bridge.sync.kinds import Checked, GateMode, RunScope, Settled, keyset_chunks, outcome_rows


class CorrectionQueue:
    """The shared part of a correction kind; subclasses set the class variables and `view_of`."""

    depends_on: ClassVar[tuple[str, ...]] = ()
    flags_with_campaign: ClassVar[bool] = False
    gate_mode: ClassVar[GateMode] = GateMode.HOLD   # fixed, not a setting: one correction never holds back another
    model: ClassVar[Any]                  # the queued rows' table
    noun: ClassVar[str]                   # "reversal", "cancellation": how messages name one row
    key_column: ClassVar[str]             # where the row keeps the key Intacct gave
    unknown: ClassVar[type[LookupError]]  # raised when "sync this record now" names a row the workspace lacks

    def __init__(self) -> None:
        self._settings: SyncSettings | None = None
        self._closed: ClosedThrough | None = None  # read from Intacct when the policy is next_open
        self._entities: frozenset[str] = frozenset()

    def prepare(self, store: Store, scope: RunScope, context: Any) -> None:
        """A correction carries what it needs from the original posting; only the closed-period policy and the
        pulled entities (a correction is written where its original went) are read."""
        self._settings = context.settings
        with store.session() as session:
            self._entities = reference.entity_ids(session, scope.workspace_id) or frozenset()

    def view_of(self, row: Any) -> Any:
        raise NotImplementedError

    def _filter(self, scope: RunScope) -> Any:
        model = self.model
        conditions = [model.workspace_id == scope.workspace_id, model.status != ActionStatus.POSTED.value,
                      model.created_at < scope.run_started_at]
        if scope.only is not None:
            conditions.append(model.id == scope.only[1])
        else:
            conditions.append(~review.held_back(scope.workspace_id, self.name, model.id, scope.run_started_at))
        return and_(*conditions)

    def _mine(self, scope: RunScope) -> bool:
        return scope.only is None or scope.only[0] == self.name

    def count(self, session: Session, scope: RunScope) -> int:
        if not self._mine(scope):
            return 0
        return session.scalar(select(func.count()).select_from(self.model).where(self._filter(scope))) or 0

    def chunks(self, store: Store, scope: RunScope, size: int) -> Iterator[list[Any]]:
        if not self._mine(scope):
            return
        yield from keyset_chunks(store, self.model, self._filter(scope), size, self.view_of)

    def waiting_on(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        return {}  # the original is in Intacct: it was posted before its correction was made

    def controlid(self, workspace_uid: str, record_id: int, operation: str, generation: int) -> str:
        return record_controlid(workspace_uid, self.name, record_id, generation)

    def record(self, session: Session, settled: Sequence[Settled], now: datetime) -> None:
        rows = outcome_rows(settled, now, key_column=self.key_column)
        if rows:
            session.execute(update(self.model), rows)

    def nothing_to_do(self, session: Session, scope: RunScope) -> str:
        assert scope.only is not None
        row = session.get(self.model, scope.only[1])
        if row is None or row.workspace_id != scope.workspace_id:
            raise self.unknown(f"there is no {self.noun} {scope.only[1]} in this workspace")
        if row.status == ActionStatus.POSTED.value:
            return f"{self.noun} {row.id} is already posted (Intacct record {getattr(row, self.key_column)})"
        return f"{self.noun} {row.id} was made after this run started; run again"
