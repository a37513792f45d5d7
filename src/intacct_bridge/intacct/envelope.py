"""The request document: control, operation, authentication, content.

Built in the order the XSD and the official SDKs use.  Either a login block
(only for getAPISession) or a session id authenticates the operation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Sequence

from lxml import etree

from .credentials import Credentials
from .functions import Function
from .xml import to_bytes


@dataclass(frozen=True)
class LoginAuth:
    credentials: Credentials

    def write(self, auth: etree._Element) -> None:
        login = etree.SubElement(auth, "login")
        c = self.credentials
        etree.SubElement(login, "userid").text = c.user_id
        etree.SubElement(login, "companyid").text = c.company_id
        etree.SubElement(login, "password").text = c.user_password
        if c.entity_id is not None:
            etree.SubElement(login, "locationid").text = c.entity_id


@dataclass(frozen=True)
class SessionAuth:
    session_id: str = field(repr=False)

    def write(self, auth: etree._Element) -> None:
        etree.SubElement(auth, "sessionid").text = self.session_id


def build_request(
    credentials: Credentials,
    auth: LoginAuth | SessionAuth,
    functions: Sequence[Function],
    *,
    uniqueid: bool,
    transaction: bool = False,
    controlid: str | None = None,
    dtd_version: str = "3.0",
) -> bytes:
    """Serialize one request.  `controlid` (the request's) defaults to a fresh uuid4."""
    if not functions:
        raise ValueError("a request needs at least one function")
    request = etree.Element("request")
    control = etree.SubElement(request, "control")
    etree.SubElement(control, "senderid").text = credentials.sender_id
    etree.SubElement(control, "password").text = credentials.sender_password
    etree.SubElement(control, "controlid").text = controlid or str(uuid.uuid4())
    etree.SubElement(control, "uniqueid").text = "true" if uniqueid else "false"
    etree.SubElement(control, "dtdversion").text = dtd_version
    etree.SubElement(control, "includewhitespace").text = "false"
    operation = etree.SubElement(request, "operation", transaction="true" if transaction else "false")
    auth.write(etree.SubElement(operation, "authentication"))
    content = etree.SubElement(operation, "content")
    for fn in functions:
        wrapper = etree.SubElement(content, "function", controlid=fn.controlid)
        wrapper.append(fn.to_element())
    return to_bytes(request)
