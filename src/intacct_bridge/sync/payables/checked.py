"""What bills and AP adjustments share: the vendor check against Intacct, read once per run."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select

from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.payables_rules import vendor_reasons
from intacct_bridge.store.database import Store
from intacct_bridge.sync.kinds import Checked, FindClient, RunScope
from intacct_bridge.sync.payables.vendors import intacct_vendor_ids
from intacct_bridge.sync.receivables.stored import StoredKind


class VendorChecked(StoredKind):
    """A stored kind whose records name an Intacct vendor: one naming a vendor Intacct lacks is flagged."""

    def __init__(self) -> None:
        super().__init__()
        self.known_vendors: set[str] = set()

    def before_posting(self, client: FindClient, store: Store, scope: RunScope, dry_run: bool) -> int:
        if not self._mine(scope):
            return 0
        with store.session() as session:
            named = set(session.scalars(select(self.model.vendor_id).where(self.candidate_filter(scope)).distinct()))
        if not named:
            return 0  # nothing to post: Intacct is not asked anything
        self.known_vendors = intacct_vendor_ids(client, named)
        self.read_more(client, store, scope)
        return len(named)

    def read_more(self, client: FindClient, store: Store, scope: RunScope) -> None:
        """Anything else the kind reads from Intacct before its gate (bills: the AP terms)."""

    def intacct_reasons(self, view: Any) -> list[Reason]:
        return vendor_reasons(view.vendor_id, self.known_vendors)

    def check(self, view: Any) -> Checked:
        checked = super().check(view)
        extra = tuple(self.intacct_reasons(view))
        return replace(checked, reasons=checked.reasons + extra) if extra else checked
