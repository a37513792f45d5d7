"""Response building, shaped as the reference §1.2 (the v2.1 response DTD and SDK fixtures).

`<response><control>…</control>` then either `<errormessage>` (control failure)
or `<operation><authentication>…</authentication>` then either `<errormessage>`
(authentication failure) or the `<result>`s in request order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from lxml import etree
from lxml.builder import E

from intacct_emulator.envelope import ControlEcho


class ErrorLike(Protocol):
    errorno: str
    description: str | None
    description2: str | None
    correction: str | None


@dataclass(frozen=True)
class AuthBlock:
    """The values every `<authentication>` block reports."""

    userid: str
    companyid: str
    locationid: str  # "" at the top level
    sessiontimestamp: datetime | None = None
    sessiontimeout: datetime | None = None


def gateway_timestamp(moment: datetime) -> str:
    """ISO 8601 with seconds and offset, as in the SDK fixtures (`2025-01-01T10:00:00-08:00`)."""
    return moment.replace(microsecond=0).isoformat()


ERROR_PARTS = ("errorno", "description", "description2", "correction")


def errormessage(errors: Iterable[ErrorLike]) -> etree._Element:
    """Every `<error>` carries all four children, empty when there is nothing to say, as the gateway's do.

    A widely used third-party client reads `description2` of every error and fails on one that lacks it.
    """
    block = E.errormessage()
    for error in errors:
        block.append(E.error(*(E(name, getattr(error, name, None) or "") for name in ERROR_PARTS)))
    return block


def _control(echo: ControlEcho, status: str) -> etree._Element:
    control = E.control(E.status(status), E.senderid(echo.senderid), E.controlid(echo.controlid))
    if echo.uniqueid is not None:
        control.append(E.uniqueid(echo.uniqueid))
    control.append(E.dtdversion(echo.dtdversion))
    return control


def _authentication(auth: AuthBlock, status: str) -> etree._Element:
    block = E.authentication(E.status(status), E.userid(auth.userid), E.companyid(auth.companyid))
    block.append(E.locationid(auth.locationid))
    if auth.sessiontimestamp is not None:
        block.append(E.sessiontimestamp(gateway_timestamp(auth.sessiontimestamp)))
    if auth.sessiontimeout is not None:
        block.append(E.sessiontimeout(gateway_timestamp(auth.sessiontimeout)))
    return block


XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def serialize(document: etree._Element) -> bytes:
    """UTF-8 bytes with the double-quoted declaration the gateway and SDK fixtures use."""
    return XML_DECLARATION + etree.tostring(document, encoding="UTF-8", xml_declaration=False)


def control_failure(echo: ControlEcho, errors: Sequence[ErrorLike]) -> bytes:
    """No operation ran: the control block failed (sender, schema, rate limit...)."""
    return serialize(E.response(_control(echo, "failure"), errormessage(errors)))


def authentication_failure(echo: ControlEcho, auth: AuthBlock, errors: Sequence[ErrorLike]) -> bytes:
    """The control block passed; sign-in failed, so no function ran."""
    operation = E.operation(_authentication(auth, "failure"), errormessage(errors))
    return serialize(E.response(_control(echo, "success"), operation))


def operation_response(echo: ControlEcho, auth: AuthBlock, results: Sequence[etree._Element]) -> bytes:
    operation = E.operation(_authentication(auth, "success"), *results)
    return serialize(E.response(_control(echo, "success"), operation))


def result_element(
    status: str,
    function: str,
    controlid: str,
    children: Sequence[etree._Element] = (),
    errors: Sequence[ErrorLike] = (),
) -> etree._Element:
    """One `<result>`: status, function, controlid, then data/key, then any errormessage."""
    result = E.result(E.status(status), E.function(function), E.controlid(controlid))
    for child in children:
        result.append(child)
    if errors:
        result.append(errormessage(errors))
    return result
