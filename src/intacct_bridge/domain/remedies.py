"""How to fix each review reason: the fix must fit the reason.

A flagged action shows its reasons with a fix each. The fix depends on where the problem
lives: a missing amount or date, or text Intacct cannot carry, is fixed in the
organization's own system and re-imported (campaigns cannot fix it); a missing or extra
account or dimension is fixed with campaigns; an Intacct rejection is fixed where Intacct's
message points. Fixes are worded for any surface (CLI, console, API) and never name a command;
each surface adds its own way of doing it (a command, a link) by the remedy's `kind` and the
step the reason asks for (`domain.next_steps`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from intacct_bridge.domain.error_classes import FIXES, ErrorClass
from intacct_bridge.domain.next_steps import CHANGE_O2C_SETTING, in_current_words, step_of
from intacct_bridge.domain.sync_settings import USER_DIMENSION_PREFIX
from intacct_bridge.domain.vocabulary import EXCLUDE_CAMPAIGN, Dimension

# Fields of an action that come from the organization's system (intake names them so).
SOURCE_TEXT_FIELDS = frozenset({"summary", "constituent_name", "url", "type", "external_id"})


class RemedyKind(StrEnum):
    SOURCE = "source"        # correct the record in the organization's system and import it again
    CAMPAIGNS = "campaigns"  # add or remove campaigns on the action
    INTACCT = "intacct"      # Intacct refused the entry: act on its message
    SETTINGS = "settings"    # text from the workspace's settings or defaults
    REPORT = "report"        # the product failed to build the request: a bug to report


@dataclass(frozen=True)
class Remedy:
    kind: RemedyKind
    fix: str


_CAMPAIGNS = Remedy(RemedyKind.CAMPAIGNS, "Add or remove campaigns on the action so each side has exactly one "
                                          "active campaign where needed; the flag clears at the next sync.")
_TEXT = Remedy(RemedyKind.SOURCE, "Remove the character in your source system and import the action again (same "
                                  "external id), or set the workspace's control_characters setting to replace "
                                  "and import it again; the flag clears at the next sync.")
_BY_FIELD = {
    "amount": Remedy(RemedyKind.SOURCE, "Set the correct amount in your source system and import the action again "
                                        "(same external id); to leave it out of Sage Intacct instead, add the "
                                        f"campaign {EXCLUDE_CAMPAIGN!r}. The flag clears at the next sync."),
    "happened_at": Remedy(RemedyKind.SOURCE, "Set the date the action happened in your source system and import "
                                             "the action again (same external id); the flag clears at the next sync."),
    "intacct": Remedy(RemedyKind.INTACCT, "Intacct's message says what it refused: fix that in Sage Intacct (e.g. "
                                          "reopen the period, reactivate the account or dimension) or change the "
                                          "action's campaigns; the next sync tries the action again."),
    "request": Remedy(RemedyKind.REPORT, "The bridge could not build this action's request: report it with the "
                                         "action's id; the other actions were sent."),
}
_SETTINGS = Remedy(RemedyKind.SETTINGS, "This text comes from the workspace's settings or mapping defaults (journal, "
                                        "default values): correct them, then sync again.")
_DIMENSIONS = frozenset(d.value for d in Dimension)


def remedy_for(field: str) -> Remedy:
    """The fix for a reason about `field` (as recorded in `Reason.field`)."""
    if field in _BY_FIELD:
        return _BY_FIELD[field]
    if field in SOURCE_TEXT_FIELDS:
        return _TEXT
    if field.split(".", 1)[0] in _DIMENSIONS or field.startswith(USER_DIMENSION_PREFIX):
        return _CAMPAIGNS
    return _SETTINGS


# Customers, invoices, payments and credit memos: their data lives in the organization's system, a few
# reasons name an order-to-cash setting, and Intacct's refusals are acted on where its message points.
_RECORD_SOURCE = Remedy(RemedyKind.SOURCE, "Correct the record in your source system and import it again (same "
                                           "external id); the flag clears at the next sync.")
_RECORD_SETTINGS = Remedy(RemedyKind.SETTINGS, f"{CHANGE_O2C_SETTING.capitalize()}, then sync again.")
_RECORD_INTACCT = Remedy(RemedyKind.INTACCT, "Intacct's message says what it refused: fix that in Sage Intacct (e.g. "
                                             "reopen the period, reactivate the account) or correct the record in "
                                             "your source system and import it again; the next sync tries again.")


# A reason that tells the user to set something ("set the undeposited funds account in the settings").
SAYS_SET = re.compile(r"\bset(ting)?s?\b")


def record_remedy_for(field: str, message: str) -> Remedy:
    """The fix for a reason about a customer, invoice, payment or credit memo (the console adds a link to
    the setting, `web.console.review_fixes`)."""
    if field == "intacct":
        return _RECORD_INTACCT
    if SAYS_SET.search(message):
        return _RECORD_SETTINGS
    if field == "request":
        return _BY_FIELD["request"]
    return _RECORD_SOURCE


def with_fixes(reasons: Iterable[Mapping[str, str]] | None,
               record_kind: str = "journal_entry", error_class: str | None = None) -> list[dict[str, str]]:
    """Recorded reasons (`{"field", "message"}`) with the fix that fits each, its kind, and the step it asks
    for (`domain.next_steps`, "" if none) added: each place adds its own way of taking the step.

    Intacct's refusals take the fix of their error class (`domain.error_classes`) when it is known: a
    closed period is reopened or the date corrected, never fixed by applying campaigns.
    """
    out = []
    for recorded in reasons or ():
        reason = {**recorded, "message": in_current_words(recorded.get("message", ""))}
        field = reason.get("field", "")
        remedy = (remedy_for(field) if record_kind == "journal_entry"
                  else record_remedy_for(field, reason.get("message", "")))
        if field == "intacct" and error_class and error_class != ErrorClass.VALIDATION.value:
            remedy = Remedy(RemedyKind.INTACCT, FIXES[ErrorClass(error_class)])
        step = step_of(reason.get("message", "")) or step_of(remedy.fix)
        out.append({**reason, "fix": remedy.fix, "remedy": remedy.kind.value, "error_class": error_class or "",
                    "step": step.value if step else ""})
    return out
