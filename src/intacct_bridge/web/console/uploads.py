"""Files sent to the console's import forms: size-capped, UTF-8, and any refusal said as the page's notice."""

from __future__ import annotations

from fastapi import Request, UploadFile
from fastapi.responses import Response

from intacct_bridge.domain.import_columns import template_csv
from intacct_bridge.domain.receivables import RecordKind
from intacct_bridge.store.repositories.intake import ImportRejected, ImportResult
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


def import_result(request: Request, user, ws: WorkspaceRef, *, file_name: str, template_url: str, noun: str,
                  rejected: ImportRejected | None = None, result: ImportResult | None = None,
                  preview: bool = False) -> Response:
    """A refused file's bad rows in a table (line, field in words, what to fix), or a preview's counts."""
    problems = rejected.errors[:SHOWN_ERRORS] if rejected else []
    more = (len(rejected.errors) - len(problems) + rejected.more) if rejected else 0
    return page(request, "console/import_result.html", user=user, workspace=ws, status_code=422 if rejected else 200,
                file_name=file_name, template_url=template_url, noun=noun, problems=problems, more=more,
                result=result, preview=preview)


def template_download(kind: RecordKind, name: str) -> Response:
    """The kind's CSV template as a download (the CLI's `template`, the API's `/imports/{kind}/template`)."""
    return Response(template_csv(kind), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}-template.csv"'})


def import_error(request: Request, user, ws: WorkspaceRef, problems: list[str]) -> Response:
    return page(request, "console/_notice.html", user=user, workspace=ws, status_code=422,
                error="Nothing was imported. " + " · ".join(problems))
