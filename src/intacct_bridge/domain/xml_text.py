"""Text XML 1.0 can carry: the one definition every intake path and every request builder uses.

Sage Intacct's gateway speaks XML 1.0, whose `Char` production admits TAB, LF, CR and the
Unicode ranges U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF; nothing else (the other
C0 control characters such as U+0001 or U+0007, lone surrogates, U+FFFE, U+FFFF) can be
written into a request at all: lxml refuses such a string outright. Text holding one is
therefore refused where it enters (naming the record, the field and the character), or,
in a workspace whose `control_characters` setting is `replace`, each such character is
replaced by U+FFFD (the Unicode replacement character, shown as �) in free text, and the
stored record shows the replaced text. Identifiers (external ids, types, URLs, campaign
names, Intacct ids) are always refused: a replaced identifier would no longer match anything.

Whitespace XML can carry is kept as received in the store; the text sent to Intacct has
tabs, newlines and runs of spaces collapsed to one space (see `description`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Any

from intacct_bridge.domain.model import Reason

REPLACEMENT = "\ufffd"
CONTROL_CHARACTERS_HELP = (
    "What imports do with characters XML 1.0 cannot carry (U+0001, U+0007...): refuse (the default: the record "
    "is not imported and the error names the line, field and character) or replace (in summaries and "
    "constituent names each becomes U+FFFD, shown in the stored record; ids, types, URLs and campaign names "
    "are always refused). Text sent to Intacct has tabs, newlines and runs of spaces collapsed to one space."
)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class TextPolicy(StrEnum):
    """A workspace's choice for text XML cannot carry (`control_characters`): refuse it, or replace each character."""

    REFUSE = "refuse"
    REPLACE = "replace"


def code_point(char: str) -> str:
    """`U+0007` for BEL: how a character is named in errors (an invisible one cannot be shown)."""
    return f"U+{ord(char):04X}"


def first_unsafe(text: str) -> tuple[int, str] | None:
    """(1-based position, character) of the first character XML 1.0 cannot carry, or None."""
    found = _NOT_XML.search(text)
    return None if found is None else (found.start() + 1, found.group())


def unsafe_problem(text: str) -> str | None:
    """Why `text` cannot be sent, naming the character and where it is; None when it can."""
    found = first_unsafe(text)
    if found is None:
        return None
    position, char = found
    return (f"character {code_point(char)} at position {position} cannot be sent to Sage Intacct "
            "(XML 1.0 cannot carry control characters)")


def replace_unsafe(text: str) -> str:
    """Each character XML 1.0 cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, text)


def admit_text(text: str, policy: TextPolicy, *, replaceable: bool) -> tuple[str, str | None]:
    """The text to store and the problem to report (None when admitted).

    Under `replace`, free text (`replaceable`) comes back with each bad character replaced;
    anything else with a bad character is refused with the fix in the message.
    """
    problem = unsafe_problem(text)
    if problem is None:
        return text, None
    if replaceable and policy is TextPolicy.REPLACE:
        return replace_unsafe(text), None
    fix = "remove it in your source system and import again"
    if replaceable:
        fix += ", or set the workspace's control_characters setting to replace"
    return text, f"{problem}: {fix}"


def text_reasons(fields: Mapping[str, object]) -> list[Reason]:
    """A reason for every text field (by the name the user knows) holding a character XML cannot carry."""
    reasons = []
    for name, value in fields.items():
        problem = unsafe_problem(value) if isinstance(value, str) else None
        if problem:
            reasons.append(Reason(name, f"{name}: {problem}: remove it in your source system and import the "
                                        "record again"))
    return reasons


def payload_reasons(payload: Any, path: str = "") -> list[Reason]:
    """A reason for every string (element name or text) of a request payload XML cannot carry.

    The last line of defence before a request is serialized: whatever the source of the text
    (a record, a setting, a default), a payload that would make the serializer fail is
    caught here, for one record, instead of failing the whole request. One search over all
    the payload's text first: the walk that names each place runs only when it found one.
    """
    if not path and _NOT_XML.search("\n".join(_strings(payload))) is None:
        return []
    reasons: list[Reason] = []
    if isinstance(payload, Mapping):
        for key, value in payload.items():
            where = f"{path}.{key}" if path else str(key)
            if problem := unsafe_problem(str(key)):
                reasons.append(Reason(where, f"element name {where}: {problem}"))
            reasons += payload_reasons(value, where)
    elif isinstance(payload, list | tuple):
        for index, item in enumerate(payload):
            reasons += payload_reasons(item, f"{path}[{index}]")
    elif isinstance(payload, str) and (problem := unsafe_problem(payload)):
        reasons.append(Reason(path, f"{path}: {problem}: check the setting or record this text comes from"))
    return reasons


def _strings(payload: Any) -> Iterator[str]:
    """Every element name and string value of a payload, in no particular order."""
    stack = [payload]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, Mapping):
            for key, value in item.items():
                yield str(key)
                stack.append(value)
        elif isinstance(item, list | tuple):
            stack.extend(item)
