"""Running the functions of one authenticated operation (reference §1.2 results, §6).

Each function runs in its own savepoint of the request's backend transaction,
together with its idempotency record, so a failed function leaves nothing
behind and a successful one is remembered atomically with its effects.
`transaction="true"` wraps them all in one more savepoint: the first failure
rolls everything back, the failing function answers its errors plus
`XL03000009`, every other one `aborted` + `XL03000009`.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree
from lxml.builder import E

from intacct_emulator import errortexts, sessions, wirestate
from intacct_emulator.envelope import FunctionCall, Request
from intacct_emulator.errortexts import WireError
from intacct_emulator.responses import errormessage, result_element

log = logging.getLogger("intacct_emulator.dispatch")


class WireFunctionFailure(Exception):
    """A function failure raised by the wire layer's own function (getAPISession)."""

    def __init__(self, *errors: WireError) -> None:
        super().__init__(errors[0].description if errors else "failure")
        self.errors = list(errors)


@dataclass(frozen=True)
class FunctionSet:
    """The backend's handler contract (ARCHITECTURE.md §1.2), injectable for tests."""

    handlers: Mapping[str, Callable[[Any, etree._Element], Any]]
    failure: type[Exception]
    context: Callable[..., Any]

    @classmethod
    def load(cls) -> FunctionSet:
        from intacct_emulator.functions import HANDLERS, CallContext, FunctionFailure

        return cls(HANDLERS, FunctionFailure, CallContext)

    def known(self) -> frozenset[str]:
        return frozenset(self.handlers) | {"getAPISession"}


@dataclass(frozen=True)
class Principal:
    """Who runs the functions: the result of authentication."""

    company_id: str
    user: Any
    entity_id: str | None


@dataclass
class _Ran:
    result: etree._Element
    ok: bool
    billable: int


class _RollBack(Exception):
    def __init__(self, index: int, ran: _Ran) -> None:
        super().__init__("transaction rolled back")
        self.index = index
        self.ran = ran


@dataclass(frozen=True)
class RunSettings:
    """Per-request facts the functions run under."""

    now: datetime
    endpoint: str
    uniqueid: bool
    idempotency_mode: str
    session_minutes: float


class Dispatcher:
    def __init__(self, backend: Any, functions: FunctionSet) -> None:
        self.backend = backend
        self.functions = functions

    def run(
        self, conn: sqlite3.Connection, request: Request, principal: Principal, settings: RunSettings,
        counts: Counter[str],
    ) -> list[etree._Element]:
        """Run every function of `request`; return their `<result>`s in order and bill them into `counts`."""
        run = _OperationRun(self, conn, principal, settings, counts)
        ran = run.all_or_nothing(request.functions) if request.transaction else [run.one(c) for c in request.functions]
        for item in ran:
            status = item.result.findtext("status")
            counts["api_transactions"] += item.billable if item.ok else 1
            counts[{"success": "functions_succeeded", "aborted": "functions_aborted"}.get(status, "functions_failed")] += 1
        return [item.result for item in ran]

    def open_session(
        self, conn: sqlite3.Connection, call: FunctionCall, principal: Principal, settings: RunSettings
    ) -> tuple[list[etree._Element], int]:
        """getAPISession (reference §2): absent locationid keeps the caller's entity, empty means top level."""
        location = call.element.find("locationid")
        entity_id = principal.entity_id if location is None else (location.text or "").strip() or None
        if entity_id and self.backend.entity(conn, principal.company_id, entity_id) is None:
            raise WireFunctionFailure(errortexts.unknown_entity(entity_id, principal.company_id))
        if not principal.user.may_reach(entity_id):
            raise WireFunctionFailure(errortexts.entity_not_permitted(principal.user.user_id, entity_id,
                                                                      principal.company_id))
        session = sessions.create(conn, principal.company_id, principal.user.user_id, entity_id, settings.now,
                                  settings.session_minutes)
        api = E.api(E.sessionid(session.sessionid), E.endpoint(settings.endpoint), E.locationid(entity_id or ""))
        return [E.data(api)], 0


class _OperationRun:
    """The functions of one operation, run against one open transaction."""

    def __init__(self, dispatcher: Dispatcher, conn: sqlite3.Connection, principal: Principal,
                 settings: RunSettings, counts: Counter[str]) -> None:
        self.dispatcher = dispatcher
        self.backend = dispatcher.backend
        self.functions = dispatcher.functions
        self.conn = conn
        self.principal = principal
        self.settings = settings
        self.counts = counts
        self.context = self.functions.context(
            backend=self.backend, conn=conn, company_id=principal.company_id, user=principal.user,
            entity_id=principal.entity_id, now=settings.now, endpoint=settings.endpoint,
        )

    def all_or_nothing(self, calls: tuple[FunctionCall, ...]) -> list[_Ran]:
        """transaction="true": the first failure rolls back every function of the operation."""
        ran: list[_Ran] = []
        try:
            with self.backend.savepoint(self.conn):
                for index, call in enumerate(calls):
                    item = self.one(call)
                    if not item.ok:
                        raise _RollBack(index, item)
                    ran.append(item)
        except _RollBack as rollback:
            aborted = errortexts.transaction_aborted()
            ran = [_Ran(result_element("aborted", call.name, call.controlid, errors=[aborted]), False, 1)
                   for call in calls]
            failed = rollback.ran.result
            failed.find("errormessage").extend(errormessage([aborted]))
            ran[rollback.index] = _Ran(failed, False, 1)
        return ran

    def one(self, call: FunctionCall) -> _Ran:
        """One function in its own savepoint, with its idempotency record when uniqueid applies."""
        company_id = self.principal.company_id
        remember = self.settings.uniqueid and bool(call.controlid)  # an empty controlid identifies nothing
        if remember:
            previous = wirestate.executed_result(self.conn, company_id, call.controlid)
            if previous is not None:
                self.counts["duplicates"] += 1
                if self.settings.idempotency_mode == "replay":
                    return _Ran(previous, True, 0)
                return _failure(call, [errortexts.duplicate_controlid(call.controlid)])
        try:
            with self.backend.savepoint(self.conn):
                if call.name == "getAPISession":
                    children, billable = self.dispatcher.open_session(self.conn, call, self.principal, self.settings)
                else:
                    outcome = self.functions.handlers[call.name](self.context, call.element)
                    children, billable = outcome.children, outcome.billable
                result = result_element("success", call.name, call.controlid, children)
                if remember:
                    wirestate.remember_result(self.conn, company_id, call.controlid, call.name, result,
                                              self.settings.now.timestamp())
            return _Ran(result, True, billable)
        except (self.functions.failure, WireFunctionFailure) as failure:
            return _failure(call, list(failure.errors))
        except Exception:
            log.exception("function <%s> controlid=%r raised an unexpected error", call.name, call.controlid)
            return _failure(call, [errortexts.internal_error()])


def _failure(call: FunctionCall, errors: list[Any]) -> _Ran:
    return _Ran(result_element("failure", call.name, call.controlid, errors=errors), False, 1)
