"""Reconciliation: what the workspace posted against what Intacct holds now (pure: no I/O).

Both sides are reduced to `HeldEntry` values (a reference, a date, a journal and
lines of account, side, amount and dimensions). `Reconciler` takes them as they
stream in, page by page, and reports the entries missing in Intacct (deleted
there), the ones changed there (what differs, field by field), the ones Intacct
holds under our reference that this workspace has not recorded as posted, and the
totals per account, side, dimensions and period on both sides. It changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from intacct_bridge.domain.master_data import same_value
from intacct_bridge.domain.values import exact_amount

DEBIT, CREDIT = "debit", "credit"
CENT = Decimal("0.01")


@dataclass(frozen=True, order=True)
class HeldLine:
    """One line as either side holds it; `dimensions` are (GL field, value) pairs, empty values left out."""

    account: str
    side: str                                 # debit | credit
    amount: Decimal
    dimensions: tuple[tuple[str, str], ...] = ()
    on_party: bool = False                    # a document's total on its customer or vendor (account: the party)

    def label(self) -> str:
        dims = ", ".join(f"{k}={v}" for k, v in self.dimensions)
        return f"{self.account} {self.side} {self.amount}" + (f" [{dims}]" if dims else "")

    def as_dict(self) -> dict[str, Any]:
        return {"account": self.account, "side": self.side, "amount": str(self.amount),
                "dimensions": dict(self.dimensions)}


def held_line(account: Any, side: str, amount: Any, dimensions: Mapping[str, Any] | None = None, *,
              party: bool = False) -> HeldLine:
    """A line from loose values (Intacct's text, a summary's JSON): amount to cents, blank dimensions dropped."""
    value, _ = exact_amount(amount)
    dims = tuple(sorted((str(k), str(v)) for k, v in (dimensions or {}).items() if v not in (None, "")))
    return HeldLine(str(account or ""), side, (value or Decimal(0)).quantize(CENT), dims, party)


def header_only(entry: HeldEntry) -> bool:
    """A document posted before its lines were kept: only its total on its party can be compared."""
    return entry.party is not None and not entry.compare_dimensions


def comparable(lines: Iterable[HeldLine], header: bool) -> list[HeldLine]:
    return [line for line in lines if line.on_party] if header else list(lines)


@dataclass(frozen=True)
class HeldEntry:
    """One posted record (a journal entry today) as one side holds it."""

    kind: str
    reference: str
    posting_date: date | None
    journal: str | None
    lines: tuple[HeldLine, ...]
    key: str | None = None                    # Intacct's RECORDNO
    record_id: int | None = None              # ours (the action, invoice... it was posted for)
    state: str | None = None                  # Intacct's state (Posted, Reversed...)
    compare_dimensions: bool = True           # False for postings recorded before lines were kept
    party: str | None = None                  # documents: the customer or vendor it is for
    party_label: str = "party"                # what a party difference is called: customer, vendor
    fields: tuple[tuple[str, str], ...] = ()  # master data: (Intacct field path, value) pairs we sent

    def as_dict(self) -> dict[str, Any]:
        out = {"kind": self.kind, "reference": self.reference, "record_id": self.record_id, "key": self.key,
               "date": self.posting_date.isoformat() if self.posting_date else None, "journal": self.journal,
               "state": self.state, "lines": [line.as_dict() for line in self.lines]}
        out["party"], out["party_kind"] = (self.party, self.party_label) if self.party is not None else (None, None)
        out["fields"] = dict(self.fields)
        return out


@dataclass(frozen=True)
class Difference:
    """One way an entry differs: field is date, journal, amount, account, dimension, line, state, a document's
    party (customer, vendor) or, for master data, the Intacct field path that differs (`field DISPLAYCONTACT.EMAIL1`)."""

    field: str
    ours: str
    theirs: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "ours": self.ours, "theirs": self.theirs}


@dataclass(frozen=True)
class Changed:
    ours: HeldEntry
    theirs: HeldEntry
    differences: tuple[Difference, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"reference": self.ours.reference, "kind": self.ours.kind, "record_id": self.ours.record_id,
                "key": self.theirs.key, "differences": [d.as_dict() for d in self.differences]}


@dataclass(frozen=True)
class TotalKey:
    kind: str
    account: str
    side: str
    dimensions: tuple[tuple[str, str], ...]
    period: str                               # YYYY-MM


@dataclass
class Total:
    ours: Decimal = Decimal("0.00")
    theirs: Decimal = Decimal("0.00")

    @property
    def difference(self) -> Decimal:
        return self.theirs - self.ours


def period_of(day: date | None) -> str:
    return day.strftime("%Y-%m") if day else "undated"


def _sorted_lines(entry: HeldEntry, with_dimensions: bool, header: bool = False) -> list[HeldLine]:
    lines = comparable(entry.lines, header)
    if with_dimensions:
        return sorted(lines)
    return sorted(HeldLine(line.account, line.side, line.amount, (), line.on_party) for line in lines)


def _text(values: Iterable[Any]) -> str:
    return ", ".join(str(v) for v in values) or "-"


def differences(ours: HeldEntry, theirs: HeldEntry) -> tuple[Difference, ...]:
    """What differs between our entry and Intacct's, field by field (empty: the same)."""
    found: list[Difference] = []
    if ours.posting_date != theirs.posting_date:
        found.append(Difference("date", str(ours.posting_date), str(theirs.posting_date)))
    if ours.journal and theirs.journal and ours.journal != theirs.journal:
        found.append(Difference("journal", ours.journal, theirs.journal))
    if theirs.state and theirs.state.lower() not in ("posted", ""):
        found.append(Difference("state", "Posted", theirs.state))
    if ours.party is not None and ours.party != theirs.party:
        found.append(Difference(ours.party_label, ours.party, theirs.party or "-"))
    held_fields = dict(theirs.fields)
    found.extend(Difference(f"field {path}", value or "-", held_fields.get(path) or "-")
                 for path, value in ours.fields if not same_value(held_fields.get(path), value))
    header = header_only(ours)
    dims = ours.compare_dimensions or header
    mine, held = _sorted_lines(ours, dims, header), _sorted_lines(theirs, dims, header)
    if mine == held:
        return tuple(found)
    moved = ours.party is not None and ours.party != theirs.party
    recounted = False
    if ours.party is not None and not header:
        counted = (sum(1 for line in mine if not line.on_party), sum(1 for line in held if not line.on_party))
        if counted[0] != counted[1]:
            found.append(Difference("line count", str(counted[0]), str(counted[1])))
            recounted = True   # a line split or added: accounts and dimensions differ only if a new one appears
    pairs = (("amount", lambda line: (line.side, line.amount)), ("account", lambda line: (line.side, line.account)),
             ("dimension", lambda line: (line.side, line.dimensions)))
    for name, part in pairs:
        if name == "dimension" and not dims:
            continue
        pick = (lambda line: not line.on_party) if name == "account" and moved else (lambda line: True)
        a, b = Counter(map(part, filter(pick, mine))), Counter(map(part, filter(pick, held)))   # a moved party: ours
        if recounted and name != "amount":
            a, b = Counter(set(a)), Counter(set(b))
        if a != b:
            found.append(Difference(name, _text(_part_text(k) for k in sorted((a - b).elements())),
                                    _text(_part_text(k) for k in sorted((b - a).elements()))))
    if len(found) == 0 or all(d.field in ("date", "journal", "state", "line count") or d.field.startswith("field ")
                              or d.field == ours.party_label for d in found):
        rest = (lambda lines: [line for line in lines if not line.on_party]) if moved else list
        only_mine, only_held = Counter(rest(mine)) - Counter(rest(held)), Counter(rest(held)) - Counter(rest(mine))
        if only_mine or only_held:
            found.append(Difference("line", _text(line.label() for line in sorted(only_mine.elements())),
                                    _text(line.label() for line in sorted(only_held.elements()))))
    return tuple(found)


