"""The Intacct clients: the XML gateway and the REST API behind one interface; typed errors, safe retries.

See docs/ARCHITECTURE.md §2 for the public API.
"""

from . import errors, functions, query
from .async_client import AsyncIntacctClient
from .client import IntacctClient
from .credentials import ClientConfig, Credentials
from .oauth import RestCredentials
from .responses import Response, Result
from .rest_client import RestClient
from .usage import UsageStats

__all__ = [
    "AsyncIntacctClient",
    "ClientConfig",
    "Credentials",
    "IntacctClient",
    "Response",
    "RestClient",
    "RestCredentials",
    "Result",
    "UsageStats",
    "errors",
    "functions",
    "query",
]
