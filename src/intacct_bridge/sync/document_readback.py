"""Order-to-cash and AP documents read back for reconciliation: invoices, payments, credit memos, bills,
AP adjustments, each declared by one `DocumentSpec`.

Each document is compared at its header, which both wires' query services answer for every one of
these objects: its date, its customer or vendor, its total and its state (a document reversed,
voided or back to draft differs; paid or partially paid is what posting leads to). It is held as one
line (account: the customer or vendor, side: what it does to their balance, amount: the total) so
the report's totals add up per customer or vendor, side and period on both sides.

Documents carrying our reference (`ib-<ws>-<code><id>` in EXTERNALID or DOCNUMBER) are read with one
prefix query, page by page; bills, found by (number, vendor), are read a hundred numbers at a time,
for the bills posted and those held here but not recorded as posted. `DocumentReadsBack` is the one
implementation of `sync.kinds.ReadsBack` for all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import select

from intacct_bridge.domain.identifiers import record_reference
from intacct_bridge.domain.document_lines import document_lines
from intacct_bridge.domain.reconciliation import CREDIT, DEBIT, HeldEntry, HeldLine, held_line
from intacct_bridge.domain.values import exact_amount
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.intacct import functions as fn
from intacct_bridge.intacct import query as q
from intacct_bridge.sync.journal_readback import intacct_day
from intacct_bridge.sync.kinds import FindClient, ReadBackScope
from intacct_bridge.sync.master_readback import chunked

PAGE_SIZE = 1000
KEYS_PER_READ = 100        # `read` takes at most 100 keys
READS_PER_REQUEST = 5      # reads sent together in one request
NUMBERS_PER_QUERY = 100
# States a posted document reaches on its own (paid down by payments, picked for payment); any other is drift.
SETTLED_STATES = frozenset({"", "posted", "paid", "partially paid", "selected", "confirmed"})


@dataclass(frozen=True)
class DocumentSpec:
    """Where a document kind's header facts are, in Intacct and in its posting's summary."""

    object_name: str                 # ARINVOICE, ARPYMT, ARADJUSTMENT, APBILL, APADJUSTMENT
    date_field: str                  # WHENCREATED, RECEIPTDATE
    party_field: str                 # CUSTOMERID, VENDORID
    party_label: str                 # customer, vendor
    side: str                        # what the document does to the party's balance: debit or credit
    reference_field: str | None      # EXTERNALID, DOCNUMBER; None: found by number and party (bills)
    number_field: str = "RECORDID"   # bills: the number unique per vendor
    total_field: str = "TOTALENTERED"
    total_key: str = "total"         # the summary's key of the total (payments: amount)
    settled_states: frozenset[str] = SETTLED_STATES   # states a posted document reaches on its own
    # Where its lines are (payload and read, any case): none for payments (their details apply, not post)
    line_containers: tuple[str, ...] = ()
    line_side: str = CREDIT          # the side its lines' accounts take (an invoice credits revenue)
    # Which line fields hold the account and the amount (payments: the invoice applied to and the amount paid)
    line_fields: Mapping[str, Any] = field(default_factory=dict)

    def summary_lines(self, payload: Mapping[str, Any]) -> list[dict[str, Any]]:
        """What the posting's summary keeps of the lines sent (`domain.document_lines`)."""
        return document_lines(payload, self.line_containers, **self.line_fields)

    def fields(self) -> list[str]:
        wanted = ["RECORDNO", self.reference_field or self.number_field, self.date_field, self.party_field,
                  self.total_field, "STATE"]
        return list(dict.fromkeys(wanted))