def fill_derived_accounts(ours: HeldEntry, theirs: HeldEntry) -> HeldEntry:
    """Ours with the accounts Intacct chose itself: a line sent without an account (an item line takes the
    item's GL account) gets the account of Intacct's line of the same side, amount and dimensions."""
    if not any(not line.account and not line.on_party for line in ours.lines):
        return ours
    pool = [line for line in theirs.lines if not line.on_party]
    for line in ours.lines:   # lines whose account we sent take their twins out of the pool first
        if line.account and line in pool:
            pool.remove(line)
    filled = []
    for line in ours.lines:
        if not line.account and not line.on_party:
            twin = next((t for t in pool if (t.side, t.amount, t.dimensions) == (line.side, line.amount,
                                                                                 line.dimensions)), None)
            if twin is not None:
                pool.remove(twin)
                line = replace(line, account=twin.account)
        filled.append(line)
    return replace(ours, lines=tuple(filled))


def _part_text(part: tuple[str, Any]) -> str:
    side, value = part
    if isinstance(value, tuple):
        value = "[" + ", ".join(f"{k}={v}" for k, v in value) + "]"
    return f"{side} {value}"


@dataclass
class ReconcileReport:
    """What a reconciliation found; `drift` is True when anything differs."""

    since: date | None
    kinds: tuple[str, ...]
    compared: int = 0                         # entries we posted that were looked for
    matched: int = 0
    missing: list[HeldEntry] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    unrecorded: list[HeldEntry] = field(default_factory=list)
    totals: dict[TotalKey, Total] = field(default_factory=dict)
    requests: int = 0
    api_transactions: int = 0
    counted: dict[str, Counter] = field(default_factory=dict)   # kind -> compared and matched

    @property
    def drift(self) -> bool:
        return bool(self.missing or self.changed or self.unrecorded)

    def count(self, kind: str, what: str, by: int = 1) -> None:
        self.counted.setdefault(kind, Counter())[what] += by

    def by_kind(self) -> dict[str, dict[str, int]]:
        """Each chosen kind's counts, in the order the kinds were read (every kind, drift or not)."""
        grouped = {kind: {"compared": self.counted.get(kind, Counter())["compared"],
                          "matched": self.counted.get(kind, Counter())["matched"],
                          "missing": 0, "changed": 0, "unrecorded": 0} for kind in self.kinds}
        for name, entries in (("missing", self.missing), ("unrecorded", self.unrecorded)):
            for entry in entries:
                grouped.setdefault(entry.kind, {"compared": 0, "matched": 0, "missing": 0, "changed": 0,
                                                "unrecorded": 0})[name] += 1
        for change in self.changed:
            grouped[change.ours.kind]["changed"] += 1
        return grouped

    def totals_rows(self, only_different: bool = False) -> list[dict[str, Any]]:
        rows = []
        for key in sorted(self.totals, key=lambda k: (k.kind, k.period, k.account, k.side, k.dimensions)):
            total = self.totals[key]
            if only_different and not total.difference:
                continue
            rows.append({"kind": key.kind, "period": key.period, "account": key.account, "side": key.side,
                         "dimensions": dict(key.dimensions), "ours": str(total.ours), "theirs": str(total.theirs),
                         "difference": str(total.difference)})
        return rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "drift": self.drift, "since": self.since.isoformat() if self.since else None, "kinds": list(self.kinds),
            "compared": self.compared, "matched": self.matched, "by_kind": self.by_kind(),
            "missing": [e.as_dict() for e in self.missing], "changed": [c.as_dict() for c in self.changed],
            "unrecorded": [e.as_dict() for e in self.unrecorded], "totals": self.totals_rows(),
            "requests": self.requests, "api_transactions": self.api_transactions,
        }


