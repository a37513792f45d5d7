"""Function handlers, one per function element (ARCHITECTURE §1.2)."""

from __future__ import annotations

from .base import CallContext, ErrorInfo, FunctionFailure, FunctionOutcome, Handler
from .registry import HANDLERS

__all__ = ["HANDLERS", "CallContext", "ErrorInfo", "FunctionFailure", "FunctionOutcome", "Handler"]
