"""Which record kinds the outbox posts, in dependency order.

A kind is added by declaring it (see `sync.kinds.RecordKind`) and listing its
factory here; the engine, recovery and the review queue then serve it with no
other change. The order puts every kind after the kinds it depends on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from intacct_bridge.sync.cancellation_kind import DocumentCancellations
from intacct_bridge.sync.dimension_value_kind import DimensionValues
from intacct_bridge.sync.journal_kind import JournalEntries
from intacct_bridge.sync.kinds import RecordKind
from intacct_bridge.sync.master_data import Items, Vendors
from intacct_bridge.sync.payables.adjustments import ApAdjustments
from intacct_bridge.sync.payables.bills import Bills
from intacct_bridge.sync.receivables.credit_memos import CreditMemos
from intacct_bridge.sync.receivables.customers import Customers
from intacct_bridge.sync.receivables.invoices import Invoices
from intacct_bridge.sync.receivables.payments import Payments
from intacct_bridge.sync.reversal_kind import JournalReversals
from intacct_bridge.sync.summary_kind import JournalSummaries

FACTORIES: dict[str, Callable[[], RecordKind]] = {
    DimensionValues.name: DimensionValues,     # values created from the Campaigns page: before what may use them
    JournalReversals.name: JournalReversals,   # reversals of changed posted entries go before the corrections
    JournalSummaries.name: JournalSummaries,   # summarized action types: assembled and posted before the detail
    JournalEntries.name: JournalEntries,
    DocumentCancellations.name: DocumentCancellations,   # cancellations of changed posted invoices and bills
    Customers.name: Customers,
    Invoices.name: Invoices,
    Payments.name: Payments,
    CreditMemos.name: CreditMemos,
    Vendors.name: Vendors,   # master data: no dependencies (bills depend on vendors, lines on items)
    Items.name: Items,
    Bills.name: Bills,
    ApAdjustments.name: ApAdjustments,
}


class UnknownKind(ValueError):
    """A kind name no factory is registered for."""


def kind_names() -> list[str]:
    return list(FACTORIES)


def kind_of(word: str) -> str:
    """A kind's name from what a user types: `invoice`, `invoices`, `credit-memos`, `actions`, `journal entries`."""
    cleaned = word.strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned in ("action", "actions", "journal_entries", "journal_entry", "entries"):
        return "journal_entry"
    if cleaned in ("summary", "summaries", "journal_summaries"):
        return "journal_summary"
    for name in FACTORIES:
        if cleaned in (name, f"{name}s"):
            return name
    raise UnknownKind(f"unknown record kind {word!r}: choose from "
                      f"{', '.join(FACTORIES[n].label.replace(' ', '-') for n in FACTORIES)}")


def make_kinds(names: Iterable[str] | None = None) -> dict[str, RecordKind]:
    """Fresh kind objects (they hold per-run state), by name, in dependency order."""
    wanted = list(FACTORIES) if names is None else list(names)
    unknown = [n for n in wanted if n not in FACTORIES]
    if unknown:
        raise UnknownKind(f"unknown record kind {', '.join(unknown)}: choose from {', '.join(FACTORIES)}")
    kinds = {name: FACTORIES[name]() for name in FACTORIES}
    return {name: kinds[name] for name in _dependency_order(kinds) if name in wanted}


def all_kinds() -> dict[str, RecordKind]:
    """Every kind (recovery settles postings of any kind, whatever the run posts)."""
    return make_kinds()


def _dependency_order(kinds: dict[str, RecordKind]) -> list[str]:
    ordered: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in ordered:
            return
        if name in path:
            raise ValueError(f"record kinds depend on each other in a circle: {' -> '.join(path + (name,))}")
        for dependency in kinds[name].depends_on:
            visit(dependency, path + (name,))
        ordered.append(name)

    for name in kinds:
        visit(name, ())
    return ordered
