"""What a failed Intacct call means for the person setting up the connection.

The client raises typed errors; this module turns each kind into a title and
the fix in plain words, following the setup steps of the vendor documents
(Web Services subscription, sender authorization, IP filters, the Web Services
user's role permissions). `test-connection`, the engine's preflight and the web
console all show these same words.
"""

from __future__ import annotations

from dataclasses import dataclass

from intacct_bridge.domain.error_classes import ErrorClass, class_of_text
from intacct_bridge.intacct import errors

# Where Intacct's role editor lists read permission for each object we read.
PERMISSION_PATHS: dict[str, str] = {
    "GLACCOUNT": "General Ledger > Accounts",
    "GLBATCH": "General Ledger > Journal Entries",
    "GLJOURNAL": "General Ledger > Journals",
    "LOCATION": "Company > Locations",
    "DEPARTMENT": "Company > Departments",
    "CLASS": "Company > Classes",
    "LOCATIONENTITY": "Company > Entities",
}


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """One problem: a short title, what Intacct said, and how to fix it."""

    kind: str
    title: str
    fix: str
    intacct_message: str = ""

    def __str__(self) -> str:
        return f"{self.title}. {self.fix}"


def permission_path(object_name: str, label: str | None = None) -> str:
    """The role-editor path for reading `object_name` (user-defined dimensions live under Platform Services)."""
    return PERMISSION_PATHS.get(object_name.upper(), f"Platform Services > {label or object_name}")


def missing_read_permission(user_id: str, label: str, object_name: str, can_exclude: bool) -> Diagnosis:
    """The preflight message when the user cannot read a dimension it must map."""
    path = permission_path(object_name, label)
    fix = (
        f"In Sage Intacct, open Company > Admin > Roles, edit the role of the Web Services user "
        f"'{user_id}' and grant List and View (Read) permission on {path} (or assign it the Admin role)"
    )
    if can_exclude:
        fix += f", or set {label} to Exclude in the workspace settings"
    return Diagnosis(
        kind="permission",
        title=f"user {user_id} cannot read {label}",
        fix=fix + ".",
    )


def diagnose(error: errors.IntacctError, *, sender_id: str = "", company_id: str = "", user_id: str = "") -> Diagnosis:
    """Explain an error raised while connecting or reading, with the fix in plain words.

    Who was refused defaults to what the client recorded on the error.
    """
    asked = getattr(error, "context", None)
    sender_id = sender_id or getattr(asked, "sender_id", None) or ""
    company_id = company_id or getattr(asked, "company_id", None) or ""
    user_id = user_id or getattr(asked, "user_id", None) or ""
    said = intacct_message(error)
    rest = _rest_diagnosis(error, company_id, user_id, said)
    if rest is not None:
        return rest
    if isinstance(error, errors.SenderNotAuthorized):
        return Diagnosis(
            "sender_not_authorized",
            f"Sender ID '{sender_id}' is not authorized for company '{company_id}'",
            "In Sage Intacct (top level), go to Company > Setup > Company (Company > Company Info), open the "
            "Security tab, click Edit, and under Web Services authorizations add the sender ID "
            f"'{sender_id}'. Save, then test the connection again.",
            said,
        )
    if isinstance(error, errors.WebServicesNotSubscribed):
        return Diagnosis(
            "web_services_not_subscribed",
            f"Company '{company_id}' is not subscribed to Web Services",
            "In Sage Intacct, go to Company > Admin > Subscriptions, find Web Services and click Subscribe. "
            f"Then authorize the sender ID '{sender_id}' under Company > Company Info > Security > "
            "Web Services authorizations.",
            said,
        )
    if isinstance(error, errors.IpNotAllowed):
        return Diagnosis(
            "ip_filter",
            f"Company '{company_id}' blocks sign-ins from this server's address",
            "In Sage Intacct, go to Company > Company Info, click Edit, open the Security tab and add this "
            "server's address to 'Enforce IP address filters' (the address is in Intacct's message below).",
            said,
        )
    if isinstance(error, errors.PermissionDenied):
        return Diagnosis(
            "permission",
            f"user {user_id} lacks a permission",
            "In Sage Intacct, open Company > Admin > Roles, edit the Web Services user's role and grant the "
            "permission Intacct names below (List and View to read, Add to post journal entries), or assign "
            "the Admin role.",
            said,
        )
    if isinstance(error, errors.EndpointNotAllowed):
        return Diagnosis(
            "endpoint_not_allowed",
            f"Nothing was sent (the request holds the sender password): {error.description}",
            "Set the workspace's endpoint to an allowed one (or empty for the default). If it really is an Intacct "
            "gateway, the operator adds it to INTACCT_BRIDGE_ALLOWED_ENDPOINTS (comma-separated) and restarts.",
        )
    if isinstance(error, errors.BadCredentials) and (error.layer == "control" or "partner id" in said.lower()):
        return Diagnosis(  # the control layer checks the sender before any company, user or password is read
            "bad_sender",
            f"Intacct refused this server's Web Services sender ID '{sender_id}' or its sender password",
            "The sender ID and sender password belong to the operator's configuration, not to the company's user: "
            "the operator sets INTACCT_SENDER_ID and INTACCT_SENDER_PASSWORD (both case-sensitive, as Sage gave "
            "them with the Web Services developer license) where the service runs, and restarts it. The "
            "company ID, user ID and user password were not checked yet.",
            said,
        )
    if isinstance(error, errors.TransientServerError) and not error.request_sent:
        return _unreachable(error, said)
    if isinstance(error, errors.BadCredentials):
        return Diagnosis(
            "bad_credentials",
            "Intacct refused the sign-in",
            f"Check the company ID ('{company_id}'), the user ID ('{user_id}') and the password of the Web "
            "Services user (created in Company > Admin > Web Services users; its password comes by email). "
            "If the sender password was changed, update the operator configuration. Then run "
            "`intacct-bridge connect` again.",
            said,
        )
    if error.transient or isinstance(error, errors.AmbiguousOutcome):
        return Diagnosis(
            "unavailable",
            "Intacct did not answer properly",
            "The gateway is busy or unreachable; wait a minute and try again. If it persists, check the "
            "endpoint URL in the workspace settings.",
            said,
        )
    return Diagnosis("error", "Intacct refused the request", "Read Intacct's message below.", said)


