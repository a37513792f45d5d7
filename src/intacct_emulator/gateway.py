"""The layered checks of one validated request, inside one backend transaction.

Order (reference §1.2, ARCHITECTURE.md §1.5): control level (sender ID and
password, then the sender's authorization for the company), authentication
level (company, user and password or session; Web Services subscription; IP
filter; entity), then the functions. Runs on a worker thread: everything here
is blocking SQLite work.
"""

from __future__ import annotations

import hmac
import ipaddress
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from intacct_emulator import errortexts, sessions, usage
from intacct_emulator.config import EmulatorConfig
from intacct_emulator.dispatch import Dispatcher, FunctionSet, Principal, RunSettings
from intacct_emulator.envelope import LoginAuth, Request, SessionAuth
from intacct_emulator.errortexts import WireError
from intacct_emulator.responses import AuthBlock, authentication_failure, control_failure, operation_response


@dataclass(frozen=True)
class Exchange:
    """One parsed request and the facts of its arrival."""

    request: Request
    client_ip: str
    endpoint: str
    now: datetime
    fault: str | None = None  # the fault drawn for this request, if any


class _AuthFailed(Exception):
    def __init__(self, block: AuthBlock, error: WireError) -> None:
        super().__init__(error.description)
        self.block = block
        self.error = error


def _same_secret(expected: str | None, given: str) -> bool:
    return expected is not None and hmac.compare_digest(expected.encode(), given.encode())


def _ip_allowed(address: str, allowed: list[str] | None) -> bool:
    """`allowed` None means any address; entries are addresses or CIDR ranges."""
    if allowed is None:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(entry, strict=False) for entry in allowed)


class Gateway:
    def __init__(self, backend: Any, functions: FunctionSet) -> None:
        self.backend = backend
        self.dispatcher = Dispatcher(backend, functions)

    def process(self, exchange: Exchange, config: EmulatorConfig) -> bytes:
        """Answer one request; its effects, session changes and usage commit together."""
        counts: Counter[str] = Counter(requests=1, faults_injected=int(exchange.fault is not None))
        with self.backend.transaction() as conn:
            company_id, body = self._answer(conn, exchange, config, counts)
            usage.add(conn, company_id, counts)
        return body

    def _answer(
        self, conn: sqlite3.Connection, exchange: Exchange, config: EmulatorConfig, counts: Counter[str]
    ) -> tuple[str | None, bytes]:
        request = exchange.request
        control = request.control
        sender = self.backend.sender(conn, control.senderid)
        if sender is None or not _same_secret(sender.password, control.password):
            counts["control_failures"] += 1
            return self._company_named(conn, request), control_failure(control.echo, [errortexts.bad_sender()])
        if exchange.fault == "session_expiry" and isinstance(request.auth, SessionAuth):
            sessions.drop(conn, request.auth.sessionid)
        company_id = self._company_named(conn, request)
        if company_id is not None and self.backend.company(conn, company_id) is not None:
            if not self.backend.sender_authorized(conn, control.senderid, company_id):
                counts["control_failures"] += 1
                error = errortexts.sender_not_authorized(control.senderid, company_id)
                return company_id, control_failure(control.echo, [error])
        try:
            principal, block = self._authenticate(conn, exchange, config)
        except _AuthFailed as failed:
            counts["authentication_failures"] += 1
            return company_id, authentication_failure(control.echo, failed.block, [failed.error])
        settings = RunSettings(exchange.now, exchange.endpoint, control.uniqueid, config.idempotency_mode,
                               config.session_minutes)
        results = self.dispatcher.run(conn, request, principal, settings, counts)
        return company_id, operation_response(control.echo, block, results)

    @staticmethod
    def _company_named(conn: sqlite3.Connection, request: Request) -> str | None:
        if isinstance(request.auth, LoginAuth):
            return request.auth.companyid
        return sessions.company_of(conn, request.auth.sessionid)

    def _authenticate(
        self, conn: sqlite3.Connection, exchange: Exchange, config: EmulatorConfig
    ) -> tuple[Principal, AuthBlock]:
        auth = exchange.request.auth
        if isinstance(auth, LoginAuth):
            return self._login(conn, auth, exchange, config)
        return self._resume(conn, auth, exchange, config)

    def _login(
        self, conn: sqlite3.Connection, auth: LoginAuth, exchange: Exchange, config: EmulatorConfig
    ) -> tuple[Principal, AuthBlock]:
        block = AuthBlock(auth.userid, auth.companyid, auth.locationid or "")
        company = self.backend.company(conn, auth.companyid)
        user = self.backend.user(conn, auth.companyid, auth.userid) if company is not None else None
        if user is None or not user.active or not _same_secret(user.password, auth.password):
            raise _AuthFailed(block, errortexts.bad_sign_in())
        self._check_company_access(company, exchange.client_ip, block)
        entity_id = auth.locationid or None
        if entity_id and self.backend.entity(conn, auth.companyid, entity_id) is None:
            raise _AuthFailed(block, errortexts.unknown_entity(entity_id, auth.companyid))
        if not user.may_reach(entity_id):
            raise _AuthFailed(block, errortexts.entity_not_permitted(user.user_id, entity_id, auth.companyid))
        timeout = exchange.now + timedelta(minutes=config.session_minutes)
        block = AuthBlock(user.user_id, company.company_id, entity_id or "", exchange.now, timeout)
        return Principal(company.company_id, user, entity_id), block

    def _resume(
        self, conn: sqlite3.Connection, auth: SessionAuth, exchange: Exchange, config: EmulatorConfig
    ) -> tuple[Principal, AuthBlock]:
        session = sessions.use(conn, auth.sessionid, exchange.now, config.session_minutes)
        user = company = None
        if session is not None:
            company = self.backend.company(conn, session.company_id)
            user = self.backend.user(conn, session.company_id, session.user_id) if company is not None else None
        if session is None or user is None or not user.active:
            raise _AuthFailed(AuthBlock("", "", ""), errortexts.invalid_session())
        block = AuthBlock(user.user_id, company.company_id, session.entity_id or "", exchange.now, session.expires_at)
        self._check_company_access(company, exchange.client_ip, block)
        return Principal(company.company_id, user, session.entity_id), block

    @staticmethod
    def _check_company_access(company: Any, client_ip: str, block: AuthBlock) -> None:
        if not company.web_services:
            raise _AuthFailed(block, errortexts.web_services_not_subscribed(company.company_id))
        if not _ip_allowed(client_ip, company.allowed_ips):
            raise _AuthFailed(block, errortexts.ip_not_allowed(client_ip, company.company_id))
