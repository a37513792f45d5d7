"""What text can reach Intacct: characters an XML 1.0 document can carry, within a field's length.

Intacct's gateway speaks XML 1.0, which cannot carry most control characters, lone surrogates
or U+FFFE/U+FFFF at all (not even escaped): a record holding one would make the whole request
unparseable. These checks let the rules say which field to fix before anything is sent.
"""

from __future__ import annotations

from intacct_bridge.domain.description import byte_length
from intacct_bridge.domain.xml_text import unsafe_problem


def xml_safe_problems(text: str | None) -> list[str]:
    """Why `text` cannot travel in an XML 1.0 document (empty list: it can), naming the character and
    where it is (`domain.xml_text` holds the one definition of what XML 1.0 can carry)."""
    problem = unsafe_problem(text) if text else None
    return [f"has a {problem}: remove it in your source system (often a pasted control character)"] if problem else []


def length_problem(text: str | None, limit: int) -> str | None:
    """A message when `text` is longer than `limit` (counted in UTF-8 bytes, never shorter than characters)."""
    if text is None or byte_length(text) <= limit:
        return None
    return f"is {byte_length(text)} bytes long; at most {limit} fit: shorten it"
