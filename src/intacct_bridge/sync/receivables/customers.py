"""Customers (seed 003 "How do you match customers?"): matched against Intacct's before any is created.

Before a run posts customers it reads Intacct's customers and matches each unposted one by the
workspace's strategy (name, first + last name, company name, or one catch-all customer). A match
is recorded as posted with Intacct's CUSTOMERID and nothing is written. A customer with no match
gets its CUSTOMERID now (prefix + the source's id), stored once and never changed, and is created
with its contact. A customer we created whose fields changed since is updated with only the
changed fields (`sync.master_data`: name, display contact, address); a matched one, or one
posted before its values were kept, whose name changed is renamed: an update of NAME only.
Customers are master data: written at the top level of a multi-entity company.

Source customers that share a key (two orders of one new customer under two guest ids, say) are
one customer in Intacct: the first is created, the others take its CUSTOMERID ("twins") and are
recorded as posted when it is, never written themselves (so they are not candidates; while the
first is not posted, their invoices wait for them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from intacct_bridge.domain.customer_match import customer_key, display_name, intacct_customer_key, new_customer_id
from intacct_bridge.domain.master_data import customer_values
from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.receivables import CREATED_BY_US, CustomerMatch, CustomerView
from intacct_bridge.domain.receivables_payloads import customer_rename
from intacct_bridge.domain.receivables_rules import validate_customer
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.intacct import functions as fn
from intacct_bridge.intacct.lookup import find_records
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Customer
from intacct_bridge.store.repositories.receivables import customer_view
from intacct_bridge.sync.kinds import BuildError, Checked, FindClient, Lookup, Outgoing, RunScope, Settled
from intacct_bridge.sync.master_data import changed_since_posted, find_master, master_outgoing, record_posted_values
from intacct_bridge.sync.master_readback import MasterReadsBack
from intacct_bridge.sync.receivables.stored import StoredKind

VALUE_FIELDS = ["NAME", "DISPLAYCONTACT.PRINTAS", "DISPLAYCONTACT.COMPANYNAME", "DISPLAYCONTACT.FIRSTNAME",
                "DISPLAYCONTACT.LASTNAME", "DISPLAYCONTACT.PHONE1", "DISPLAYCONTACT.EMAIL1",
                *(f"DISPLAYCONTACT.MAILADDRESS.{p}" for p in ("ADDRESS1", "ADDRESS2", "CITY", "STATE", "ZIP", "COUNTRY"))]
MATCH_FIELDS = ["CUSTOMERID", "NAME", "DISPLAYCONTACT.FIRSTNAME", "DISPLAYCONTACT.LASTNAME",
                "DISPLAYCONTACT.COMPANYNAME", "STATUS"]


def rename_operation(name: str) -> str:
    """A rename's operation: one per new name, so renaming twice writes twice and a retry writes once."""
    return "rename-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