class Reconciler:
    """Compares one kind's entries: ours first (all of them, small), then Intacct's as its pages arrive."""

    def __init__(self, report: ReconcileReport) -> None:
        self.report = report
        self._ours: dict[str, HeldEntry] = {}
        self._seen: set[str] = set()
        self._by_key: dict[str, str] = {}          # Intacct's key -> our reference

    def add_ours(self, entry: HeldEntry) -> None:
        """One posted record; a later write under the same reference (a master record's update) replaces it."""
        previous = self._ours.get(entry.reference)
        if previous is None:
            self.report.compared += 1
            self.report.count(entry.kind, "compared")
        else:
            self._add_totals(previous, ours=True, sign=-1)
        self._ours[entry.reference] = entry
        if entry.key:
            self._by_key[entry.key] = entry.reference
        self._add_totals(entry, ours=True)

    def add_theirs(self, entry: HeldEntry) -> None:
        """One entry Intacct holds under our reference (several under one reference: the first is ours). One whose
        reference is not ours but whose key is (a bill moved to another vendor: its reference is vendor/number) is
        compared with the record we posted under that key."""
        mine = self._ours.get(entry.reference)
        if mine is None and entry.key in self._by_key and self._by_key[entry.key] not in self._seen:
            mine = self._ours[self._by_key[entry.key]]
            entry = replace(entry, reference=mine.reference)
        self._add_totals(entry, ours=False, dimensions=mine is None or mine.compare_dimensions or header_only(mine),
                         header=mine is not None and header_only(mine))
        if mine is None or entry.reference in self._seen:
            self.report.unrecorded.append(entry)
            return
        self._seen.add(entry.reference)
        filled = fill_derived_accounts(mine, entry)
        if filled is not mine:   # what we sent without an account now carries the one Intacct chose
            self._add_totals(mine, ours=True, sign=-1)
            self._add_totals(filled, ours=True)
            self._ours[mine.reference] = mine = filled
        found = differences(mine, entry)
        if found:
            self.report.changed.append(Changed(mine, entry, found))
        else:
            self.report.matched += 1
            self.report.count(mine.kind, "matched")

    def finish(self) -> None:
        """Whatever we posted that Intacct did not answer with is missing there."""
        self.report.missing.extend(e for ref, e in self._ours.items() if ref not in self._seen)

    def _add_totals(self, entry: HeldEntry, *, ours: bool, dimensions: bool = True, sign: int = 1,
                    header: bool = False) -> None:
        """Add the lines to the totals (without dimensions where ours were recorded without them; a document's
        total alone where ours was recorded without its lines)."""
        period = period_of(entry.posting_date)
        for line in comparable(entry.lines, header or header_only(entry)):
            dims = line.dimensions if dimensions else ()
            key = TotalKey(entry.kind, line.account, line.side, dims, period)
            total = self.report.totals.setdefault(key, Total())
            if ours:
                total.ours += sign * line.amount
            else:
                total.theirs += sign * line.amount
