"""The journal entry's text: summary + constituent name + action URL, cut to a field's limit.

Whitespace is collapsed: tabs, newlines and runs of spaces in each part become one space in
the text sent to Intacct (the stored record keeps them as received). A memo in Intacct is
one line, and a CSV cell or JSON string with a line break would otherwise reach the ledger
as a break nobody sees in Intacct's screens. Characters XML 1.0 cannot carry never get
here: intake refuses (or replaces) them, see `xml_text`.

Limits are counted in UTF-8 bytes. Whether Intacct counts characters or bytes is not
documented in the sources we have; bytes are never longer than characters, so a text cut
to N bytes fits an N-character field too. A cut never splits a multi-byte character, never
separates a base character from its combining marks, and backs up to a word boundary.
"""

from __future__ import annotations

import unicodedata

# Chosen limits (the public sources give none for GLBATCH; see docs in the report):
# BATCH_TITLE is the entry's headline, GLENTRY DESCRIPTION its line memo.
BATCH_TITLE_LIMIT = 100
LINE_DESCRIPTION_LIMIT = 1000
ELLIPSIS = "…"
SEPARATOR = " | "
# Below this many bytes a shortened summary says nothing; the whole text is cut instead.
MIN_SUMMARY_BYTES = 24


def byte_length(text: str) -> int:
    return len(text.encode("utf-8"))


def _char_prefix(text: str, max_bytes: int) -> str:
    """The longest prefix of whole characters (with their combining marks) within `max_bytes`."""
    head = text.encode("utf-8")[: max(max_bytes, 0)].decode("utf-8", errors="ignore")
    while head and len(head) < len(text) and unicodedata.combining(text[len(head)]):
        head = head[:-1]  # do not strand a base character without its marks
    return head


def cut_text(text: str, limit: int, ellipsis: str = ELLIPSIS) -> str:
    """`text` if it fits in `limit` bytes, else a word-boundary prefix ending with `ellipsis`."""
    text = " ".join(text.split())
    if byte_length(text) <= limit:
        return text
    head = _char_prefix(text, limit - byte_length(ellipsis))
    if head and not text[len(head)].isspace():
        boundary = head.rstrip().rfind(" ")
        if boundary > 0:
            head = head[:boundary]
    head = head.rstrip(" ,;:-|")
    return f"{head}{ellipsis}" if head else _char_prefix(text, limit)


def compose(parts: list[str | None], limit: int, separator: str = SEPARATOR) -> str:
    """Join the parts; when too long, shorten the first (the summary) so the rest stays whole."""
    kept = [" ".join(p.split()) for p in parts if p and p.strip()]
    joined = separator.join(kept)
    if byte_length(joined) <= limit or len(kept) < 2:
        return cut_text(joined, limit)
    tail = separator.join(kept[1:])
    room = limit - byte_length(tail) - byte_length(separator)
    if room >= MIN_SUMMARY_BYTES:
        return f"{cut_text(kept[0], room)}{separator}{tail}"
    return cut_text(joined, limit)


def default_summary(action_type: str, on: object, constituent: str | None) -> str:
    """What the organization's `action.summary` says when it sent none: type, date, constituent."""
    who = f" from {constituent}" if constituent else ""
    return f"{action_type.capitalize()} on {on}{who}"