class DocumentReadsBack:
    """The read-back capability (`sync.kinds.ReadsBack`) of a document kind, from its `readback` spec."""

    name: ClassVar[str]
    label: ClassVar[str]
    model: ClassVar[Any]
    readback: ClassVar[DocumentSpec]
    # Other Intacct objects the kind posts as, by the summary's `mode` (invoices: sales invoices are SODOCUMENTs)
    readback_modes: ClassVar[Mapping[str, DocumentSpec]] = {}

    def _spec(self, summary: Mapping[str, Any]) -> DocumentSpec:
        mode = summary.get("mode")
        if mode in self.readback_modes:
            self.__dict__.setdefault("_modes_seen", set()).add(mode)   # read that object back too
            return self.readback_modes[mode]
        return self.readback

    def posted_entry(self, posting: Any) -> HeldEntry | None:
        summary = posting.request_summary or {}
        spec = self._spec(summary)
        if spec.total_key not in summary:
            return None
        party = str(summary.get(spec.party_label) or "")
        known = "lines" in summary or not spec.line_containers   # postings before rb12 kept no lines
        lines = self._lines(spec, party, summary[spec.total_key], summary.get("lines") or [])
        return HeldEntry(self.name, posting.reference_no, posting.posting_date, None, lines,
                         key=posting.intacct_recordno, record_id=posting.record_id, party=party,
                         party_label=spec.party_label, compare_dimensions=known)

    def read_back(self, client: FindClient, scope: ReadBackScope) -> Iterator[HeldEntry]:
        """What Intacct holds under our references (or our bills' numbers), page by page. Never writes."""
        yield from self._read_spec(client, scope, self.readback)
        for mode in sorted(self.__dict__.get("_modes_seen", ())):
            yield from self._read_spec(client, scope, self.readback_modes[mode])

    def _read_spec(self, client: FindClient, scope: ReadBackScope, spec: DocumentSpec) -> Iterator[HeldEntry]:
        if spec.reference_field is None:
            yield from self._by_number(client, scope, spec)
            return
        prefix = record_reference(scope.workspace_uid, self.name, 0)[:-1]
        condition = q.like(spec.reference_field, f"{prefix}%")
        if scope.since is not None:
            condition = q.and_(condition, q.ge(spec.date_field, scope.since))
        rows = client.iter_query(spec.object_name, spec.fields(), filter=condition, order_by=["RECORDNO"],
                                 page_size=PAGE_SIZE)
        for row, lines in self._with_lines(client, rows, spec):
            yield self._entry(spec, row, str(row.get(spec.reference_field) or ""), lines)

    def _by_number(self, client: FindClient, scope: ReadBackScope, spec: DocumentSpec) -> Iterator[HeldEntry]:
        pairs = {tuple(reference.split("/", 1)) for reference in scope.references if "/" in reference}
        pairs |= self._unposted_pairs(scope)
        for numbers in chunked(sorted({number for _, number in pairs}), NUMBERS_PER_QUERY):
            rows = client.iter_query(spec.object_name, spec.fields(), filter=q.in_(spec.number_field, numbers),
                                     order_by=["RECORDNO"], page_size=PAGE_SIZE)
            mine = (row for row in rows if self._ours(spec, row, pairs, scope))
            for row, lines in self._with_lines(client, mine, spec):
                pair = (str(row.get(spec.party_field) or ""), str(row.get(spec.number_field) or ""))
                yield self._entry(spec, row, "/".join(pair), lines)

    @staticmethod
    def _ours(spec: DocumentSpec, row: dict[str, Any], pairs: set[tuple[str, str]], scope: ReadBackScope) -> bool:
        """A bill of ours (by number and vendor, or by the RECORDNO we recorded: moved), dated in scope."""
        pair = (str(row.get(spec.party_field) or ""), str(row.get(spec.number_field) or ""))
        day = intacct_day(row.get(spec.date_field))
        mine = pair in pairs or str(row.get("RECORDNO") or "") in scope.keys
        return mine and (scope.since is None or (day is not None and day >= scope.since))

    def _with_lines(self, client: FindClient, rows: Iterable[dict[str, Any]], spec: DocumentSpec,
                    ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """Each header with its lines, read by RECORDNO a hundred at a time, several reads per request."""
        if not spec.line_containers:
            for row in rows:
                yield row, []
            return
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == KEYS_PER_READ * READS_PER_REQUEST:
                yield from self._read_lines(client, batch, spec)
                batch = []
        if batch:
            yield from self._read_lines(client, batch, spec)

    @staticmethod
    def _read_lines(client: Any, rows: list[dict[str, Any]], spec: DocumentSpec,
                    ) -> Iterator[tuple[dict[str, Any], list]]:
        keys = [str(row.get("RECORDNO")) for row in rows]
        reads = [fn.Read(spec.object_name, keys=keys[i:i + KEYS_PER_READ], fields="*")
                 for i in range(0, len(keys), KEYS_PER_READ)]
        found: dict[str, list[dict[str, Any]]] = {}
        for read, outcome in zip(reads, client.execute_many(reads, uniqueid=False), strict=True):
            # REST answers 404 for the whole read when one key went meanwhile: then key by key
            records = _one_by_one(client, read, outcome) if isinstance(outcome, Exception) else outcome.records
            for record in records:
                found[str(record.get("RECORDNO"))] = document_lines(record, spec.line_containers, **spec.line_fields)
        for row, key in zip(rows, keys, strict=True):
            yield row, found.get(key, [])

    def _unposted_pairs(self, scope: ReadBackScope) -> set[tuple[str, str]]:
        """(vendor, number) of this workspace's documents not recorded as posted (reading the store only)."""
        if scope.store is None:
            return set()
        model = self.model
        with scope.store.session() as session:
            return {(str(v), str(n)) for v, n in session.execute(select(model.vendor_id, model.number).where(
                model.workspace_id == scope.workspace_id, model.status != ActionStatus.POSTED.value,
                model.vendor_id.is_not(None), model.number.is_not(None)))}

    def _entry(self, spec: DocumentSpec, row: dict[str, Any], reference: str, lines: list[dict[str, Any]],
               ) -> HeldEntry:
        party = str(row.get(spec.party_field) or "")
        state = str(row.get("STATE") or "")
        return HeldEntry(self.name, reference, intacct_day(row.get(spec.date_field)), None,
                         self._lines(spec, party, row.get(spec.total_field), lines),
                         key=str(row.get("RECORDNO") or "") or None,
                         state=None if state.lower() in spec.settled_states else state, party=party,
                         party_label=spec.party_label)

    @staticmethod
    def _lines(spec: DocumentSpec, party: str, total: Any, lines: list[dict[str, Any]]) -> tuple[HeldLine, ...]:
        """The document on its party (its total: credits are held negative by Intacct, compared by size), then
        each of its lines on its account and dimensions."""
        value, _ = exact_amount(total)
        on_party = held_line(party, spec.side, abs(value) if value is not None else None, party=True)
        return (on_party, *(held_line(line["account"], spec.line_side, line["amount"], line["dimensions"])
                            for line in lines))


def _one_by_one(client: Any, read: fn.Read, failure: Exception) -> list[dict[str, Any]]:
    """The records of a refused `read`, key by key: a document deleted between the query and the read is left out
    (its header was read: it is compared without lines); any other refusal is raised."""
    keys = list(read.keys) if isinstance(read.keys, (list, tuple)) else [read.keys]
    if len(keys) == 1:
        if getattr(failure, "errorno", None) in ("notFound", "404") or "404" in str(failure):
            return []
        raise failure
    records: list[dict[str, Any]] = []
    for key in keys:
        single = fn.Read(read.object, keys=[key], fields=read.fields)
        (outcome,) = client.execute_many([single], uniqueid=False)
        records.extend(_one_by_one(client, single, outcome) if isinstance(outcome, Exception) else outcome.records)
    return records


__all__ = ["CREDIT", "DEBIT", "DocumentReadsBack", "DocumentSpec", "SETTLED_STATES"]
