"""What text can reach Intacct: characters an XML 1.0 document can carry, within a field's length.

Intacct's gateway speaks XML 1.0, which cannot carry most control characters, lone surrogates
or U+FFFE/U+FFFF at all (not even escaped): a record holding one would make the whole request
unparseable. These checks let the rules say which field to fix before anything is sent.
"""

from __future__ import annotations

import re

from intacct_bridge.domain.description import byte_length

# XML 1.0 Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe_problems(text: str | None) -> list[str]:
    """Why `text` cannot travel in an XML 1.0 document (empty list: it can), naming the characters."""
    if not text:
        return []
    found = sorted({f"U+{ord(char):04X}" for char in _NOT_XML.findall(text)})
    if not found:
        return []
    return [f"contains characters XML cannot carry ({', '.join(found)}): remove them (often pasted control "
            "characters)"]


def length_problem(text: str | None, limit: int) -> str | None:
    """A message when `text` is longer than `limit` (counted in UTF-8 bytes, never shorter than characters)."""
    if text is None or byte_length(text) <= limit:
        return None
    return f"is {byte_length(text)} bytes long; at most {limit} fit: shorten it"
