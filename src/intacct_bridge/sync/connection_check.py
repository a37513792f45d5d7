"""`test-connection`: sign in, then try each read a sync needs, and explain any failure.

A sign-in failure (wrong credentials, sender not authorized, Web Services not
subscribed, IP filter) stops the check, since nothing else can run. A missing
read permission is reported per object and the other checks go on, so one
run of the command lists everything the administrator must grant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.vocabulary import Dimension
from intacct_bridge.intacct import errors
from intacct_bridge.intacct import query as q
from intacct_bridge.store.database import Store
from intacct_bridge.store.repositories import reference
from intacct_bridge.sync.context import ClientFactory, load_context
from intacct_bridge.sync.diagnosis import (
    Diagnosis,
    diagnose,
    intacct_message,
    missing_read_permission,
    permission_path,
)
from intacct_bridge.sync.pull import streams_for


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""
    diagnosis: Diagnosis | None = None


@dataclass
class ConnectionReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def problems(self) -> list[Diagnosis]:
        return [c.diagnosis for c in self.checks if c.diagnosis is not None]

    def summary(self) -> str:
        if self.ok:
            return "connected: every check passed"
        return "; ".join(str(d) for d in self.problems) or "failed"


@dataclass
class _Who:
    sender_id: str
    company_id: str
    user_id: str


def check_connection(make_client: ClientFactory, settings: SyncSettings,
                     entities: Sequence[str] = ()) -> ConnectionReport:
    """Run every check with one client; never raises for an Intacct error.

    `entities`: those the workspace posts to (seeds 001, 004 "User entities"): each must let the user sign in.
    """
    report = ConnectionReport()
    with make_client() as client:
        creds = client.credentials
        who = _Who(getattr(creds, "sender_id", None) or getattr(creds, "client_id", ""), creds.company_id,
                   creds.user_id)  # over REST the OAuth client stands where the sender does
        for stream in streams_for(settings):
            name = f"read {stream.label}"
            try:
                stream.first_page(client)
            except errors.SignInError as exc:
                report.checks.append(Check("sign in", False, "", _diagnose(exc, who)))
                return report
            except errors.PermissionDenied:
                optional = stream.spec.dimension is not Dimension.ACCOUNT
                report.checks.append(Check(name, False, "", missing_read_permission(
                    who.user_id, stream.label, stream.spec.intacct_object, optional)))
                continue
            except errors.IntacctError as exc:
                report.checks.append(Check(name, False, "", _diagnose(exc, who)))
                return report
            if not report.checks:
                report.checks.append(Check("sign in", True, f"{who.user_id} at {who.company_id}"))
            report.checks.append(Check(name, True))
        report.checks.append(_journal_check(client, settings.journal, who))
        report.checks.append(_entries_check(client, who))
        report.checks += [_entity_check(client, entity, who) for entity in entities]
    return report


def check_workspace(store: Store, workspace_id: int, make_client: ClientFactory) -> ConnectionReport:
    """`check_connection` with the workspace's settings and the entities it posts to (CLI, API and web)."""
    settings = load_context(store, workspace_id).settings
    with store.session() as session:
        entities = reference.entities_in_use(session, workspace_id)
    return check_connection(make_client, settings, entities)


def _entity_check(client, entity: str, who: _Who) -> Check:
    """Open a session at the entity (one cheap read there): a user without access to it is refused at sign-in."""
    name = f"reach entity {entity}"
    try:
        next(iter(client.iter_query("LOCATIONENTITY", ["LOCATIONID"], page_size=1, entity=entity)), None)
    except errors.SignInError as exc:
        return Check(name, False, "", Diagnosis(
            "entity", f"user {who.user_id} cannot reach entity {entity}",
            f"Give the Web Services user access to entity {entity} in Sage Intacct (Company > Admin > Users, "
            f"entity access), or stop posting there: change the default entity or the records naming {entity}.",
            intacct_message(exc)))
    except errors.IntacctError as exc:
        return Check(name, False, "", _diagnose(exc, who))
    return Check(name, True)


def _diagnose(exc: errors.IntacctError, who: _Who) -> Diagnosis:
    return diagnose(exc, sender_id=who.sender_id, company_id=who.company_id, user_id=who.user_id)


def _journal_check(client, journal: str, who: _Who) -> Check:
    name = f"journal {journal}"
    try:
        rows = list(client.iter_query("GLJOURNAL", ["SYMBOL", "STATUS"], filter=q.eq("SYMBOL", journal), page_size=1))
    except errors.PermissionDenied:
        return Check(name, False, "", missing_read_permission(who.user_id, "Journals", "GLJOURNAL", False))
    except errors.IntacctError as exc:
        return Check(name, False, "", _diagnose(exc, who))
    if not rows:
        return Check(name, False, "", Diagnosis("journal", f"journal {journal} does not exist in Intacct",
                                                "Set the journal symbol in the workspace settings to one listed "
                                                "under General Ledger > Journals (e.g. GJ)."))
    if (rows[0].get("STATUS") or "active").lower() != "active":
        return Check(name, False, "", Diagnosis("journal", f"journal {journal} is inactive in Intacct",
                                                "Reactivate it in General Ledger > Journals or choose another."))
    return Check(name, True)


def _entries_check(client, who: _Who) -> Check:
    """Reading journal entries is how an uncertain post is settled; without it exactly-once cannot be proven."""
    try:
        next(iter(client.iter_query("GLBATCH", ["RECORDNO"], page_size=1)), None)
    except errors.PermissionDenied:
        return Check("read Journal Entries", False, "", Diagnosis(
            "permission", f"user {who.user_id} cannot read journal entries",
            f"Grant List, View and Add on {permission_path('GLBATCH')} to the Web Services user's role."))
    except errors.IntacctError as exc:
        return Check("read Journal Entries", False, "", _diagnose(exc, who))
    return Check("read Journal Entries", True)
