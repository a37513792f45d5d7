"""Turn whatever came back over HTTP into a Response, or the right IntacctError.

Tolerant of every shape in the official SDK fixtures: lower- and upper-case
record elements, legacy `<key>` and `<listtype>`, `aborted` results, 4xx with
an XML body, an `<errormessage>` inside or beside `<control>`, HTML error
pages and empty bodies.  Control- and authentication-level failures raise
(nothing ran); function failures stay in their Result for the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from lxml import etree

from .errors import (
    ErrorContext,
    ErrorDetail,
    FunctionError,
    IntacctError,
    ProtocolError,
    RateLimited,
    TransientServerError,
    classify,
)
from .xml import MalformedXml, child, parse_xml, record_from, text_of


@dataclass
class AuthInfo:
    status: str
    userid: str | None = None
    companyid: str | None = None
    locationid: str | None = None
    session_timestamp: datetime | None = None
    session_timeout: datetime | None = None


@dataclass
class Result:
    """One function's answer."""

    status: str
    function: str
    controlid: str
    records: list[dict[str, Any]] = field(default_factory=list)
    key: str | None = None
    data_attrs: dict[str, str] = field(default_factory=dict)
    listtype: str | None = None
    errors: list[ErrorDetail] = field(default_factory=list)
    already_applied: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "success"

    def _int_attr(self, name: str) -> int | None:
        value = self.data_attrs.get(name)
        return int(value) if value not in (None, "") else None

    @property
    def count(self) -> int:
        n = self._int_attr("count")
        return len(self.records) if n is None else n

    @property
    def total_count(self) -> int | None:
        return self._int_attr("totalcount")

    @property
    def num_remaining(self) -> int:
        return self._int_attr("numremaining") or 0

    @property
    def offset(self) -> int | None:
        return self._int_attr("offset")

    @property
    def result_id(self) -> str | None:
        return self.data_attrs.get("resultId") or None

    def error(self, context: ErrorContext | None = None) -> FunctionError | None:
        """The named FunctionError for a failed or aborted result; None when it succeeded."""
        if self.ok:
            return None
        errors = self.errors or [ErrorDetail("unknown", f"status {self.status} without an error message")]
        err = classify("result", errors, context=context, controlid=self.controlid, function=self.function,
                       status=self.status)
        if not isinstance(err, FunctionError):  # e.g. a rate-limit text inside a result
            err = FunctionError("result", err.errorno, err.description, err.description2, err.correction,
                                err.transient, errors=errors, context=context, controlid=self.controlid,
                                function=self.function, status=self.status)
        return err


@dataclass
class Response:
    control_status: str
    controlid: str | None
    uniqueid: str | None
    auth: AuthInfo | None
    results: list[Result]
    http_status: int = 200

    def by_controlid(self) -> dict[str, Result]:
        return {r.controlid: r for r in self.results}


def _errors(block: etree._Element | None) -> list[ErrorDetail]:
    if block is None:
        return []
    return [
        ErrorDetail(
            errorno=text_of(e, "errorno") or "unknown",
            description=text_of(e, "description") or None,
            description2=text_of(e, "description2") or None,
            correction=text_of(e, "correction") or None,
        )
        for e in block
        if isinstance(e.tag, str) and e.tag.lower() == "error"
    ]


def parse_timestamp(text: str | None) -> datetime | None:
    """Gateway timestamps (ISO 8601 with an offset) as aware UTC datetimes; naive ones are taken as UTC."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _children(element: etree._Element) -> dict[str, etree._Element]:
    """An element's children by lower-cased tag (the first of each), found in one pass over them."""
    found: dict[str, etree._Element] = {}
    for item in element:
        if isinstance(item.tag, str):
            found.setdefault(item.tag.lower(), item)
    return found


def _text(children: dict[str, etree._Element], tag: str) -> str | None:
    """Like `text_of`, from `_children`' index."""
    element = children.get(tag)
    return None if element is None else (element.text or "").strip()


