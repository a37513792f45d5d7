"""HANDLERS: function element tag -> handler."""

from __future__ import annotations

from .base import Handler

HANDLERS: dict[str, Handler] = {}
