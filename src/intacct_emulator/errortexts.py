"""The gateway's own error answers, with the texts of ARCHITECTURE.md §1.5.

Texts marked verified there come from the reference §8; the rest are ours
(the reference says UNVERIFIED) and are shared with the client so both sides agree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WireError:
    """One `<error>`; shaped like the backend's `ErrorInfo` so responses can hold either."""

    errorno: str
    description: str | None = None
    description2: str | None = None
    correction: str | None = None


def bad_sender() -> WireError:
    return WireError("XL03000006", "Incorrect Intacct XML Partner ID or password.")


def sender_not_authorized(sender_id: str, company_id: str) -> WireError:
    return WireError(
        "XL03000006",
        "Invalid Web Services Authorization",
        f"The sender ID '{sender_id}' is not authorized to make Web Services requests to company ID '{company_id}'.",
        "Contact the company administrator to grant Web Services authorization to this sender ID.",
    )


def schema_error(what: str) -> WireError:
    return WireError("XL03000003", f"XML Parse schema error: {what}")


def body_too_large(limit: int) -> WireError:
    return schema_error(f"request body exceeds {limit} bytes")


def bad_sign_in(detail: str | None = None) -> WireError:
    return WireError("XL03000006", "Sign-in information is incorrect", detail)


def web_services_not_subscribed(company_id: str) -> WireError:
    return WireError(
        "XL03000006",
        "Web Services subscription required",
        f"Company '{company_id}' is not subscribed to Web Services.",
        "Subscribe to Web Services in Company > Admin > Subscriptions, then authorize the sender ID.",
    )


def ip_not_allowed(address: str, company_id: str) -> WireError:
    return WireError(
        "XL03000006",
        "Sign-in blocked by IP filter",
        f"The address {address} is not allowed to sign in to company '{company_id}'.",
        "Add this address to the allowed IP ranges in Company > Setup > Company > Security.",
    )


def invalid_session() -> WireError:
    return WireError(
        "XL03000006",
        "Invalid session",
        "The session ID is invalid or has expired.",
        "Log in again to get a new session.",
    )


def rate_limited(company_id: str, limit: int) -> WireError:
    return WireError(
        "GW-0010",
        "Rate limit exceeded",
        f"Too many concurrent requests for company '{company_id}' (limit {limit}).",
    )


def duplicate_controlid(controlid: str) -> WireError:
    return WireError(
        "XL03000013",
        "Duplicate control ID",
        f"A function with control ID '{controlid}' was already executed for this company.",
    )


def transaction_aborted() -> WireError:
    return WireError("XL03000009", "The entire transaction in this operation has been rolled back due to an error.")


def internal_error() -> WireError:
    """DL02000001 as the old SDK fixture shows it (reference §8)."""
    return WireError("DL02000001", "Error", "There was an error processing the request.")


def entity_not_permitted(user_id: str, locationid: str | None, company_id: str) -> WireError:
    """Ours (UNVERIFIED: the reference has no text): a user whose entity access leaves out this entity."""
    where = f"entity '{locationid}'" if locationid else "the top level"
    return WireError(
        "XL03000006",
        "Invalid location",
        f"User '{user_id}' does not have access to {where} of company '{company_id}'.",
        "Give the user access to this entity in Company > Admin > Users (Entity access), or use an entity it may reach.",
    )


def unknown_entity(locationid: str, company_id: str) -> WireError:
    """Ours: the reference has no text for a login or session at an entity that does not exist."""
    return WireError(
        "XL03000006",
        "Invalid location",
        f"Entity '{locationid}' does not exist in company '{company_id}'.",
        "Use a location ID of an entity (LOCATIONENTITY) of this company, or an empty one for the top level.",
    )
