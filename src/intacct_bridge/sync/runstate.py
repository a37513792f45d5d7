"""The life of one sync run: its statuses, its counts, and how they end.

A run starts `running` and ends in exactly one of four states. Keeping the
decision in one pure function means the engine, the CLI's exit codes and the
web console agree on what "succeeded" means.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from intacct_bridge.domain.vocabulary import RunStatus


def moves_watermark(status: RunStatus) -> bool:
    """`last_sync_at` moves to the run's start only after a run that posted what it could."""
    return status in (RunStatus.SUCCEEDED, RunStatus.COMPLETED_WITH_ERRORS)


@dataclass
class RunTally:
    """Counts a run (or one record kind of it) reports; every record selected lands in one outcome bucket."""

    candidates: int = 0
    invalid: int = 0          # flagged by the gate
    unflagged: int = 0        # flags cleared because the action was fixed
    posted: int = 0           # a new journal entry recorded
    already_posted: int = 0   # found in Intacct by its reference (a crash or an ambiguous answer before)
    failed: int = 0           # Intacct rejected the entry
    unbuildable: int = 0      # passed the gate but no request could be built for it (flagged; the rest went out)
    unconfirmed: int = 0      # outcome still unknown; resolved by reference at the next run
    would_post: int = 0       # dry run only
    waiting: int = 0          # valid, but a record it depends on is not posted yet
    skipped: int = 0          # matched a skip-export rule: not exported, logged with the rule
    values_pulled: int = 0
    campaigns_created: int = 0
    campaigns_deactivated: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per step
    halted: list[str] = field(default_factory=list)          # kinds whose gate halted (halt mode)
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)  # each record kind's own counts
    pulled: dict[str, int] = field(default_factory=dict)     # what other pulls brought back (AR invoices...)
    # A dry run's entries assembled in memory only (summary entries): as the run record keeps them (JSON), and
    # as objects for the Python API (`RunReport.summaries`; not stored).
    previews: list[dict[str, Any]] = field(default_factory=list)
    previewed: list[Any] = field(default_factory=list, repr=False)

    RECORD_COUNTS = ("candidates", "invalid", "unflagged", "posted", "already_posted", "failed", "unconfirmed",
                     "would_post", "waiting", "unbuildable", "skipped")

    def as_dict(self) -> dict[str, Any]:
        return {name: value for name, value in asdict(replace(self, previewed=[])).items() if name != "previewed"}

    def count(self, outcome: str) -> None:
        """Add one settled write's outcome (posted, already_posted, failed, else unconfirmed)."""
        if outcome in ("posted", "already_posted", "failed"):
            setattr(self, outcome, getattr(self, outcome) + 1)
        else:
            self.unconfirmed += 1

    def absorb(self, kind: str, part: RunTally) -> None:
        """Add one record kind's counts to the run's, and keep them apart under `by_kind`."""
        for name in self.RECORD_COUNTS:
            setattr(self, name, getattr(self, name) + getattr(part, name))
        for step, seconds in part.seconds.items():
            self.seconds[step] = round(self.seconds.get(step, 0.0) + seconds, 3)
        self.halted += part.halted
        self.previews += part.previews
        self.previewed += part.previewed
        if part.candidates or part.previews:
            self.by_kind[kind] = {name: getattr(part, name) for name in self.RECORD_COUNTS}

    @contextmanager
    def timing(self, step: str) -> Iterator[None]:
        """Add the block's wall time to `seconds[step]`."""
        began = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[step] = round(self.seconds.get(step, 0.0) + time.perf_counter() - began, 3)


def posted_words(posted: int, already: int) -> str:
    """How many entries a run posted, saying which were found already in Intacct after a lost answer.

    `posted` counts both (the run record's `posted`): an entry whose answer was lost and that the run found by
    its reference is in Intacct once, as the run meant; "posted 0" would say the opposite.
    """
    if not already:
        return str(posted)
    return f"{posted} ({already} found already in Intacct after a lost answer)"


def already_posted(details: dict[str, Any] | None) -> int:
    """The `already_posted` count of a recorded run's details (0 for a run recorded before it was kept)."""
    return int((details or {}).get("already_posted") or 0)


def final_status(tally: RunTally, *, error: BaseException | None = None) -> RunStatus:
    """Decide how a run ended from what it counted (and whether it broke)."""
    if error is not None:
        return RunStatus.FAILED
    if tally.halted:
        return RunStatus.HALTED
    if tally.failed or tally.unconfirmed or tally.unbuildable or tally.invalid or tally.waiting:
        return RunStatus.COMPLETED_WITH_ERRORS
    return RunStatus.SUCCEEDED
