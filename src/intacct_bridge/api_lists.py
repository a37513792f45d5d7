"""The Python API's lists, CSV exports and audit log (mixed into `api.Bridge`).

    bridge.actions_page(sort="amount", descending=True, size=50, page=1, amount_min=Decimal("100"))
    with open("actions.csv", "w", newline="") as out:
        bridge.export_csv("actions", out, type="donation", date_from=date(2026, 10, 1))   # or "runs", "errors"
    bridge.audit(action="settings")                 # AuditEntry rows, newest first: who, when, what
    bridge.overview()                               # posted money by period/account/fund, next sync, checklist
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO

from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Action, AuditEntry
from intacct_bridge.store.repositories import audit as audit_log
from intacct_bridge.store.repositories.actions import count_actions, day_range, sorted_actions
from intacct_bridge.store.repositories.csv_exports import actions_csv, errors_csv, runs_csv
from intacct_bridge.store.repositories.settings import load_sync_settings

EXPORTS = ("actions", "runs", "errors")


class ListsAndAudit:
    """Methods of `Bridge` over its workspace's lists, exports and audit log."""

    store: Store
    workspace_id: int

    def actions_page(self, *, sort: str = "id", descending: bool = False, size: int = 50, page: int = 1,
                     **filters: Any) -> tuple[list[Action], int]:
        """One page of actions sorted by `sort` (id, external_id, date, type, amount, status) and the total that
        match; filters as `web.list_params.ActionQuery` (q, status, type, review, date_from, date_to, amount_min,
        amount_max)."""
        from intacct_bridge.web.list_params import ActionQuery

        chosen = ActionQuery(**filters)
        with self.store.session() as session:
            found = chosen.filters(load_sync_settings(session, self.workspace_id).zone())
            rows = list(sorted_actions(session, self.workspace_id, found, sort=sort, descending=descending,
                                       offset=(page - 1) * size, limit=size))
            return rows, count_actions(session, self.workspace_id, found)

    def export_csv(self, which: str, out: TextIO, *, sort: str = "id", descending: bool | None = None,
                   classes: Sequence[str] = (), kinds: Sequence[str] = (), state: str = "open",
                   **filters: Any) -> int:
        """Write every row of a list as CSV to `out` (opened with newline=""); returns how many rows.

        `actions` and `runs` take the console's filters (actions: q, status, type, review, date_from, date_to,
        amount_min, amount_max; runs: status, trigger, kind "sync"/"dry", date_from, date_to); `errors` takes
        classes, kinds, state (open, resolved, all), date_from and date_to (the days it last failed)."""
        from intacct_bridge.api_queue import selection
        from intacct_bridge.web.list_params import ActionQuery, RunQuery

        if which not in EXPORTS:
            raise ValueError(f"no export {which!r}: choose one of {', '.join(EXPORTS)}")
        written = -1
        with self.store.session() as session:
            zone = load_sync_settings(session, self.workspace_id).zone()
            if which == "actions":
                lines = actions_csv(session, self.workspace_id, ActionQuery(**filters).filters(zone), sort=sort,
                                    descending=bool(descending))
            elif which == "runs":
                lines = runs_csv(session, self.workspace_id, RunQuery(**filters).filters(zone), sort=sort,
                                 descending=True if descending is None else descending)
            else:
                chosen = selection(None, classes, kinds)
                updated_from, updated_to = day_range(zone, filters.get("date_from"), filters.get("date_to"))
                lines = errors_csv(session, self.workspace_id, classes=chosen.classes,
                                   record_kinds=chosen.record_kinds, state=state, updated_from=updated_from,
                                   updated_to=updated_to, sort=sort, descending=bool(descending))
            for line in lines:
                out.write(line)
                written += 1
        return written

    def overview(self) -> dict[str, Any]:
        """The dashboard's figures: money posted by period, account and fund; the next scheduled sync; the setup
        checklist (each step's key, label, done, hint)."""
        from intacct_bridge.sync.overview import workspace_overview

        return workspace_overview(self.store, self.workspace_id)

    def audit(self, *, limit: int = 100, offset: int = 0, actor: str | None = None, action: str | None = None,
              via: str | None = None, since: datetime | None = None, until: datetime | None = None,
              everything: bool = False) -> tuple[list[AuditEntry], int]:
        """The workspace's audit entries, newest first, and how many match (`everything`: every workspace's,
        users' and tokens' too)."""
        f = audit_log.AuditFilter(None if everything else self.workspace_id, actor, action, via, since, until)
        with self.store.session() as session:
            return list(audit_log.list_entries(session, f, limit=limit, offset=offset)), \
                audit_log.count_entries(session, f)


__all__ = ["EXPORTS", "ListsAndAudit"]
