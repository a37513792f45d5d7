"""HANDLERS: function element tag -> handler; object hooks of the generic writes."""

from __future__ import annotations

from . import glbatch, query, reads, writes
from .base import Handler

writes.PREPARERS["GLBATCH"] = glbatch.prepare_glbatch
writes.FOLLOWERS["GLBATCH"] = glbatch.number_glbatch

HANDLERS: dict[str, Handler] = {
    "readByQuery": reads.read_by_query,
    "readMore": reads.read_more_handler,
    "read": reads.read,
    "readByName": reads.read_by_name,
    "query": query.query,
    "create": writes.create,
    "update": writes.update,
    "delete": writes.delete,
}
