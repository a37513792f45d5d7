"""The Sage Intacct REST API (`/ia/api/v1`) beside the XML gateway, on the same backend (ARCHITECTURE.md §1.7).

A wire layer only: OAuth 2.0 tokens, JSON envelopes, the object map onto the
backend's objects, the query service, batch and composite requests and
idempotency keys. Records are written through the same rules as the XML
functions, so a record written on one wire is read on the other.
"""

from .endpoint import routes
from .tables import create_tables, seed_demo_clients

__all__ = ["create_tables", "routes", "seed_demo_clients"]
