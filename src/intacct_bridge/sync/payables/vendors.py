"""What AP records need of Intacct before posting: which vendors exist, which AP terms are active.

Bills and adjustments name a vendor by its Intacct VENDORID. `intacct_vendor_ids` asks Intacct
which of the named vendors exist (one query per hundred), so a record naming a missing vendor is
flagged with the fix instead of failing at Intacct. It is the one place that decides what a known
vendor is (`checked.VendorChecked` keeps its answer for the run's checks).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from intacct_bridge.intacct.lookup import find_records
from intacct_bridge.intacct.pulls import ap_terms
from intacct_bridge.store.database import Store
from intacct_bridge.store.repositories.payables import save_ap_terms
from intacct_bridge.sync.kinds import FindClient


def intacct_vendor_ids(client: FindClient, vendor_ids: Iterable[str]) -> set[str]:
    """The given VENDORIDs Intacct has."""
    wanted = sorted({v for v in vendor_ids if v})
    return set(find_records(client, "VENDOR", "VENDORID", wanted)) if wanted else set()


def pull_ap_terms(client: FindClient, store: Store, workspace_id: int) -> set[str]:
    """Read Intacct's AP terms, keep them in the store (settings and pages offer them), return the active ones."""
    terms = list(ap_terms(client))
    with store.write_session() as session:
        save_ap_terms(session, workspace_id, terms, datetime.now(UTC))
    return {name for name, status in terms if status == "active"}