def _result(element: etree._Element) -> Result:
    # One pass over the result's children instead of one per field: a response holds up to 100 results.
    children = _children(element)
    result = Result(
        status=(_text(children, "status") or "failure").lower(),
        function=_text(children, "function") or "",
        controlid=_text(children, "controlid") or "",
        key=_text(children, "key"),
        errors=_errors(children.get("errormessage")),
    )
    listtype = children.get("listtype")
    if listtype is not None:  # legacy get_list: <listtype start end total>obj</listtype>
        result.listtype = (listtype.text or "").strip()
        result.data_attrs.update({k: v for k, v in listtype.attrib.items()})
    data = children.get("data")
    if data is not None:
        result.data_attrs.update(dict(data.attrib))
        result.listtype = data.get("listtype", result.listtype)
        result.records = [record_from(r) for r in data if isinstance(r, etree._Element) and isinstance(r.tag, str)]
    return result


def _auth(element: etree._Element) -> AuthInfo:
    return AuthInfo(
        status=(text_of(element, "status") or "").lower(),
        userid=text_of(element, "userid"),
        companyid=text_of(element, "companyid"),
        locationid=text_of(element, "locationid"),
        session_timestamp=parse_timestamp(text_of(element, "sessiontimestamp")),
        session_timeout=parse_timestamp(text_of(element, "sessiontimeout")),
    )


_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)


def _not_xml(body: bytes, http_status: int, content_type: str, context: ErrorContext | None) -> IntacctError:
    """An answer that is not an XML document: an HTML error page, plain text or nothing."""
    title = _TITLE.search(body or b"")
    what = title.group(1).decode("utf-8", "replace").strip() if title else None
    if not body.strip():
        what = "an empty answer"
    description = what or f"a non-XML answer ({content_type or 'no content type'})"
    if http_status == 429:
        return RateLimited("http", description=description, http_status=429, context=context)
    if http_status >= 500 or http_status < 400:
        return TransientServerError("http", description=description, http_status=http_status, context=context)
    return ProtocolError("http", description=description, http_status=http_status, context=context)


def parse_response(body: bytes, http_status: int = 200, content_type: str = "", context: ErrorContext | None = None) -> Response:
    """Parse one gateway answer; raise for failures that stopped the whole request."""
    try:
        root = parse_xml(body)
    except MalformedXml:
        raise _not_xml(body, http_status, content_type, context) from None
    if root.tag != "response":
        if str(root.tag).lower() == "html":
            raise _not_xml(body, http_status, content_type, context)
        raise ProtocolError("http", description=f"unexpected root element <{root.tag}>", http_status=http_status,
                            context=context, transient=http_status >= 500)
    control = child(root, "control")
    if control is None:
        raise ProtocolError("control", description="the response has no <control> block", http_status=http_status,
                            context=context, transient=http_status >= 500)
    status = (text_of(control, "status") or "").lower()
    if status != "success":
        errors = _errors(child(root, "errormessage")) or _errors(child(control, "errormessage"))
        raise classify("control", errors or [ErrorDetail("unknown", "control failure")], http_status=http_status,
                       context=context)
    if child(root, "acknowledgement") is not None:
        raise ProtocolError("control", description="asynchronous (offline) answers are not supported",
                            http_status=http_status, context=context)
    operation = child(root, "operation")
    auth_el = child(operation, "authentication")
    if operation is None or auth_el is None:
        raise ProtocolError("operation", description="the response has no operation/authentication block",
                            http_status=http_status, context=context, transient=http_status >= 500)
    auth = _auth(auth_el)
    if auth.status != "success":
        errors = _errors(child(operation, "errormessage")) or _errors(child(auth_el, "errormessage"))
        raise classify("authentication", errors or [ErrorDetail("unknown", "authentication failure")],
                       http_status=http_status, context=context)
    results = [_result(r) for op in root if isinstance(op.tag, str) and op.tag.lower() == "operation"
               for r in op if isinstance(r.tag, str) and r.tag.lower() == "result"]
    return Response(status, text_of(control, "controlid"), text_of(control, "uniqueid"), auth, results, http_status)
