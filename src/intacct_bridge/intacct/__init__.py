"""The Intacct XML gateway client: sessions, batched functions, pagination, typed errors, safe retries.

See docs/ARCHITECTURE.md §2 for the public API.
"""

from . import errors, functions, query
from .async_client import AsyncIntacctClient
from .client import IntacctClient
from .credentials import ClientConfig, Credentials
from .responses import Response, Result
from .usage import UsageStats

__all__ = [
    "AsyncIntacctClient",
    "ClientConfig",
    "Credentials",
    "IntacctClient",
    "Response",
    "Result",
    "UsageStats",
    "errors",
    "functions",
    "query",
]