class Customers(MasterReadsBack, StoredKind):
    name: ClassVar[str] = "customer"
    label: ClassVar[str] = "customers"
    model = Customer
    rules = staticmethod(validate_customer)
    to_view = staticmethod(customer_view)
    readback_object, readback_id_field, readback_id_column = "CUSTOMER", "CUSTOMERID", "customer_id"

    def readback_paths(self) -> list[str]:
        return VALUE_FIELDS
    top_level: ClassVar[bool] = True   # master data: written at the top level of a multi-entity company

    def candidate_filter(self, scope: RunScope) -> Any:
        """Unposted customers but twins (posted with the customer they share), posted ones renamed since, and
        the ones we created whose fields changed since."""
        unposted = and_(super().candidate_filter(scope),
                        or_(Customer.customer_id.is_(None), Customer.matched_by.is_(None),
                            Customer.matched_by == CREATED_BY_US))
        renamed = and_(Customer.workspace_id == scope.workspace_id, Customer.status == ActionStatus.POSTED.value,
                       Customer.posted_name.is_not(None), Customer.name != Customer.posted_name)
        if scope.only is not None:
            renamed = and_(renamed, Customer.id == scope.only[1])
        changed = and_(changed_since_posted(Customer, scope), Customer.matched_by == CREATED_BY_US)
        return or_(unposted, renamed, changed)

    def read_intacct(self, client: FindClient, store: Store, scope: RunScope, dry_run: bool) -> int:
        """Match unposted customers with Intacct's; give the rest their CUSTOMERID. Returns how many matched."""
        with store.session() as session:
            pending = list(session.scalars(select(Customer).where(
                Customer.workspace_id == scope.workspace_id, Customer.status != ActionStatus.POSTED.value,
                Customer.customer_id.is_(None))))
            if not pending:
                return 0
            found = self._intacct_ids(client, [customer_view(c) for c in pending])
        strategy = self.settings.customer_match
        matched = 0
        with store.write_session() as session:
            creating = self._being_created(session, scope.workspace_id)
            for customer in session.scalars(select(Customer).where(Customer.id.in_([c.id for c in pending]))
                                            .order_by(Customer.id)):
                if customer.customer_id is not None:
                    continue
                intacct_id = found.get(customer.id)
                key = customer_key(customer_view(customer), strategy)
                if intacct_id is not None:
                    customer.customer_id, customer.matched_by = intacct_id, strategy.value
                    customer.status, customer.intacct_key = ActionStatus.POSTED.value, intacct_id
                    customer.posted_name, customer.last_error = customer.name, None
                    matched += 1
                elif key is not None and key in creating:  # a twin: one customer in Intacct, created once
                    customer.customer_id, customer.matched_by = creating[key], strategy.value
                elif strategy is not CustomerMatch.CATCH_ALL:
                    customer.customer_id = new_customer_id(customer.external_id, self.settings.customer_id_prefix)
                    customer.matched_by = CREATED_BY_US
                    if key is not None:
                        creating[key] = customer.customer_id
        return matched

    def _intacct_ids(self, client: FindClient, customers: list[CustomerView]) -> dict[int, str]:
        """Customer id -> CUSTOMERID of the Intacct customer it matches (catch-all: the one customer)."""
        strategy = self.settings.customer_match
        if strategy is CustomerMatch.CATCH_ALL:
            wanted = self.settings.catch_all_customer_id
            if not wanted or not find_records(client, "CUSTOMER", "CUSTOMERID", [wanted]):
                return {}  # validation names the missing or unknown catch-all customer
            return {c.id: wanted for c in customers}
        keys: dict[str, str] = {}
        for row in client.iter_query("CUSTOMER", MATCH_FIELDS, page_size=2000):
            key = intacct_customer_key(row, strategy)
            if key and key not in keys and row.get("STATUS", "active") == "active":
                keys[key] = str(row["CUSTOMERID"])
        return {c.id: keys[k] for c in customers if (k := customer_key(c, strategy)) and k in keys}

    def _being_created(self, session: Session, workspace_id: int) -> dict[str, str]:
        """Key -> CUSTOMERID of the customers we gave an id to and have not seen posted yet."""
        rows = session.scalars(select(Customer).where(
            Customer.workspace_id == workspace_id, Customer.status != ActionStatus.POSTED.value,
            Customer.matched_by == CREATED_BY_US, Customer.customer_id.is_not(None)).order_by(Customer.id))
        creating: dict[str, str] = {}
        for customer in rows:
            key = customer_key(customer_view(customer), self.settings.customer_match)
            if key is not None:
                creating.setdefault(key, customer.customer_id)
        return creating

    def check(self, view: CustomerView) -> Checked:
        reasons = list(validate_customer(view, self.settings))
        if view.customer_id is None and not reasons:
            reasons.append(Reason("customer_id", self._no_id_reason()))
        return Checked(view.id, view, tuple(reasons))

    def _no_id_reason(self) -> str:
        if self.settings.customer_match is CustomerMatch.CATCH_ALL:
            wanted = self.settings.catch_all_customer_id
            return (f"the catch-all customer {wanted!r} does not exist in Sage Intacct: create it there or choose "
                    "another in the order-to-cash settings") if wanted else \
                "no catch-all customer is set: set catch_all_customer_id in the order-to-cash settings"
        return "no CUSTOMERID yet: it is given when the customer is matched or created at the next sync"

    def write(self, checked: Checked, scope: RunScope) -> Outgoing:
        view: CustomerView = checked.view
        assert view.customer_id is not None
        name = display_name(view)
        if view.posted_name is not None and not name:
            raise BuildError([Reason("name", "a customer cannot be renamed to nothing: set its name")])
        if view.posted_values is None and view.posted_name is not None:  # matched, or posted before values were kept
            return Outgoing(view.id, fn.Update("CUSTOMER", customer_rename(view.customer_id, name), controlid=""),
                            reference=view.customer_id, operation=rename_operation(name),
                            summary={"customer_id": view.customer_id, "name": name})
        return master_outgoing(view.id, "CUSTOMER", "CUSTOMERID", view.customer_id, customer_values(view),
                               view.posted_values)

    def find(self, client: FindClient, lookups: Sequence[Lookup]) -> dict[str, str]:
        """A create is found by its CUSTOMERID; an update once Intacct shows its values, a rename its name."""
        renames = [lookup for lookup in lookups if lookup.operation.startswith("rename-")]
        found = find_master(client, "CUSTOMER", "CUSTOMERID",
                            VALUE_FIELDS, [lookup for lookup in lookups if lookup not in renames])
        rows = find_records(client, "CUSTOMER", "CUSTOMERID", [lookup.reference for lookup in renames], ["NAME"])
        for lookup in renames:
            row = rows.get(lookup.reference)
            if row is not None and (lookup.summary or {}).get("name") == row.get("NAME"):
                found[lookup.reference] = lookup.reference
        return found

    def record(self, session: Session, settled: Sequence[Settled], now: Any) -> None:
        """A customer's Intacct key is its CUSTOMERID; the name it was posted under is kept to spot renames."""
        super().record(session, settled, now)
        done = [s.record_id for s in settled if s.outcome in ("posted", "already_posted")]
        if done:
            session.execute(update(Customer).where(Customer.id.in_(done))
                            .values(intacct_key=Customer.customer_id, posted_name=Customer.name))
            record_posted_values(session, Customer, self.name, settled, only=Customer.matched_by == CREATED_BY_US)
            self._post_twins(session, done, now)

    @staticmethod
    def _post_twins(session: Session, done: list[int], now: Any) -> None:
        """The twins of customers just created are that customer too: recorded as posted with it."""
        created: dict[int, set[str]] = {}
        for workspace_id, customer_id in session.execute(select(Customer.workspace_id, Customer.customer_id).where(
                Customer.id.in_(done), Customer.matched_by == CREATED_BY_US)):
            created.setdefault(workspace_id, set()).add(customer_id)
        for workspace_id, customer_ids in created.items():
            session.execute(update(Customer).where(
                Customer.workspace_id == workspace_id, Customer.customer_id.in_(customer_ids),
                Customer.status != ActionStatus.POSTED.value, Customer.matched_by != CREATED_BY_US).values(
                status=ActionStatus.POSTED.value, intacct_key=Customer.customer_id, posted_name=Customer.name,
                posted_at=now, last_error=None), execution_options={"synchronize_session": False})
