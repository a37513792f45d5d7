"""One exception hierarchy for everything the gateway (or the network to it) can say.

Every error carries the gateway's own words (layer, errorno, description,
description2 with the Support ID decoded, correction) *and* a sentence a person
can act on.  `classify()` maps an error block to a named kind; it looks at the
text as well as the errorno because Intacct reuses errornos (XL03000006 covers
five different sign-in problems) and some fixtures put free text in errorno.
No password or session id is ever part of an error's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence
from urllib.parse import unquote


@dataclass(frozen=True)
class ErrorDetail:
    """One `<error>` element as the gateway sent it (Support ID decoded)."""

    errorno: str
    description: str | None = None
    description2: str | None = None
    correction: str | None = None

    def text(self) -> str:
        return " ".join(p for p in (self.description, self.description2, self.correction) if p)


@dataclass(frozen=True)
class ErrorContext:
    """Who was asking: lets a message say *which* user, company or sender was refused."""

    sender_id: str | None = None
    company_id: str | None = None
    user_id: str | None = None
    entity_id: str | None = None


_SUPPORT_ID = re.compile(r"\[Support ID:\s*([^\]]*)\]")


def decode_support_id(text: str | None) -> str | None:
    """`[Support ID: abc%7E123]` -> `[Support ID: abc~123]` (the gateway URL-encodes it)."""
    if not text:
        return text
    return _SUPPORT_ID.sub(lambda m: f"[Support ID: {unquote(m.group(1))}]", text)


class IntacctError(Exception):
    """Base of every client error.  `transient` says whether trying again later may work."""

    default_transient = False
    fix: str | None = None

    def __init__(
        self,
        layer: str,
        errorno: str | None = None,
        description: str | None = None,
        description2: str | None = None,
        correction: str | None = None,
        transient: bool | None = None,
        *,
        errors: Sequence[ErrorDetail] = (),
        http_status: int | None = None,
        context: ErrorContext | None = None,
    ) -> None:
        self.layer = layer
        self.errorno = errorno
        self.description = description
        self.description2 = decode_support_id(description2)
        self.correction = correction
        self.transient = self.default_transient if transient is None else transient
        self.errors = list(errors)
        self.http_status = http_status
        self.context = context or ErrorContext()
        self.retry_after: float | None = None  # seconds the gateway asked us to wait (Retry-After)
        super().__init__(self.message())

    #: What happened, in the caller's terms; filled from the context (sender, company, user, entity)
    #: and, for function errors, {function} and {controlid}.
    title = "Intacct reported an error"

    def headline(self) -> str:
        c = self.context
        return self.title.format(sender=c.sender_id, company=c.company_id, user=c.user_id, entity=c.entity_id,
                                 function=getattr(self, "function", None) or "a function",
                                 controlid=getattr(self, "controlid", None))

    def message(self) -> str:
        said = "; ".join(p for p in (self.description, self.description2) if p)
        parts = [f"{self.headline()}: {said}" if said else self.headline()]
        where = [f"{self.errorno}, {self.layer} level"] if self.errorno else []
        if self.http_status and self.http_status != 200:
            where.append(f"HTTP {self.http_status}")
        if where:
            parts[0] += f" ({', '.join(where)})"
        also = self._other_errors()
        if also:
            parts.append(f"Also: {also}")
        fix = self.correction or self.fix
        if fix:
            parts.append(f"Fix: {fix}")
        return ". ".join(p.rstrip(".") for p in parts) + "."

    def _other_errors(self) -> str:
        """The gateway often lists several problems (every broken posting rule); name them all."""
        lead = (self.errorno, self.description)
        texts = [e.description or decode_support_id(e.description2) for e in self.errors
                 if (e.errorno, e.description) != lead and e.errorno != "XL03000009"]
        return "; ".join(t.rstrip(".") for t in texts if t)

    def __reduce__(self):  # keep pickling (multiprocessing, logging queues) working
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type, state: dict) -> IntacctError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    Exception.__init__(err, err.message())
    return err


# --- sign-in and authorization -------------------------------------------------------------


class SignInError(IntacctError):
    """The gateway refused who we are; nothing ran.  Never transient."""


class BadCredentials(SignInError):
    @property
    def _sender(self) -> bool:
        return "partner id" in (self.description or "").lower()

    @property
    def fix(self) -> str:  # type: ignore[override]
        if self._sender:
            return "check the sender ID and sender password (both are case-sensitive)"
        return "check the company ID, user ID and password; the user must be a Web Services user"

    def headline(self) -> str:
        if self._sender:
            return f"Intacct refused the sender ID {self.context.sender_id}"
        return f"Intacct refused the sign-in for user {self.context.user_id} at company {self.context.company_id}"


class SenderNotAuthorized(SignInError):
    fix = "in Intacct, Company > Setup > Company > Security, add the sender ID to the Web Services authorizations"
    title = "Sender ID {sender} may not call company {company}"


class WebServicesNotSubscribed(SignInError):
    fix = "subscribe to Web Services in Company > Admin > Subscriptions, then authorize the sender ID"
    title = "Company {company} has no Web Services subscription"


class IpNotAllowed(SignInError):
    fix = "add this machine's address to the company's allowed IP ranges"
    title = "Intacct blocked the sign-in for user {user} at company {company} by IP address"


class SessionInvalid(SignInError):
    fix = "log in again to get a new session"
    title = "The API session for user {user} at company {company} is invalid or expired"


# --- sign-in on the REST API (OAuth) ----------------------------------------------------------


class ClientRefused(SignInError):
    """The token endpoint refused the OAuth client: unknown client id, or a secret that does not match."""

    fix = "check the client ID and client secret of the app (Sage App Registry) saved for the workspace"
    title = "Intacct refused the OAuth client {sender}"


class AppNotAuthorized(SenderNotAuthorized):
    """The OAuth client's Web Services sender is not authorized for the company."""

    fix = ("an administrator adds the app's sender ID on the Company Security tab (Web Services authorizations), "
           "or approves the app by connecting with Sage Intacct as an admin user")
    title = "The app (client {sender}) is not authorized for company {company}"


