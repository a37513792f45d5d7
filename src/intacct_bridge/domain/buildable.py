"""One record's request content, or the reasons it cannot be built: never an exception.

A request carries many records. If building one of them raised (a character XML 1.0
cannot carry in its text, a bug in a builder), the whole request, and with it every other
record of the batch, would fail. `buildable` turns any such failure into reasons for that
record alone, so the caller can flag it for review and send the rest. Record kinds plug in
their builder, the source texts (named as the user knows the fields) and the payload.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.xml_text import payload_reasons, text_reasons

T = TypeVar("T")


def buildable(build: Callable[[], T], source_texts: Mapping[str, object], payload_of: Callable[[T], Any],
              passthrough: tuple[type[Exception], ...] = ()) -> T | list[Reason]:
    """`build()`'s result when its payload can be sent; otherwise every reason it cannot.

    An exception of a `passthrough` type (the builder refusing a record the validation gate
    handles) is raised to the caller; any other becomes a reason. The payload is checked whole
    (text from anywhere: the record, a setting, a default); when it cannot be sent, the reasons
    name the record's own fields (`summary`) where the bad text came from there, else the
    places in the request (`JOURNAL`). Text that never reaches the request (cut off, or
    whitespace collapsed) holds nothing back.
    """
    try:
        built = build()
    except passthrough:
        raise
    except Exception as exc:  # noqa: BLE001 — one record's failure must not fail its batch
        return text_reasons(source_texts) or [
            Reason("request", f"the request could not be built ({type(exc).__name__}: {exc}): "
                              "report this with the record's id")]
    problems = payload_reasons(payload_of(built))
    if not problems:
        return built
    return text_reasons(source_texts) or problems
