"""What payments and credit memos need of a posted invoice: its AR RECORDNO and its number (RECORDID).

An AR invoice posted by `create_invoice` is known by its RECORDNO; one posted through Order Entry
is known by the sales document's DOCID, and its AR invoice carries the document's number (DOCNO)
as RECORDID. A payment applies to the AR invoice's RECORDNO; a credit memo names the invoice by its
number. Both are read from Intacct in one query per hundred invoices, before the kind posts.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.intacct.lookup import find_records
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Invoice
from intacct_bridge.sync.kinds import FindClient


def resolve_invoice_keys(client: FindClient, store: Store, invoice_ids: Iterable[int], *,
                         read_numbers: bool = True) -> dict[int, str]:
    """Invoice id → the AR invoice's RECORDNO, for posted invoices; records each one's number (RECORDID).

    Read with `showprivate`: at the top level, invoices posted at an entity are listed too.
    With `read_numbers=False` (payments need the RECORDNO only) an AR invoice's RECORDNO, kept from its
    create's answer, is used as it is: nothing is read from Intacct for it.
    """
    with store.session() as session:
        rows = session.execute(select(Invoice.id, Invoice.intacct_key, Invoice.intacct_number).where(
            Invoice.id.in_(list(invoice_ids)), Invoice.status == ActionStatus.POSTED.value)).all()
    by_recordno = {row.intacct_key: row.id for row in rows if row.intacct_key and row.intacct_key.isdigit()}
    by_docid = {row.intacct_key: row.id for row in rows if row.intacct_key and not row.intacct_key.isdigit()}
    by_number = {}
    if by_docid:
        documents = find_records(client, "SODOCUMENT", "DOCID", list(by_docid), ["DOCNO"], show_private=True)
        by_number = {str(documents[docid]["DOCNO"]): invoice_id for docid, invoice_id in by_docid.items()
                     if docid in documents and documents[docid].get("DOCNO")}
    keys: dict[int, str] = {}
    numbers: dict[int, str] = {}
    if by_recordno and not read_numbers:
        keys.update((invoice_id, recordno) for recordno, invoice_id in by_recordno.items())
    elif by_recordno:
        found = find_records(client, "ARINVOICE", "RECORDNO", list(by_recordno), ["RECORDID"], show_private=True)
        for recordno, invoice_id in by_recordno.items():
            keys[invoice_id] = recordno
            if recordno in found and found[recordno].get("RECORDID"):
                numbers[invoice_id] = str(found[recordno]["RECORDID"])
    if by_number:
        found = find_records(client, "ARINVOICE", "RECORDID", list(by_number), show_private=True)
        for number, invoice_id in by_number.items():
            numbers[invoice_id] = number
            if number in found:
                keys[invoice_id] = str(found[number]["RECORDNO"])
    if numbers:
        with store.write_session() as session:
            for invoice in session.scalars(select(Invoice).where(Invoice.id.in_(list(numbers)))):
                invoice.intacct_number = numbers[invoice.id]
    return keys