class RefreshTokenRefused(SignInError):
    """The refresh token from "Connect with Sage Intacct" expired or was revoked."""

    fix = "connect with Sage Intacct again (the console's Connect button) to get a new one"
    title = "The connection to company {company} has expired or was revoked"


class EntityUnreachable(SignInError):
    """The entity asked for does not exist, or the user may not work in it."""

    fix = "check the entity ID saved for the workspace, and give the user access to that entity in Intacct"
    title = "User {user} cannot reach entity {entity} of company {company}"


# --- the gateway is busy or broken -----------------------------------------------------------


class RateLimited(IntacctError):
    default_transient = True
    fix = "the client backs off and lowers its concurrency; if it persists, run fewer integrations at once or raise the performance tier"
    title = "Intacct is throttling company {company}"


class TransientServerError(IntacctError):
    """5xx, HTML error page, empty body, dropped connection: try again later."""

    default_transient = True
    title = "Intacct did not answer properly"

    def __init__(self, *args, request_sent: bool = True, url: str | None = None, reason: str | None = None,
                 **kwargs) -> None:
        #: False only when we know the request never reached the gateway (connect failed).
        self.request_sent = request_sent
        #: the URL tried (no credentials, no query) and, when no connection was made, why (refused, DNS, timeout)
        self.url, self.reason = url, reason
        super().__init__(*args, **kwargs)

    def headline(self) -> str:
        return "Intacct could not be reached" if not self.request_sent else super().headline()

    @property
    def fix(self) -> str:  # type: ignore[override]
        if not self.request_sent:
            return "check the gateway's URL and this server's network access to it; the client already retried"
        return "try again later; the client already retried"


class AmbiguousOutcome(IntacctError):
    """A write may or may not have been applied, and retrying could not settle it."""

    default_transient = True

    def __init__(self, controlids: Sequence[str], cause: IntacctError | None = None, *, uniqueid: bool = True) -> None:
        self.controlids = list(controlids)
        self.cause = cause
        self.uniqueid = uniqueid
        super().__init__(
            "request",
            description=(cause.description or cause.headline()) if cause else None,
            http_status=cause.http_status if cause else None,
            context=cause.context if cause else None,
        )

    def headline(self) -> str:
        ids = ", ".join(self.controlids[:5]) + (f" and {len(self.controlids) - 5} more" if len(self.controlids) > 5 else "")
        return f"Intacct may or may not have applied the functions with control IDs {ids}"

    @property
    def fix(self) -> str:  # type: ignore[override]
        if self.uniqueid:
            return "send them again later with the same control IDs (uniqueid=true makes that safe), or look the records up by their natural keys"
        return "look the records up by their natural keys before sending again (they were sent with uniqueid=false)"


class ProtocolError(IntacctError):
    """The answer was not an Intacct response document at all (and not a known error page)."""

    title = "Intacct sent an answer the client cannot read"
    fix = ("check that the endpoint is the Intacct XML gateway (https://api.intacct.com/ia/xml/xmlgw.phtml or "
           "your test gateway); if it is, try again later and report the answer if it persists")


