"""Files sent to the console's import forms: size-capped, UTF-8, and any refusal said as the page's notice."""

from __future__ import annotations

from fastapi import Request, UploadFile
from fastapi.responses import Response

from intacct_bridge.store.repositories.intake import ImportRejected
from intacct_bridge.web.console.render import WorkspaceRef, page

MAX_UPLOAD = 20_000_000
SHOWN_ERRORS = 50


class UploadRefused(Exception):
    """The file cannot be read as an import (too large, not UTF-8, unknown format); the message says the fix."""


def upload_text(file: UploadFile) -> str:
    """The file's text (a UTF-8 byte order mark is dropped), or `UploadRefused`."""
    raw = file.file.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        raise UploadRefused(f"the file is larger than {MAX_UPLOAD // 1_000_000} MB: split it, or send it through "
                            "the REST API")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRefused("the file is not UTF-8 text: save it as CSV UTF-8") from None


def rejected_problems(rejected: ImportRejected) -> list[str]:
    """The bad rows by line and field, the first few of them and how many more."""
    problems = [str(e) for e in rejected.errors[:SHOWN_ERRORS]]
    more = len(rejected.errors) - len(problems) + rejected.more
    return problems + ([f"and {more} more"] if more else [])


def import_error(request: Request, user, ws: WorkspaceRef, problems: list[str]) -> Response:
    return page(request, "console/_notice.html", user=user, workspace=ws, status_code=422,
                error="Nothing was imported. " + " · ".join(problems))
