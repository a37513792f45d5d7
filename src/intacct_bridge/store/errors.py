"""Errors the store raises for things a user can fix. Their text is shown as is (no secrets in it)."""

from __future__ import annotations


class StoreError(Exception):
    """Base: a problem with what was asked of the store, explained in plain words."""


class NotFound(StoreError):
    pass


class Conflict(StoreError):
    pass


class RunLocked(StoreError):
    """Another run holds the workspace's lock."""


class EndpointRefused(Conflict):
    """An Intacct endpoint outside the operator's allow-list (INTACCT_BRIDGE_ALLOWED_ENDPOINTS)."""
