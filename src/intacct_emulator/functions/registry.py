"""HANDLERS: function element tag -> handler; object hooks of the generic writes."""

from __future__ import annotations

from . import adjustments, ap_adjustments, bills, companyprefs, customers, glbatch, invoices, legacy_deletes, legacy_gl, metadata, orderentry, payments, query, reads, writes
from .base import Handler

writes.PREPARERS["GLBATCH"] = glbatch.prepare_glbatch
writes.FOLLOWERS["GLBATCH"] = glbatch.sync_lines
writes.DELETE_HOOKS["GLBATCH"] = glbatch.remove_lines
writes.PREPARERS["CUSTOMER"] = customers.prepare_customer
writes.PREPARERS["VENDOR"] = customers.prepare_vendor
writes.PREPARERS["ARPYMT"] = payments.prepare_arpymt
writes.FOLLOWERS["ARPYMT"] = payments.apply_arpymt
writes.DELETE_HOOKS["ARPYMT"] = payments.refuse_posted_payment_delete
writes.DELETE_HOOKS["ARINVOICE"] = invoices.remove_invoice
writes.PREPARERS["APBILL"] = bills.prepare_apbill
writes.FOLLOWERS["APBILL"] = bills.raise_vendor_due
writes.DELETE_HOOKS["APBILL"] = bills.refuse_posted_bill_delete

HANDLERS: dict[str, Handler] = {
    "readByQuery": reads.read_by_query,
    "readMore": reads.read_more_handler,
    "read": reads.read,
    "readByName": reads.read_by_name,
    "query": query.query,
    "lookup": metadata.lookup,
    "inspect": metadata.inspect,
    "getDimensions": metadata.get_dimensions,
    "create": writes.create,
    "update": writes.update,
    "delete": writes.delete,
    "create_gltransaction": legacy_gl.create_gltransaction,
    "delete_gltransaction": legacy_gl.delete_gltransaction,
    "create_invoice": invoices.create_invoice,
    "create_arpayment": payments.create_arpayment,
    "create_aradjustment": adjustments.create_aradjustment,
    "create_apadjustment": ap_adjustments.create_apadjustment,
    "create_sotransaction": orderentry.create_sotransaction,
    "get_icitemtotals": orderentry.get_icitemtotals,
    "get_companyprefs": companyprefs.get_companyprefs,
    "delete_invoice": legacy_deletes.delete_invoice,
    "delete_sotransaction": legacy_deletes.delete_sotransaction,
    **legacy_deletes.LEGACY_DELETES,
}
