"""Request envelope: schema-ish validation of `<request>` into dataclasses.

Follows the reference §1.1 (the v3.0 XSD as the SDKs use it): one `control`,
one `operation` with an `authentication` holding `login` or `sessionid`, and
`content` holding `function` elements of exactly one function element each.
Anything else raises `SchemaError`, which the gateway answers as an
`XL03000003` control failure. Child order inside `control` and `login` is not
enforced (clients in the wild vary it); membership and multiplicity are.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from lxml import etree

CONTROL_REQUIRED = ("senderid", "password", "controlid")
CONTROL_OPTIONAL = ("uniqueid", "dtdversion", "policyid", "debug", "includewhitespace")
LOGIN_REQUIRED = ("userid", "companyid", "password")
LOGIN_OPTIONAL = ("clientid", "locationid")
MAX_CONTROLID = 256


class SchemaError(ValueError):
    """The request does not follow the envelope schema; `str(exc)` names what is wrong."""

    def __init__(self, what: str, control: ControlEcho | None = None) -> None:
        super().__init__(what)
        self.control = control or ControlEcho()


@dataclass(frozen=True)
class ControlEcho:
    """What the response's `<control>` block echoes back (possibly from a half-valid request)."""

    senderid: str = ""
    controlid: str = ""
    uniqueid: str | None = None
    dtdversion: str = "3.0"


@dataclass(frozen=True)
class Control:
    senderid: str
    password: str
    controlid: str
    uniqueid: bool  # omitted means true, per the docs (reference §6)
    echo: ControlEcho


@dataclass(frozen=True)
class LoginAuth:
    userid: str
    companyid: str
    password: str
    locationid: str | None  # None: not sent; "": top level


@dataclass(frozen=True)
class SessionAuth:
    sessionid: str


@dataclass(frozen=True)
class FunctionCall:
    controlid: str
    name: str
    element: etree._Element


@dataclass(frozen=True)
class Request:
    control: Control
    transaction: bool
    auth: LoginAuth | SessionAuth
    functions: tuple[FunctionCall, ...]


