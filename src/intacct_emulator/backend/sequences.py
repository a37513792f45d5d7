"""Document numbering sequences of a company: the next invoice, adjustment or sales document number.

Each sequence is a record of the internal DOCSEQUENCE object (so it lives in the
store and survives a restart). A sequence is created on first use with the
default prefix, so a database written before sequences existed keeps working.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable

from .catalogue import ObjectDef, integer, recordno, text
from .records import find_by_id, insert_record, save_record

DOCSEQUENCE = ObjectDef(
    name="DOCSEQUENCE",
    label="Document sequence",
    id_field="NAME",
    listed=False,
    entity_scoped=False,
    fields=(recordno(), text("NAME", required=True), text("PREFIX"), integer("NEXTNUMBER"), integer("WIDTH")),
)
OBJECTS = (DOCSEQUENCE,)

# sequence name -> (prefix, width) when the company has not set it up
DEFAULTS = {"ARINVOICE": ("INV-", 5), "ARADJUSTMENT": ("ADJ-", 5), "APADJUSTMENT": ("APADJ-", 5)}


def _format(sequence: dict, number: int) -> str:
    return f"{sequence.get('PREFIX', '')}{number:0{int(sequence.get('WIDTH') or 1)}d}"


def next_number(
    conn: sqlite3.Connection, company_id: str, name: str, *, taken: Callable[[str], bool], now: dt.datetime,
    user_id: str, prefix: str | None = None,
) -> str:
    """Take the sequence's next number, skipping any number ``taken`` says is already used.

    Skipping matters when someone typed a number by hand that the sequence would otherwise hand out again.
    """
    sequence = find_by_id(conn, DOCSEQUENCE, company_id, name)
    if sequence is None:
        default_prefix, width = DEFAULTS.get(name, (f"{name}-", 5))
        sequence = insert_record(conn, DOCSEQUENCE, company_id,
                                 {"NAME": name, "PREFIX": default_prefix if prefix is None else prefix,
                                  "NEXTNUMBER": "1", "WIDTH": str(width)},
                                 entity=None, now=now, user_id=user_id)
    number = int(sequence.get("NEXTNUMBER") or 1)
    while taken(_format(sequence, number)):
        number += 1
    save_record(conn, DOCSEQUENCE, company_id, {**sequence, "NEXTNUMBER": str(number + 1)}, now=now,
                user_id=user_id)
    return _format(sequence, number)