class EndpointNotAllowed(IntacctError):
    """The client refused to send a request (with the sender password) to a URL outside the allow-list.

    Nothing was sent.  `url` is the refused address: the configured endpoint, or the one a
    getAPISession answer named.
    """

    title = "The client refused to send the sign-in to an endpoint that is not allowed"
    fix = ("use an allowed endpoint, or have the operator add this one to the allowed endpoints "
           "(INTACCT_BRIDGE_ALLOWED_ENDPOINTS) if it really is an Intacct gateway")

    def __init__(self, url: str, reason: str, *, context: ErrorContext | None = None) -> None:
        self.url = url
        super().__init__("client", description=reason, context=context)


class SchemaError(IntacctError):
    title = "Intacct rejected the request document"
    fix = "this is a bug in the request the client built; report it with the Support ID"


# --- one function failed ---------------------------------------------------------------------


class FunctionError(IntacctError):
    """A single function in a request failed; the others may have succeeded."""

    title = "Intacct refused {function} (control ID {controlid})"

    def __init__(self, *args, controlid: str | None = None, function: str | None = None, status: str = "failure", **kwargs) -> None:
        self.controlid = controlid
        self.function = function
        self.status = status
        super().__init__(*args, **kwargs)


class BusinessRuleError(FunctionError):
    fix = "correct the data named in the message and send it again"


class PermissionDenied(FunctionError):
    title = "User {user} may not run {function} (control ID {controlid})"
    fix = "give the Web Services user the permission named in the message (Company > Admin > Users > Roles)"


class DuplicateControlId(FunctionError):
    """The function's control ID was already executed: with uniqueid, that means already applied."""

    fix = "the function was already applied; look the record up by its natural key instead of sending it again"


class ResultSetExpired(FunctionError):
    fix = "run the query again (the client restarts paging by itself)"


class TransactionAborted(FunctionError):
    """Rolled back because another function in the same transaction failed."""

    title = "{function} (control ID {controlid}) was rolled back with its transaction"
    fix = "fix the failing function in the same request, then send the whole transaction again"


# --- mapping ----------------------------------------------------------------------------------

_RULES: list[tuple[str, str | None, str, type[IntacctError]]] = [
    # (layer or "*", errorno or None for any, lower-case text fragment or "", kind) — first match wins
    ("*", "GW-0010", "", RateLimited),
    ("*", None, "rate limit exceeded", RateLimited),
    ("*", None, "temporarily off-line", TransientServerError),
    ("control", None, "not authorized to make web services", SenderNotAuthorized),
    ("control", None, "invalid web services authorization", SenderNotAuthorized),
    ("control", None, "partner id or password", BadCredentials),
    ("*", "XL03000003", "", SchemaError),
    ("authentication", None, "subscri", WebServicesNotSubscribed),
    ("authentication", None, "ip filter", IpNotAllowed),
    ("authentication", None, "not allowed to sign in", IpNotAllowed),
    ("authentication", None, "session", SessionInvalid),
    ("*", None, "sign-in information is incorrect", BadCredentials),
    ("authentication", None, "", BadCredentials),
    ("result", "XL03000013", "", DuplicateControlId),
    ("result", None, "duplicate control id", DuplicateControlId),
    ("result", "BL03000018", "", PermissionDenied),
    ("result", None, "do not have permission", PermissionDenied),
    ("result", "readMore failed", "", ResultSetExpired),
    ("result", None, "invalid or expired resultid", ResultSetExpired),
    ("result", None, "", BusinessRuleError),
]


def _kind(layer: str, errors: Sequence[ErrorDetail]) -> type[IntacctError]:
    for rule_layer, errorno, fragment, kind in _RULES:
        if rule_layer not in ("*", layer):
            continue
        for e in errors:
            if errorno is not None and e.errorno != errorno:
                continue
            if fragment and fragment not in e.text().lower():
                continue
            return kind
    return IntacctError


def classify(
    layer: str,
    errors: Sequence[ErrorDetail],
    *,
    http_status: int | None = None,
    context: ErrorContext | None = None,
    controlid: str | None = None,
    function: str | None = None,
    status: str = "failure",
) -> IntacctError:
    """Build the named error for an `<errormessage>` at `layer` (control, authentication, result)."""
    if layer == "result" and status == "aborted":
        kind: type[IntacctError] = TransactionAborted
    elif http_status == 429:
        kind = RateLimited
    else:
        kind = _kind(layer, errors)
    # The root cause leads: for a transaction failure the specific error precedes XL03000009.
    lead = next((e for e in errors if e.errorno != "XL03000009"), errors[0] if errors else ErrorDetail("unknown"))
    kwargs = dict(errors=errors, http_status=http_status, context=context)
    if issubclass(kind, FunctionError):
        kwargs.update(controlid=controlid, function=function, status=status)
    return kind(layer, lead.errorno, lead.description, lead.description2, lead.correction, **kwargs)
