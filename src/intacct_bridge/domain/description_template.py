"""The workspace's description template: `{type} {external_id} for {constituent}` → the entry's text.

Without a template an entry's text is the action's summary, constituent name and link
(`journal.entry_texts`). With one, the template's placeholders are filled from the action and the
result, whitespace collapsed, is cut to each field's limit like any other text (`description.cut_text`).
A template naming a placeholder nobody knows is refused when it is saved, naming it; `{{` and `}}`
stand for a literal brace.
"""

from __future__ import annotations

from string import Formatter
from zoneinfo import ZoneInfo

from intacct_bridge.domain.model import ActionView
from intacct_bridge.domain.values import posting_date_of

PLACEHOLDERS = {
    "type": "the action's type (ticket)",
    "external_id": "its id in your system (t-1001)",
    "constituent": "the constituent's name",
    "campaign": "your own campaigns it carries (Spring Gala), comma-separated",
    "date": "the date it happened (YYYY-MM-DD)",
    "amount": "its amount (125.00)",
    "summary": "its summary",
    "url": "its link",
}
MAX_TEMPLATE = 500


class TemplateError(ValueError):
    """A template that cannot be used; the message names what is wrong and what is allowed."""


def check_template(template: str) -> str:
    """The template with its whitespace collapsed, or `TemplateError` naming unknown placeholders."""
    text = " ".join((template or "").split())
    if len(text) > MAX_TEMPLATE:
        raise TemplateError(f"the description template is {len(text)} characters long: at most {MAX_TEMPLATE}")
    try:
        parsed = list(Formatter().parse(text))
    except ValueError as error:  # a lone { or }
        raise TemplateError(f"the description template has an unmatched brace ({error}): write {{{{ or }}}} for a "
                            "literal brace") from None
    unknown, formatted = [], []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            unknown.append("{" + name + "}")
        elif spec or conversion:
            formatted.append("{" + name + "}")
    if unknown:
        raise TemplateError(f"unknown placeholder(s) {', '.join(dict.fromkeys(unknown))} in the description "
                            f"template: use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}")
    if formatted:
        raise TemplateError(f"placeholder(s) {', '.join(formatted)} carry a format or conversion: write the bare "
                            "name, e.g. {date}")
    return text


def placeholder_values(view: ActionView, zone: ZoneInfo) -> dict[str, str]:
    happened = posting_date_of(view.happened_at, zone)[0]
    own = [tag.name for tag in view.campaigns if tag.dimension is None and not tag.system]
    return {"type": view.type or "", "external_id": view.external_id or "", "constituent": view.constituent_name or "",
            "campaign": ", ".join(own), "date": happened.isoformat() if happened else "",
            "amount": "" if view.amount is None else str(view.amount), "summary": view.summary or "",
            "url": view.url or ""}


def render_template(template: str, view: ActionView, zone: ZoneInfo) -> str:
    """The filled template, whitespace collapsed (the template was checked when saved)."""
    return " ".join(template.format_map(placeholder_values(view, zone)).split())