def _unreachable(error: errors.TransientServerError, said: str) -> Diagnosis:
    """No connection to the gateway: the URL tried, why, and what to check for that reason."""
    url, reason = error.url or "the gateway", error.reason or "the connection failed"
    if "DNS" in reason:
        fix = (f"Check the host name in {url} (the workspace's endpoint in its connection settings, or the "
               "operator's INTACCT_ENDPOINT / INTACCT_REST_BASE_URL) and that this server can resolve names.")
    elif "timed out" in reason:
        fix = (f"Check that this server may reach {url} (firewall, proxy, network) and try again; a gateway "
               "that is down answers again later.")
    elif "refused" in reason:
        fix = (f"Check the host and port of {url} (the workspace's endpoint, or the operator's INTACCT_ENDPOINT "
               "/ INTACCT_REST_BASE_URL): nothing accepts connections there.")
    else:
        fix = (f"Check {url} (the workspace's endpoint, or the operator's INTACCT_ENDPOINT / "
               "INTACCT_REST_BASE_URL) and this server's network access to it.")
    return Diagnosis("unreachable", f"Could not reach Intacct at {url}: {reason}", fix, said)


def _rest_diagnosis(error: errors.IntacctError, company_id: str, user_id: str, said: str) -> Diagnosis | None:
    """The sign-in problems only the REST API (OAuth) has, each with its fix."""
    client_id = getattr(error.context, "sender_id", None) or ""
    if isinstance(error, errors.ClientRefused):
        return Diagnosis(
            "bad_client", f"Intacct refused the OAuth client '{client_id}'",
            "Check the client ID and client secret of the app in the Sage App Registry (Sage Developer portal > "
            "your app > Credentials) and save them again with `intacct-bridge connect-rest` or in the console's "
            "connection settings; a secret that was regenerated there must be saved here too.", said)
    if isinstance(error, errors.AppNotAuthorized):
        return Diagnosis(
            "app_not_authorized", f"The app (client '{client_id}') is not authorized for company '{company_id}'",
            "An administrator of the company either adds the app's Web Services sender ID in Sage Intacct under "
            "Company > Setup > Company > Security > Web Services authorizations, or clicks Connect with Sage "
            "Intacct in the console and approves the app while signed in as an admin user. Then test again.", said)
    if isinstance(error, errors.RefreshTokenRefused):
        return Diagnosis(
            "connection_expired", f"The connection to company '{company_id}' has expired or was revoked",
            "Click Connect with Sage Intacct in the workspace's connection settings and sign in again (a refresh "
            "token lasts months, and ends when someone revokes the app's access in Intacct).", said)
    if isinstance(error, errors.EntityUnreachable):
        entity = getattr(error.context, "entity_id", None) or "the entity"
        return Diagnosis(
            "entity_unreachable", f"User '{user_id}' cannot reach entity '{entity}' of company '{company_id}'",
            "Check the entity ID in the workspace's connection settings (Company > Entities lists them), and in "
            "Sage Intacct give the user access to that entity (Company > Admin > Users > the user > Entity "
            "restrictions), or leave the entity empty to work at the top level.", said)
    return None


def intacct_message(error: errors.IntacctError) -> str:
    """Intacct's own words for an error (errorno, descriptions, correction), as the sync log keeps them."""
    parts = [error.errorno, error.description, error.description2, error.correction]
    return " ".join(p for p in parts if p)


def error_class(error: BaseException) -> ErrorClass:
    """The error queue's class of a failure (sync.review stores it on the record's flag).

    The client's error types decide first; a business-rule refusal is told apart by
    Intacct's words (a closed period, a number already in use).
    """
    if isinstance(error, (errors.SignInError, errors.EndpointNotAllowed)):
        return ErrorClass.CONNECTION
    if isinstance(error, errors.PermissionDenied):
        return ErrorClass.PERMISSION
    if isinstance(error, errors.RateLimited):
        return ErrorClass.RATE_LIMIT
    if isinstance(error, errors.IntacctError) and (error.transient or isinstance(error, errors.TransactionAborted)):
        return ErrorClass.TRANSIENT
    if isinstance(error, errors.IntacctError):
        return class_of_text(intacct_message(error) + " " + error.message())
    return ErrorClass.CONNECTION
