"""Bulk bodies that report every problem of every record at once, whatever kind of problem it is.

Pydantic alone stops at the body's schema: when one record is malformed, the records that are well
formed are never checked by the importer (unknown campaigns, a duplicate external id, a posted record
that may no longer change), and the caller fixes one kind of error only to meet the next. Here each
record of a bulk list is validated on its own (`Each[Model]`: a malformed record is kept as an
`InvalidRecord` instead of failing the body), the importer checks the well-formed ones, and one 422
names every problem of every record by index and field. Nothing is written unless there is none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Query
from pydantic import ValidationError, WrapValidator
from sqlalchemy.orm import Session

from intacct_bridge.store.repositories.intake import ImportRejected, ImportResult

T = TypeVar("T")


class InvalidRecord:
    """A record of a bulk list its model refused: pydantic's errors (never the input)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors


def _keep_invalid(value: Any, handler: Callable[[Any], Any]) -> Any:
    try:
        return handler(value)
    except ValidationError as error:
        return InvalidRecord(error.errors(include_input=False, include_url=False))


class _Each:
    """`Each[Model]`: the model's schema in the OpenAPI document; a refused record kept as `InvalidRecord`."""

    def __class_getitem__(cls, model: type[T]) -> Any:
        return Annotated[model, WrapValidator(_keep_invalid)]


Each = _Each


PreviewFlag = Annotated[bool, Query(description="Check every record and answer what the import would do (or every "
                                               "problem); write nothing.")]


class BulkRejected(Exception):
    """Some records of a bulk request are bad; nothing was written. `details` lists every problem."""

    def __init__(self, details: list[dict[str, Any]]) -> None:
        self.details = details
        super().__init__(f"{len(details)} problem(s); nothing was written")


def valid(records: Sequence[Any]) -> Iterable[tuple[int, Any]]:
    """(index, record) of the well-formed records, indexes as sent."""
    return ((index, record) for index, record in enumerate(records) if not isinstance(record, InvalidRecord))


def run_bulk(session: Session, collection: str, records: Sequence[Any],
             importer: Callable[[list[tuple[int, Any]]], ImportResult], *, preview: bool = False) -> ImportResult:
    """Run `importer` on the well-formed records (index, record), then answer with every problem or the result.

    Problems of form (the model) and of content (the importer) come together, by record index. With
    `preview` (or any problem) the session is rolled back: nothing is written."""
    from intacct_bridge.web.api.errors import problem, row_problems

    details: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        if isinstance(record, InvalidRecord):
            details += [problem(["body", collection, index, *error["loc"]], error["msg"], error["type"])
                        for error in record.errors]
    result = ImportResult()
    well_formed = list(valid(records))
    try:
        if well_formed:
            result = importer(well_formed)
    except ImportRejected as rejected:
        details += row_problems(rejected.errors, collection, rejected.more)
    if details or preview:
        session.rollback()
    if details:
        details.sort(key=lambda d: (d["index"] is None, d["index"] or 0))
        raise BulkRejected(details)
    return result
