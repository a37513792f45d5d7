"""One action → one GLBATCH payload for the client's generic `create` (reference §4.2).

A debit line (TR_TYPE 1) and a credit line (TR_TYPE -1) for the absolute amount, each with
its side's account and dimensions. A negative amount swaps the sides: the CR campaigns then
feed the debit line. The caller validates first; building an invalid action is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from intacct_bridge.domain.buildable import buildable
from intacct_bridge.domain.description import (
    BATCH_TITLE_LIMIT,
    LINE_DESCRIPTION_LIMIT,
    compose,
    cut_text,
    default_summary,
)
from intacct_bridge.domain.description_template import render_template
from intacct_bridge.domain.identifiers import version_reference
from intacct_bridge.domain.model import ActionView, AppliedDefault, Reason
from intacct_bridge.domain.sync_settings import DimensionKey, SyncSettings
from intacct_bridge.domain.validation import tags_by_dimension, validate_action
from intacct_bridge.domain.values import parse_amount, posting_date_of
from intacct_bridge.domain.vocabulary import Dimension, PostingMode, Side

DEBIT, CREDIT = 1, -1


class InvalidAction(ValueError):
    """Raised when asked to build an entry for an action the gate would refuse."""

    def __init__(self, action_id: int, reasons: list[Reason]) -> None:
        self.action_id = action_id
        self.reasons = reasons
        super().__init__(f"action {action_id} is invalid: " + "; ".join(r.message for r in reasons))


@dataclass(frozen=True)
class JournalEntry:
    """What will be sent for one action, plus what the run log records about it."""

    action_id: int
    reference_no: str
    posting_date: date
    amount: Decimal
    debit_account: str
    credit_account: str
    description: str
    payload: dict[str, Any]
    applied_defaults: tuple[AppliedDefault, ...] = field(default_factory=tuple)
    original_date: date | None = None  # set when moved out of a closed period (`domain.closed_periods`)

    def summary(self) -> dict[str, Any]:
        """A JSON-able digest for the posting row and dry-run output (no payload internals)."""
        moved = {"original_date": self.original_date.isoformat()} if self.original_date else {}
        return {**moved,
            "reference_no": self.reference_no,
            "date": self.posting_date.isoformat(),
            "amount": str(self.amount),
            "debit": self.debit_account,
            "credit": self.credit_account,
            "journal": self.payload["JOURNAL"],
            "description": self.payload["BATCH_TITLE"],
            "defaults": [d.as_dict() for d in self.applied_defaults],
            "lines": summary_lines(self.payload["ENTRIES"]["GLENTRY"]),
        }


_NOT_DIMENSIONS = frozenset({"ACCOUNTNO", "TR_TYPE", "TRX_AMOUNT", "DESCRIPTION"})


def summary_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines as kept on the posting row (account, side, amount, dimensions): what reconciliation compares."""
    return [{"account": line["ACCOUNTNO"], "side": "debit" if line["TR_TYPE"] == DEBIT else "credit",
             "amount": str(line["TRX_AMOUNT"]),
             "dimensions": {k: str(v) for k, v in line.items() if k not in _NOT_DIMENSIONS and v not in (None, "")}}
            for line in lines]


def posting_date(action: ActionView, settings: SyncSettings, run_started_at: datetime) -> date:
    """Individual: the day the action happened. Batching: the run's start day. Both in the workspace zone."""
    zone = settings.zone()
    if settings.posting_mode is PostingMode.BATCHING:
        return run_started_at.astimezone(zone).date()
    day, reason = posting_date_of(action.happened_at, zone)
    if day is None:
        raise InvalidAction(action.id, [reason] if reason else [])
    return day


def entry_texts(action: ActionView, settings: SyncSettings) -> tuple[str, str]:
    """(BATCH_TITLE, line DESCRIPTION): the workspace's description template filled from the action, else
    summary + constituent + URL; each cut to its field."""
    if settings.description_template:
        text = render_template(settings.description_template, action, settings.zone())
        if text:
            return cut_text(text, BATCH_TITLE_LIMIT), cut_text(text, LINE_DESCRIPTION_LIMIT)
    summary = action.summary
    if not summary or not summary.strip():
        happened, _ = posting_date_of(action.happened_at, settings.zone())
        summary = default_summary(action.type, happened, action.constituent_name)
    parts = [summary, action.constituent_name, action.url]
    return compose(parts, BATCH_TITLE_LIMIT), compose(parts, LINE_DESCRIPTION_LIMIT)


