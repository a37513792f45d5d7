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
from intacct_emulator.responses import result_element

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


class Dispatcher:
    def __init__(self, backend: Any, functions: FunctionSet) -> None:
        self.backend = backend
        self.functions = functions

    def run(
        self,
        conn: sqlite3.Connection,
        request: Request,
        principal: Principal,
        *,
        now: datetime,
        endpoint: str,
        session_minutes: float,
        idempotency_mode: str,
        counts: Counter[str],
    ) -> list[etree._Element]:
        """Run every function of `request`; return their `<result>`s in order and bill them into `counts`."""
        context = self.functions.context(
            backend=self.backend, conn=conn, company_id=principal.company_id, user=principal.user,
            entity_id=principal.entity_id, now=now, endpoint=endpoint,
        )

        def run_one(call: FunctionCall) -> _Ran:
            return self._run_one(conn, call, context, principal, request.control.uniqueid, idempotency_mode,
                                 now, session_minutes, counts)

        if not request.transaction:
            ran = [run_one(call) for call in request.functions]
        else:
            ran = self._all_or_nothing(conn, request, run_one)
        for item in ran:
            status = item.result.findtext("status")
            counts["api_transactions"] += item.billable if item.ok else 1
            counts[{"success": "functions_succeeded", "aborted": "functions_aborted"}.get(status, "functions_failed")] += 1
        return [item.result for item in ran]

    def _all_or_nothing(self, conn: sqlite3.Connection, request: Request, run_one: Callable[[FunctionCall], _Ran]) -> list[_Ran]:
        ran: list[_Ran] = []
        try:
            with self.backend.savepoint(conn):
                for index, call in enumerate(request.functions):
                    item = run_one(call)
                    if not item.ok:
                        raise _RollBack(index, item)
                    ran.append(item)
        except _RollBack as rollback:
            aborted = errortexts.transaction_aborted()
            ran = [_Ran(result_element("aborted", call.name, call.controlid, errors=[aborted]), False, 1)
                   for call in request.functions]
            failed = rollback.ran.result
            failed.find("errormessage").append(E.error(E.errorno(aborted.errorno), E.description(aborted.description)))
            ran[rollback.index] = _Ran(failed, False, 1)
        return ran

    def _run_one(
        self, conn: sqlite3.Connection, call: FunctionCall, context: Any, principal: Principal,
        uniqueid: bool, idempotency_mode: str, now: datetime, session_minutes: float, counts: Counter[str],
    ) -> _Ran:
        remember = uniqueid and bool(call.controlid)  # an empty controlid identifies nothing
        if remember:
            previous = wirestate.executed_result(conn, principal.company_id, call.controlid)
            if previous is not None:
                counts["duplicates"] += 1
                if idempotency_mode == "replay":
                    return _Ran(previous, True, 0)
                return self._failure(call, [errortexts.duplicate_controlid(call.controlid)])
        try:
            with self.backend.savepoint(conn):
                if call.name == "getAPISession":
                    children, billable = self._open_session(conn, call, principal, now, context.endpoint, session_minutes)
                else:
                    outcome = self.functions.handlers[call.name](context, call.element)
                    children, billable = outcome.children, outcome.billable
                result = result_element("success", call.name, call.controlid, children)
                if remember:
                    wirestate.remember_result(conn, principal.company_id, call.controlid, call.name, result, now.timestamp())
            return _Ran(result, True, billable)
        except (self.functions.failure, WireFunctionFailure) as failure:
            return self._failure(call, list(failure.errors))
        except Exception:
            log.exception("function <%s> controlid=%r raised an unexpected error", call.name, call.controlid)
            return self._failure(call, [errortexts.internal_error()])

    @staticmethod
    def _failure(call: FunctionCall, errors: list[Any]) -> _Ran:
        return _Ran(result_element("failure", call.name, call.controlid, errors=errors), False, 1)

    def _open_session(
        self, conn: sqlite3.Connection, call: FunctionCall, principal: Principal, now: datetime,
        endpoint: str, minutes: float,
    ) -> tuple[list[etree._Element], int]:
        """getAPISession (reference §2): absent locationid keeps the caller's entity, empty means top level."""
        location = call.element.find("locationid")
        entity_id = principal.entity_id if location is None else (location.text or "").strip() or None
        if entity_id and self.backend.entity(conn, principal.company_id, entity_id) is None:
            raise WireFunctionFailure(errortexts.unknown_entity(entity_id, principal.company_id))
        session = sessions.create(conn, principal.company_id, principal.user.user_id, entity_id, now, minutes)
        api = E.api(E.sessionid(session.sessionid), E.endpoint(endpoint), E.locationid(entity_id or ""))
        return [E.data(api)], 0
