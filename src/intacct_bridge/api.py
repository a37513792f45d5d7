"""The Python API: what the CLI does, for programs that embed intacct-bridge.

    from intacct_bridge.api import Bridge
    bridge = Bridge.open("helping-hands")          # a workspace by slug, name or id
    report = bridge.sync()                         # RunReport: status, counts, message
    bridge.sync(dry_run=True, on_entry=print)      # what would be posted, nothing sent
    bridge.test_connection().summary()
    bridge.import_invoices("orders.csv")           # or .jsonl, or a list of dicts: all or nothing
    bridge.invoices(status="unposted")             # Invoice rows; bridge.invoice("o-1001") one by id
    bridge.pull_reference(); bridge.entities()     # entities, journals, AR terms, tax details
    bridge.set_posting_level("entity", "E100")     # multi-entity: post at each record's entity
    bridge.errors(classes=["closed_period"]); bridge.retry_errors([3]); bridge.set_notifications(...)  (api_queue)
    bridge.import_vendors([{"external_id": "s-1", "name": "Acme"}])   # master data: created, then updated
    bridge.sync(kinds=["vendor", "item"])          # field by field at the top level; ids never change
    bridge.import_bills("bills.csv"); bridge.import_ap_adjustments([...])   # AP: bills and vendor credits
    bridge.reconcile(since=date(2026, 1, 1)).drift # posted records against what Intacct holds   (api_after_posting)
    bridge.export_csv("actions", out, amount_min=...); bridge.audit(action="settings")   (api_lists)
    bridge.add_skip_rule("Test orders", ["type equals test"]); bridge.add_campaign_rule(...)   (api_mapping)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from intacct_bridge.crypto import SecretBox
from intacct_bridge.api_after_posting import AfterPosting
from intacct_bridge.api_mapping import MappingAndRules
from intacct_bridge.api_queue import ErrorQueueAndNotifications
from intacct_bridge.api_lists import ListsAndAudit
from intacct_bridge.notifications.delivery import deliver_quietly
from intacct_bridge.domain.intake import Row, format_of, read_rows
from intacct_bridge.domain.import_columns import template_csv
from intacct_bridge.domain.receivables import RecordKind
from intacct_bridge.domain.sync_settings import CustomField
from intacct_bridge.domain.vocabulary import ActionStatus, DimensionMode, PostingLevel
from intacct_bridge.intacct.credentials import ClientConfig
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store, open_store
from intacct_bridge.store.models import (
    ApAdjustment,
    Bill,
    CreditMemo,
    Customer,
    IntacctArInvoice,
    IntacctValue,
    Item,
    Invoice,
    Payment,
    StockLevel,
    Vendor,
    utcnow,
)
from intacct_bridge.store.repositories.payables import ap_terms
from intacct_bridge.store.repositories.pulled_receivables import list_intacct_only_invoices, list_stock
from intacct_bridge.store.repositories.connections import record_test_result, save_rest_client, set_api
from intacct_bridge.store.repositories.intake import ImportResult, import_actions
from intacct_bridge.store.repositories.receivables import get_record, list_records
from intacct_bridge.store.repositories.receivables_intake import import_records
from intacct_bridge.store.repositories import reference
from intacct_bridge.store.repositories import settings as settings_repo
from intacct_bridge.store.repositories.settings import SettingsChange, load_sync_settings, update_settings
from intacct_bridge.store.repositories.workspaces import resolve_workspace
from intacct_bridge.sync import queries
from intacct_bridge.sync.connection_check import ConnectionReport, check_workspace
from intacct_bridge.sync.context import ClientFactory, check_configured, client_factory
from intacct_bridge.sync.engine import EntryCallback, RunReport, SyncEngine
from intacct_bridge.sync.progress import ProgressCallback, ignore_progress
from intacct_bridge.sync.pull import PullTotals
from intacct_bridge.store.repositories.pulled_receivables import StockCounts
from intacct_bridge.sync.receivables.pulls import pull_stock
from intacct_bridge.sync.reference_pull import ReferencePulled, pull_reference
from intacct_bridge.sync.registry import kind_of
from intacct_bridge.workers.queue import Queued, RunQueue


# The endpoint is the workspace's own setting and the allowed endpoints the operator's, not client options.
CLIENT_OPTIONS = frozenset(f.name for f in fields(ClientConfig)) - {"endpoint", "allowed_endpoints"}


@dataclass
class Bridge(ErrorQueueAndNotifications, ListsAndAudit, MappingAndRules, AfterPosting):
    """One workspace of one store, with the operator's configuration."""

    store: Store
    workspace_id: int
    operator: OperatorSettings
    client_options: dict[str, object] | None = None

    @classmethod
    def open(cls, workspace: str | int | None = None, *, database_url: str | None = None,
             operator: OperatorSettings | None = None, **client_options: object) -> Bridge:
        """Open the store (migrating it on first use) and pick the workspace (the only one if None).

        `client_options` override `ClientConfig` fields (timeouts, retries...) for every call;
        an unknown name is refused here rather than silently ignored.
        """
        unknown = sorted(set(client_options) - CLIENT_OPTIONS)
        if unknown:
            raise TypeError(f"unknown client option(s) {', '.join(unknown)}: use {', '.join(sorted(CLIENT_OPTIONS))}")
        operator = operator or OperatorSettings()
        store = open_store(database_url or operator.resolved_database_url())
        with store.session() as session:
            workspace_id = resolve_workspace(session, workspace if workspace is not None else operator.workspace).id
        return cls(store, workspace_id, operator, client_options or None)

    def clients(self) -> ClientFactory:
        """Clients signed in as the workspace, with this bridge's client options."""
        return client_factory(self.store, self.workspace_id, self.operator, **(self.client_options or {}))

    def engine(self) -> SyncEngine:
        return SyncEngine(self.store, self.workspace_id, self.clients(),
                          record_url_template=self.operator.record_url_template, console_url=self.operator.console_url)

    def sync(self, *, dry_run: bool = False, action_id: int | None = None, trigger: str = "manual",
             progress: ProgressCallback = ignore_progress, on_entry: EntryCallback | None = None,
             kinds: Sequence[str] | None = None, record: tuple[str, int] | None = None) -> RunReport:
        """Post every kind in dependency order (or only `kinds`, e.g. ["invoices"]; or one `record=(kind, id)`)."""
        names = [kind_of(k) for k in kinds] if kinds else None
        one = (kind_of(record[0]), record[1]) if record else None
        report = self.engine().run(dry_run=dry_run, action_id=action_id, trigger=trigger, progress=progress,
                                   on_entry=on_entry, kinds=names, record=one)
        if not dry_run:  # the run is recorded: now tell whom it concerns (failures wait for a later try)
            deliver_quietly(self.store, self.operator, self.workspace_id)
        return report

    def queue_sync(self, *, dry_run: bool = False, action_id: int | None = None, trigger: str = "queue",
                   kinds: Sequence[str] | None = None, record: tuple[str, int] | None = None) -> Queued:
        """Hand the run to the workers (needs INTACCT_BRIDGE_BROKER_URL); `RunQueue(operator).opened(queued)`
        tells its run id once a worker has opened it."""
        check_configured(self.store, self.workspace_id, self.operator)  # a missing connection is named now
        names = [kind_of(k) for k in kinds] if kinds else None
        one = ("journal_entry", action_id) if action_id is not None else (
            (kind_of(record[0]), record[1]) if record else None)
        return RunQueue(self.operator).enqueue(self.workspace_id, trigger=trigger, dry_run=dry_run, kinds=names,
                                               record=one)

    def pull(self, progress: ProgressCallback = ignore_progress) -> PullTotals:
        """Accounts and dimensions (campaigns refreshed), and for an order-to-cash workspace its AR balances."""
        return self.engine().pull_only(progress)

    # ---- reference data and multi-entity -------------------------------------------------------------

    def pull_reference(self) -> ReferencePulled:
        """Entities (and their `[Sage Intacct] Entities` campaigns), journals, AR terms and tax details."""
        with self.clients()() as client:
            return pull_reference(self.store, self.workspace_id, client, utcnow())

    def entities(self) -> list[reference.EntitySummary]:
        """The company's entities as last pulled, each with how many values it owns per object."""
        with self.store.session() as session:
            return reference.entity_summaries(session, self.workspace_id)

    def entity(self, entity_id: str) -> tuple[reference.EntitySummary, list[IntacctValue]]:
        """One entity and the values it owns (`NotFound` when it was not pulled)."""
        with self.store.session() as session:
            return (reference.get_entity(session, self.workspace_id, entity_id),
                    reference.owned_values(session, self.workspace_id, entity_id))

    def reference_values(self, which: str) -> list[IntacctValue]:
        """A pulled list settings offer: `entities`, `journals`, `ar-terms` or `tax-details`."""
        if which not in reference.LISTS:
            raise ValueError(f"unknown list {which!r}: use one of {', '.join(reference.LISTS)}")
        with self.store.session() as session:
            return reference.pulled(session, self.workspace_id, reference.LISTS[which])

    def set_posting_level(self, level: PostingLevel | str, default_entity: str | None = None) -> str | None:
        """Post at the `top` level or at each record's `entity` (from the next run on); returns the warning
        that the unposted records take the new level, when it changes. The entity must have been pulled."""
        level = PostingLevel(level)
        with self.store.write_session() as session:
            warning = reference.level_change_warning(session, self.workspace_id, level)
            update_settings(session, self.workspace_id,
                            SettingsChange(posting_level=level, default_entity=default_entity))
        return warning

    def user_dimensions(self) -> tuple[CustomField, ...]:
        """The user-defined dimensions beyond the custom field, each with its mode."""
        with self.store.session() as session:
            return settings_repo.user_dimensions(session, self.workspace_id)

    def set_user_dimension(self, object_name: str, *, gl_field: str | None = None, label: str | None = None,
                           mode: DimensionMode | str = DimensionMode.AVAILABLE) -> CustomField:
        """Add or change one (up to 20); its `[Sage Intacct] <label>` campaigns come with the next pull."""
        with self.store.write_session() as session:
            return settings_repo.set_user_dimension(session, self.workspace_id, object_name, gl_field=gl_field,
                                                    label=label, mode=DimensionMode(mode))

    def remove_user_dimension(self, object_name: str) -> None:
        with self.store.write_session() as session:
            settings_repo.remove_user_dimension(session, self.workspace_id, object_name)

    def pull_stock(self) -> StockCounts:
        """Quantity on hand per item and warehouse, from Intacct (`stock()` lists what was pulled)."""
        with self.clients()() as client:
            return pull_stock(self.store, client, self.workspace_id, utcnow())

    def intacct_only_invoices(self, *, open_only: bool = False, limit: int = 100,
                              after: int = 0) -> list[IntacctArInvoice]:
        """AR invoices that exist only in Intacct (pulled with the balances), oldest first."""
        with self.store.session() as session:
            return list_intacct_only_invoices(session, self.workspace_id, open_only=open_only, limit=limit,
                                              after_id=after)

    def stock(self, item: str | None = None, warehouse: str | None = None) -> list[StockLevel]:
        """The stock levels last pulled, in the order Intacct first listed them."""
        with self.store.session() as session:
            return list_stock(session, self.workspace_id, item_id=item, warehouse_id=warehouse, limit=None)

    def connect_rest(self, client_id: str, client_secret: str, *, company_id: str | None = None,
                     user_id: str | None = None, entity_id: str | None = None, use_rest: bool = True) -> None:
        """Keep the REST API's OAuth client (the secret encrypted) and, by default, speak the REST API."""
        with self.store.write_session() as session:
            save_rest_client(session, self.workspace_id, SecretBox.from_settings(self.operator), client_id=client_id,
                             client_secret=SecretStr(client_secret), company_id=company_id, user_id=user_id,
                             entity_id=entity_id)
            if use_rest:
                set_api(session, self.workspace_id, "rest")

    def set_api(self, api: str) -> None:
        """Speak the XML gateway ("xml") or the REST API ("rest"); safe at any time (uncertain postings are
        settled by lookup on the new API, never posted twice)."""
        with self.store.write_session() as session:
            set_api(session, self.workspace_id, api)

    def test_connection(self) -> ConnectionReport:
        """Sign in and try every read a sync needs; the result is remembered for `status`."""
        report = check_workspace(self.store, self.workspace_id, self.clients())
        with self.store.write_session() as session:
            record_test_result(session, self.workspace_id, report.ok, report.summary())
        return report

    def runs(self, limit: int = 20) -> list[queries.RunSummary]:
        with self.store.session() as session:
            return queries.list_runs(session, self.workspace_id, limit)

    def run(self, run_id: int) -> queries.RunSummary | None:
        with self.store.session() as session:
            return queries.get_run(session, self.workspace_id, run_id)

    def run_log(self, run_id: int, outcome: str | None = None, limit: int | None = None) -> list[queries.LogLine]:
        with self.store.session() as session:
            return queries.run_log(session, self.workspace_id, run_id, outcome, limit)

    def review_queue(self, limit: int | None = None) -> list[queries.ReviewEntry]:
        with self.store.session() as session:
            return queries.review_queue(session, self.workspace_id, limit)

    def status(self) -> queries.Status:
        with self.store.session() as session:
            return queries.workspace_status(session, self.workspace_id)

    # ---- order to cash: customers, invoices, payments, credit memos ----------------------------------

    def import_records(self, kind: RecordKind | str, source: str | Path | Iterable[Mapping[str, Any]], *,
                       format: str | None = None, preview: bool = False) -> ImportResult:
        """Import records of one kind, all or nothing (raises `ImportRejected` naming line, field and fix).

        `source` is a CSV or JSON-lines file (format from the extension unless given), or the
        records themselves as dicts (nested `lines` / `applications`; errors name their index).
        `kind="journal_entry"` imports actions. An unknown column is an error (the columns are in
        `import_template(kind)`). With `preview=True` every row is checked and nothing is kept: the
        result says what the import would do.
        """
        kind = RecordKind(kind)
        importer = import_actions if kind is RecordKind.JOURNAL_ENTRY else (
            lambda session, ws, rows, zone: import_records(session, ws, kind, rows, zone))
        with self.store.write_session() as session:
            zone = load_sync_settings(session, self.workspace_id).zone()
            if isinstance(source, str | Path):
                path = Path(source)
                file_format = format_of(path.name, format)
                if file_format is None:
                    raise ValueError(f"cannot tell the format of {path.name}: pass format='csv' or 'jsonl'")
                with path.open(encoding="utf-8-sig", newline="") as handle:
                    result = importer(session, self.workspace_id, read_rows(handle, file_format), zone)
            else:
                rows: Iterable[Row] = enumerate(source)
                result = importer(session, self.workspace_id, rows, zone)
            if preview:
                session.rollback()
            return result

    def import_actions(self, source: str | Path | Iterable[Mapping[str, Any]], *, format: str | None = None,
                       preview: bool = False) -> ImportResult:
        """Import actions from a CSV or JSON-lines file or dicts, all or nothing (see `import_records`)."""
        return self.import_records(RecordKind.JOURNAL_ENTRY, source, format=format, preview=preview)

    @staticmethod
    def import_template(kind: RecordKind | str) -> str:
        """The CSV template of one kind's import: its header row and an example row to replace."""
        return template_csv(RecordKind(kind))

    def import_customers(self, source: str | Path | Iterable[Mapping[str, Any]], *,
                         format: str | None = None) -> ImportResult:
        return self.import_records(RecordKind.CUSTOMER, source, format=format)

    def import_invoices(self, source: str | Path | Iterable[Mapping[str, Any]], *,
                        format: str | None = None) -> ImportResult:
        return self.import_records(RecordKind.INVOICE, source, format=format)

    def import_payments(self, source: str | Path | Iterable[Mapping[str, Any]], *,
                        format: str | None = None) -> ImportResult:
        return self.import_records(RecordKind.PAYMENT, source, format=format)

    def import_credit_memos(self, source: str | Path | Iterable[Mapping[str, Any]], *,
                            format: str | None = None) -> ImportResult:
        return self.import_records(RecordKind.CREDIT_MEMO, source, format=format)

    def import_vendors(self, source: str | Path | Iterable[Mapping[str, Any]], *,
                       format: str | None = None) -> ImportResult:
        """Vendors (all or nothing); a changed vendor_id of a vendor Intacct has is refused, naming the fix."""
        return self.import_records(RecordKind.VENDOR, source, format=format)

    def import_items(self, source: str | Path | Iterable[Mapping[str, Any]], *,
                     format: str | None = None) -> ImportResult:
        """Non-stock items (all or nothing); a changed item_id of an item Intacct has is refused, naming the fix."""
        return self.import_records(RecordKind.ITEM, source, format=format)

    def records(self, kind: RecordKind | str, *, status: ActionStatus | str | None = None, search: str | None = None,
                limit: int = 100, after: int = 0) -> list[Any]:
        """One page of a kind's records, oldest first; pass the last id as `after` for the next page."""
        with self.store.session() as session:
            return list_records(session, self.workspace_id, RecordKind(kind),
                                status=ActionStatus(status) if status else None, search=search, limit=limit,
                                after_id=after)

    def record(self, kind: RecordKind | str, ref: str | int) -> Any:
        """One record by id or external id (`NotFound` if there is none in this workspace)."""
        with self.store.session() as session:
            return get_record(session, self.workspace_id, RecordKind(kind), ref)

    def customers(self, **filters: Any) -> list[Customer]:
        return self.records(RecordKind.CUSTOMER, **filters)

    def invoices(self, **filters: Any) -> list[Invoice]:
        return self.records(RecordKind.INVOICE, **filters)

    def payments(self, **filters: Any) -> list[Payment]:
        return self.records(RecordKind.PAYMENT, **filters)

    def credit_memos(self, **filters: Any) -> list[CreditMemo]:
        return self.records(RecordKind.CREDIT_MEMO, **filters)

    def vendors(self, **filters: Any) -> list[Vendor]:
        return self.records(RecordKind.VENDOR, **filters)

    def items(self, **filters: Any) -> list[Item]:
        return self.records(RecordKind.ITEM, **filters)

    def vendor(self, ref: str | int) -> Vendor:
        return self.record(RecordKind.VENDOR, ref)

    def item(self, ref: str | int) -> Item:
        return self.record(RecordKind.ITEM, ref)

    def customer(self, ref: str | int) -> Customer:
        return self.record(RecordKind.CUSTOMER, ref)

    def invoice(self, ref: str | int) -> Invoice:
        return self.record(RecordKind.INVOICE, ref)

    def payment(self, ref: str | int) -> Payment:
        return self.record(RecordKind.PAYMENT, ref)

    def credit_memo(self, ref: str | int) -> CreditMemo:
        return self.record(RecordKind.CREDIT_MEMO, ref)

    # ---- AP: bills and AP adjustments ------------------------------------------------------------------

    def import_bills(self, source: str | Path | Iterable[Mapping[str, Any]], *,
                     format: str | None = None) -> ImportResult:
        return self.import_records(RecordKind.BILL, source, format=format)

    def import_ap_adjustments(self, source: str | Path | Iterable[Mapping[str, Any]], *,
                              format: str | None = None) -> ImportResult:
        return self.import_records(RecordKind.AP_ADJUSTMENT, source, format=format)

    def bills(self, **filters: Any) -> list[Bill]:
        return self.records(RecordKind.BILL, **filters)

    def ap_adjustments(self, **filters: Any) -> list[ApAdjustment]:
        return self.records(RecordKind.AP_ADJUSTMENT, **filters)

    def bill(self, ref: str | int) -> Bill:
        return self.record(RecordKind.BILL, ref)

    def ap_adjustment(self, ref: str | int) -> ApAdjustment:
        return self.record(RecordKind.AP_ADJUSTMENT, ref)

    def ap_terms(self) -> list[str]:
        """The active AP terms last pulled from Intacct (each sync of bills pulls them)."""
        with self.store.session() as session:
            return ap_terms(session, self.workspace_id)

    def close(self) -> None:
        self.store.dispose()