def _line(
    side: Side, tr_type: int, amount: Decimal, values: dict[DimensionKey, dict[Side, str]], settings: SyncSettings,
    description: str,
) -> dict[str, Any]:
    line: dict[str, Any] = {
        "ACCOUNTNO": values[Dimension.ACCOUNT][side],
        "TR_TYPE": tr_type,
        "TRX_AMOUNT": amount,
    }
    for dimension in (Dimension.LOCATION, Dimension.DEPARTMENT, Dimension.CLASS):
        if side in values.get(dimension, {}):
            line[settings.gl_field(dimension)] = values[dimension][side]
    line["DESCRIPTION"] = description
    for dimension in (Dimension.CUSTOM, *LATER_LINE_DIMENSIONS, *settings.user_dimensions):
        if side in values.get(dimension, {}):
            line[settings.gl_field(dimension)] = values[dimension][side]
    return line


# The GL-line dimensions of issue 10, written after the custom field (element order is free on `create`).
LATER_LINE_DIMENSIONS = (Dimension.PROJECT, Dimension.CUSTOMER, Dimension.VENDOR, Dimension.EMPLOYEE, Dimension.ITEM)


def build_journal_entry(
    action: ActionView,
    settings: SyncSettings,
    *,
    workspace_uid: str,
    run_started_at: datetime,
    applied_defaults: tuple[AppliedDefault, ...] = (),
    validated: bool = False,
) -> JournalEntry:
    """The GLBATCH for a valid action (apply mapping defaults first; see `mapping.apply_defaults`).

    `validated=True` says the caller has just run `validate_action` on this very view and found
    nothing (the engine checks each candidate once per run); otherwise it is checked here.
    """
    grouped = tags_by_dimension(action, settings)
    reasons = [] if validated else validate_action(action, settings, grouped)
    if reasons:
        raise InvalidAction(action.id, reasons)
    signed, _ = parse_amount(action.amount)
    assert signed is not None  # validated above
    values: dict[DimensionKey, dict[Side, str]] = {}
    for dimension, sides in grouped.items():
        values[dimension] = {side: tags[0].value_id for side, tags in sides.items() if tags}  # type: ignore[misc]
    debit_side, credit_side = (Side.DR, Side.CR) if signed > 0 else (Side.CR, Side.DR)
    amount = abs(signed)
    title, description = entry_texts(action, settings)
    day = posting_date(action, settings, run_started_at)
    reference = version_reference(workspace_uid, action.id, action.version)
    payload = {
        "JOURNAL": settings.journal,
        "BATCH_DATE": day,
        "BATCH_TITLE": title,
        "REFERENCENO": reference,
        "STATE": "Posted",
        "ENTRIES": {
            "GLENTRY": [
                _line(debit_side, DEBIT, amount, values, settings, description),
                _line(credit_side, CREDIT, amount, values, settings, description),
            ]
        },
    }
    return JournalEntry(
        action_id=action.id,
        reference_no=reference,
        posting_date=day,
        amount=amount,
        debit_account=values[Dimension.ACCOUNT][debit_side],
        credit_account=values[Dimension.ACCOUNT][credit_side],
        description=title,
        payload=payload,
        applied_defaults=applied_defaults,
    )


def journal_entry_or_reasons(
    action: ActionView,
    settings: SyncSettings,
    *,
    workspace_uid: str,
    run_started_at: datetime,
    applied_defaults: tuple[AppliedDefault, ...] = (),
    validated: bool = False,
) -> JournalEntry | list[Reason]:
    """The entry, or why this action cannot become one, so one action cannot fail a batch.

    Raises only `InvalidAction`: an action the validation gate refuses is the gate's to flag.
    """
    texts = {"summary": action.summary, "constituent_name": action.constituent_name, "url": action.url,
             "type": action.type}
    return buildable(
        lambda: build_journal_entry(action, settings, workspace_uid=workspace_uid, run_started_at=run_started_at,
                                    applied_defaults=applied_defaults, validated=validated),
        texts,
        lambda entry: entry.payload,
        passthrough=(InvalidAction,),
    )
