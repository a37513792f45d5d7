"""What bills and AP adjustments share: the vendor check against Intacct, read once per run.

A vendor the workspace pushes itself (the `vendor` kind, `sync.master_data`) counts as known even before
Intacct has it: the record waits for that vendor to be posted (earlier in the same run, since vendors
come first in the registry, or in a later one) instead of being flagged as naming a missing vendor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.payables_rules import vendor_reasons
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Vendor
from intacct_bridge.sync.kinds import Checked, FindClient, RunScope
from intacct_bridge.sync.payables.vendors import intacct_vendor_ids
from intacct_bridge.sync.receivables.stored import StoredKind


class VendorChecked(StoredKind):
    """A stored kind whose records name an Intacct vendor: one naming a vendor Intacct lacks is flagged."""

    ar_terms = False  # a bill's terms are AP terms (`Bills.intacct_reasons`)

    def __init__(self) -> None:
        super().__init__()
        self.known_vendors: set[str] = set()

    def read_intacct(self, client: FindClient, store: Store, scope: RunScope, dry_run: bool) -> int:
        if not self._mine(scope):
            return 0
        with store.session() as session:
            named = set(session.scalars(select(self.model.vendor_id).where(self.candidate_filter(scope)).distinct()))
        if not named:
            return 0  # nothing to post: Intacct is not asked anything
        self.known_vendors = intacct_vendor_ids(client, named) | self._local_vendor_ids(store, scope, named)
        self.read_more(client, store, scope)
        return len(named)

    @staticmethod
    def _local_vendor_ids(store: Store, scope: RunScope, named: set[str]) -> set[str]:
        """The named VENDORIDs the workspace pushes itself: known, though perhaps not posted yet."""
        with store.session() as session:
            return set(session.scalars(select(Vendor.vendor_id).where(
                Vendor.workspace_id == scope.workspace_id, Vendor.vendor_id.in_(sorted(named)))))

    def waiting_on(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        """Records naming a vendor of the workspace's own that is not posted yet wait for it."""
        ids = [c.record_id for c in checked]
        if not ids:
            return {}
        rows = session.execute(
            select(self.model.id, Vendor.external_id, Vendor.vendor_id)
            .join(Vendor, (Vendor.workspace_id == self.model.workspace_id) & (Vendor.vendor_id == self.model.vendor_id))
            .where(self.model.id.in_(ids), Vendor.status != ActionStatus.POSTED.value)
        ).all()
        return {record_id: f"waits for vendor {vendor_id!r} (record {external_id!r}) to be posted"
                for record_id, external_id, vendor_id in rows}

    def read_more(self, client: FindClient, store: Store, scope: RunScope) -> None:
        """Anything else the kind reads from Intacct before its gate (bills: the AP terms)."""

    def intacct_reasons(self, view: Any) -> list[Reason]:
        return vendor_reasons(view.vendor_id, self.known_vendors)

    def check(self, view: Any) -> Checked:
        checked = super().check(view)
        extra = tuple(self.intacct_reasons(view))
        return replace(checked, reasons=checked.reasons + extra) if extra else checked
