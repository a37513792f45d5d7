"""What to do about each reason an order-to-cash record needs review, and where to do it.

A record comes from the organization's own system, so most reasons are fixed there and the
record imported again; a reason that names a setting is fixed on the Order to cash settings
page (linked to the field); a rejection shows Intacct's own words and what to do next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from intacct_bridge.domain.next_steps import in_current_words, step_of
from intacct_bridge.domain.remedies import SAYS_SET
from intacct_bridge.web.receivables_queries import SETTINGS_COLUMNS

# The settings field a reason's field points at, when the reason says a setting fixes it.
SETTING_OF_FIELD = {"customer_match": "customer_match", "deposit_to": "deposit_mode",
                    "discount_amount": "discount_account", "shipping_amount": "shipping_account",
                    "tax_amount": "tax_mode", "gl_account": "revenue_account", "sku": "invoice_mode",
                    "name": "customer_match", "first_name": "customer_match", "company_name": "customer_match"}
LINE_PREFIX = re.compile(r"^(lines|applications)\[\d+\]\.")


@dataclass(frozen=True)
class Fix:
    """One reason with its fix; `settings_field` is the id of the setting to change, if one fixes it."""

    field: str
    message: str
    fix: str
    settings_field: str | None = None
    intacct_said: str | None = None
    step: str = ""  # the step the reason asks for (`domain.next_steps`): the page links to where it is taken


def fixes(flag_kind: str, reasons: list[dict[str, str]], noun: str) -> list[Fix]:
    """The reasons of one review flag (`invalid` or `rejected`), each with the fix that fits it."""
    out = []
    for r in reasons:
        fix = _fix(flag_kind, r.get("field", ""), in_current_words(r.get("message", "")), noun)
        step = step_of(fix.message) if fix.intacct_said is None else None
        out.append(replace(fix, step=step.value) if step else fix)
    return out


def _fix(flag_kind: str, field: str, message: str, noun: str) -> Fix:
    if flag_kind == "rejected":
        return Fix(field, "Sage Intacct refused it.",
                   f"Correct what Intacct names in your system and import the {noun} again (or, when Intacct names "
                   f"something of its own, such as a closed period or a missing account, fix it in Intacct), then "
                   f"sync this {noun} again.", intacct_said=message)
    setting = _setting_named(field, message)
    if setting is not None:
        return Fix(field, message, "Change the order-to-cash settings (or correct the record in your system and "
                   "import it again); the flag clears at the next sync.", settings_field=setting)
    return Fix(field, message, f"Correct {field or 'it'} in your system and import the {noun} again; the flag "
               "clears at the next sync.")


def _setting_named(field: str, message: str) -> str | None:
    """The setting a reason tells to set (named outright, or by the field it is about); None if none."""
    if not SAYS_SET.search(message):
        return None
    named = [name for name in SETTINGS_COLUMNS if name in message]
    if named:
        return named[0]
    base = LINE_PREFIX.sub("", field)
    if base in ("discount_amount", "shipping_amount", "tax_amount") and " item " in message:
        return base.replace("_amount", "_item")  # a sales invoice posts it to an item, not an account
    return SETTING_OF_FIELD.get(base)