def _text(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _children(parent: etree._Element) -> list[etree._Element]:
    """Element children only (comments and PIs are already stripped by the parser)."""
    return [child for child in parent if isinstance(child.tag, str)]


def _fields(parent: etree._Element, required: Collection[str], optional: Collection[str], echo: ControlEcho) -> dict[str, str]:
    """Text of each named child; unknown, repeated or missing required children raise."""
    found: dict[str, str] = {}
    for child in _children(parent):
        if child.tag not in required and child.tag not in optional:
            raise SchemaError(f"unexpected element <{child.tag}> in <{parent.tag}>", echo)
        if child.tag in found:
            raise SchemaError(f"element <{child.tag}> appears more than once in <{parent.tag}>", echo)
        found[child.tag] = _text(child)
    missing = [name for name in required if name not in found]
    if missing:
        raise SchemaError(f"missing element <{missing[0]}> in <{parent.tag}>", echo)
    return found


def _one(parent: etree._Element, tag: str, echo: ControlEcho) -> etree._Element:
    matches = [child for child in _children(parent) if child.tag == tag]
    if len(matches) != 1:
        problem = "missing" if not matches else "more than one"
        raise SchemaError(f"{problem} element <{tag}> in <{parent.tag}>", echo)
    return matches[0]


def _boolean(value: str, where: str, echo: ControlEcho) -> bool:
    if value not in ("true", "false"):
        raise SchemaError(f"{where} must be 'true' or 'false', not {value!r}", echo)
    return value == "true"


def echo_of(root: etree._Element) -> ControlEcho:
    """Best-effort control echo from any tree, for answering requests that fail validation."""
    control = root.find("control") if root.tag == "request" else None
    if control is None:
        return ControlEcho()
    dtd = _text(control.find("dtdversion"))
    uniqueid = control.find("uniqueid")
    return ControlEcho(
        senderid=_text(control.find("senderid")),
        controlid=_text(control.find("controlid"))[:MAX_CONTROLID],
        uniqueid=_text(uniqueid) if uniqueid is not None else None,
        dtdversion=dtd if dtd in ("2.1", "3.0") else "3.0",
    )


def _control(root: etree._Element, echo: ControlEcho) -> Control:
    fields = _fields(_one(root, "control", echo), CONTROL_REQUIRED, CONTROL_OPTIONAL, echo)
    if not fields["controlid"] or len(fields["controlid"]) > MAX_CONTROLID:
        raise SchemaError(f"control <controlid> must be 1-{MAX_CONTROLID} characters", echo)
    if "dtdversion" in fields and fields["dtdversion"] not in ("2.1", "3.0"):
        raise SchemaError(f"unsupported <dtdversion> {fields['dtdversion']!r}", echo)
    uniqueid = _boolean(fields["uniqueid"], "<uniqueid>", echo) if "uniqueid" in fields else True
    return Control(fields["senderid"], fields["password"], fields["controlid"], uniqueid, echo)


def _authentication(operation: etree._Element, echo: ControlEcho) -> LoginAuth | SessionAuth:
    methods = _children(_one(operation, "authentication", echo))
    if len(methods) != 1:
        raise SchemaError("<authentication> must hold exactly one of <login> or <sessionid>", echo)
    method = methods[0]
    if method.tag == "sessionid":
        if not _text(method):
            raise SchemaError("empty <sessionid>", echo)
        return SessionAuth(_text(method))
    if method.tag == "login":
        fields = _fields(method, LOGIN_REQUIRED, LOGIN_OPTIONAL, echo)
        return LoginAuth(fields["userid"], fields["companyid"], fields["password"], fields.get("locationid"))
    raise SchemaError(f"unsupported authentication <{method.tag}>", echo)


def _functions(operation: etree._Element, known: Collection[str], echo: ControlEcho) -> tuple[FunctionCall, ...]:
    contents = [child for child in _children(operation) if child.tag == "content"]
    if not contents:
        raise SchemaError("missing element <content> in <operation>", echo)
    calls = []
    for content in contents:
        for function in _children(content):
            if function.tag != "function":
                raise SchemaError(f"unexpected element <{function.tag}> in <content>", echo)
            controlid = function.get("controlid")
            if controlid is None:
                raise SchemaError("<function> is missing its controlid attribute", echo)
            if len(controlid) > MAX_CONTROLID:
                raise SchemaError(f"function controlid longer than {MAX_CONTROLID} characters", echo)
            inner = _children(function)
            if len(inner) != 1:
                raise SchemaError(f"<function controlid=\"{controlid}\"> must hold exactly one function element", echo)
            if inner[0].tag not in known:
                raise SchemaError(f"unknown function <{inner[0].tag}>", echo)
            calls.append(FunctionCall(controlid, inner[0].tag, inner[0]))
    if not calls:
        raise SchemaError("<content> holds no <function>", echo)
    return tuple(calls)


def parse_request(root: etree._Element, known_functions: Collection[str], max_functions: int) -> Request:
    """Validate `root` as a gateway request; raise `SchemaError` naming the first problem."""
    echo = echo_of(root)
    if root.tag != "request":
        raise SchemaError(f"root element must be <request>, not <{root.tag}>", echo)
    for child in _children(root):
        if child.tag not in ("control", "operation"):
            raise SchemaError(f"unexpected element <{child.tag}> in <request>", echo)
    control = _control(root, echo)
    operation = _one(root, "operation", echo)
    transaction = _boolean(operation.get("transaction", "false"), "operation transaction", echo)
    for child in _children(operation):
        if child.tag not in ("authentication", "content", "preferences"):
            raise SchemaError(f"unexpected element <{child.tag}> in <operation>", echo)
    auth = _authentication(operation, echo)
    functions = _functions(operation, known_functions, echo)
    if len(functions) > max_functions:
        raise SchemaError(f"too many functions in one request ({len(functions)}; the limit is {max_functions})", echo)
    if len(functions) > 1 and any(call.name == "getAPISession" for call in functions):
        raise SchemaError("getAPISession must be the only function in its request", echo)
    return Request(control, transaction, auth, functions)
