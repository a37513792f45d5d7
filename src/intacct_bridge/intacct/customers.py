"""Builders for CUSTOMER create/update with its contacts (display, bill-to, ship-to).

A contact block is either inline details (`ContactDetails`) or the name of an
existing CONTACT (a plain str, for BILLTO/SHIPTO). CUSTOMERID identifies the
customer on update and cannot change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .functions import Create, Update


@dataclass(frozen=True)
class ContactDetails:
    """A contact's details as Intacct's contact blocks hold them."""

    print_as: str | None = None
    company_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None
    contact_name: str | None = None  # the CONTACT record's name; Intacct derives one when left out

    def to_record(self) -> dict[str, Any]:
        address = {k: v for k, v in (("ADDRESS1", self.address1), ("ADDRESS2", self.address2),
                                     ("CITY", self.city), ("STATE", self.state), ("ZIP", self.zip),
                                     ("COUNTRY", self.country)) if v is not None}
        fields = {"CONTACTNAME": self.contact_name, "PRINTAS": self.print_as, "COMPANYNAME": self.company_name,
                  "FIRSTNAME": self.first_name, "LASTNAME": self.last_name, "EMAIL1": self.email,
                  "PHONE1": self.phone, "MAILADDRESS": address or None}
        return {k: v for k, v in fields.items() if v is not None}


def _block(value: ContactDetails | str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"CONTACTNAME": value} if isinstance(value, str) else value.to_record()


def customer_record(customer_id: str, *, name: str | None = None, display: ContactDetails | None = None,
                    bill_to: ContactDetails | str | None = None, ship_to: ContactDetails | str | None = None,
                    active: bool | None = None, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A CUSTOMER record for create or update; fields left None are not sent (an update leaves them as they are)."""
    record = {"CUSTOMERID": customer_id, "NAME": name, "DISPLAYCONTACT": _block(display),
              "BILLTO": _block(bill_to), "SHIPTO": _block(ship_to),
              "STATUS": None if active is None else ("active" if active else "inactive"), **(extra or {})}
    return {k: v for k, v in record.items() if v is not None}


def create_customer(customer_id: str, name: str, *, controlid: str, **details: Any) -> Create:
    """Generic `create` CUSTOMER; a CUSTOMERID that exists already is refused (BL34000061)."""
    return Create("CUSTOMER", customer_record(customer_id, name=name, **details), controlid=controlid)


def update_customer(customer_id: str, *, controlid: str, **changes: Any) -> Update:
    """Generic `update` CUSTOMER identified by CUSTOMERID; only the given fields change."""
    return Update("CUSTOMER", customer_record(customer_id, **changes), controlid=controlid)
