"""Fixtures for emulator tests: a running emulator (real HTTP on 127.0.0.1) and a raw-XML client.

`emulator` is a fresh in-memory emulator with the demo seed; `wire` posts
hand-written XML envelopes to it and reads answers with a hardened parser,
the way a real client would see them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import httpx
import pytest
from lxml import etree
from lxml.builder import E

from intacct_emulator.dispatch import FunctionSet
from intacct_emulator.functions import HANDLERS, CallContext, ErrorInfo, FunctionFailure, FunctionOutcome
from intacct_emulator.harness import RunningEmulator, start_emulator
from intacct_emulator.xmlsafe import parse_document

SENDER = ("intacct-bridge", "bridge-sender-pw")
COMPANY = "helping-hands"
GROUP_COMPANY = "helping-hands-group"
USER = ("ws_bridge", "demo-user-pw")


def login_xml(company: str = COMPANY, user: str = USER[0], password: str = USER[1], locationid: str | None = None) -> str:
    location = "" if locationid is None else f"<locationid>{escape(locationid)}</locationid>"
    return (f"<login><userid>{escape(user)}</userid><companyid>{escape(company)}</companyid>"
            f"<password>{escape(password)}</password>{location}</login>")


def session_xml(sessionid: str) -> str:
    return f"<sessionid>{escape(sessionid)}</sessionid>"


def envelope(
    functions: Sequence[tuple[str, str]] | str,
    *,
    auth: str | None = None,
    sender: tuple[str, str] = SENDER,
    uniqueid: str | None = "false",
    transaction: str | None = None,
    controlid: str = "req-1",
) -> bytes:
    """A request document; `functions` is [(function controlid, function element XML)] or raw content XML."""
    if isinstance(functions, str):
        content = functions
    else:
        content = "".join(f'<function controlid="{escape(cid)}">{body}</function>' for cid, body in functions)
    unique = "" if uniqueid is None else f"<uniqueid>{uniqueid}</uniqueid>"
    transaction_attr = "" if transaction is None else f' transaction="{transaction}"'
    return (
        '<?xml version="1.0" encoding="UTF-8"?><request><control>'
        f"<senderid>{escape(sender[0])}</senderid><password>{escape(sender[1])}</password>"
        f"<controlid>{escape(controlid)}</controlid>{unique}<dtdversion>3.0</dtdversion>"
        "<includewhitespace>false</includewhitespace></control>"
        f"<operation{transaction_attr}><authentication>{auth or login_xml()}</authentication>"
        f"<content>{content}</content></operation></request>"
    ).encode()


@dataclass
class Answer:
    """One gateway answer, with accessors for the three failure layers."""

    http: httpx.Response

    @property
    def root(self) -> etree._Element:
        return parse_document(self.http.content)

    @property
    def control_status(self) -> str | None:
        return self.root.findtext("control/status")

    @property
    def control_errors(self) -> list[etree._Element]:
        return self.root.findall("errormessage/error")

    @property
    def auth_status(self) -> str | None:
        return self.root.findtext("operation/authentication/status")

    @property
    def auth_errors(self) -> list[etree._Element]:
        return self.root.findall("operation/errormessage/error")

    @property
    def results(self) -> list[etree._Element]:
        return self.root.findall("operation/result")

    def result(self, index: int = 0) -> etree._Element:
        return self.results[index]


def errornos(errors: Sequence[etree._Element]) -> list[str]:
    return [error.findtext("errorno") for error in errors]


class WireClient:
    """Posts raw XML to a running emulator."""

    login = staticmethod(login_xml)
    session = staticmethod(session_xml)
    envelope = staticmethod(envelope)
    errornos = staticmethod(errornos)

    def __init__(self, emulator: RunningEmulator) -> None:
        self.emulator = emulator
        self.admin = emulator.admin
        self.http = httpx.Client(timeout=30.0)

    def post(self, body: bytes, **headers: str) -> Answer:
        return Answer(self.http.post(self.emulator.url, content=body, headers={"content-type": "application/xml", **headers}))

    def call(self, functions: Sequence[tuple[str, str]] | str, **envelope_args: object) -> Answer:
        return self.post(envelope(functions, **envelope_args))

    def open_session(self, locationid: str | None = None, *, company: str = COMPANY, login_locationid: str | None = None) -> str:
        """getAPISession over a login; returns the session ID."""
        inner = "<getAPISession/>" if locationid is None else f"<getAPISession><locationid>{escape(locationid)}</locationid></getAPISession>"
        answer = self.call([("open", inner)], auth=login_xml(company, locationid=login_locationid))
        assert answer.result().findtext("status") == "success", answer.http.text
        return answer.result().findtext("data/api/sessionid")

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    """A fresh emulator (in memory, demo seed, default limits) on a free port."""
    with start_emulator(db=":memory:", seed="demo") as running:
        yield running


@pytest.fixture
def wire(emulator: RunningEmulator) -> Iterator[WireClient]:
    client = WireClient(emulator)
    yield client
    client.close()


def _probe_write(ctx: CallContext, element: etree._Element) -> FunctionOutcome:
    value = element.findtext("value")
    ctx.conn.execute("INSERT INTO probe_writes (company_id, value) VALUES (?, ?)", (ctx.company_id, value))
    if value == "bad":
        raise FunctionFailure(ErrorInfo("BL01001973", "Probe refused", f"The value '{value}' is not accepted."))
    return FunctionOutcome([E.data(E.probe(E.VALUE(value)), listtype="probe", count="1")], billable=1)


def _probe_crash(ctx: CallContext, element: etree._Element) -> FunctionOutcome:
    raise RuntimeError("handler bug")


#: The real handlers plus two probes that isolate wire rules from backend behaviour.
PROBE_FUNCTIONS = FunctionSet(
    {**HANDLERS, "probeWrite": _probe_write, "probeCrash": _probe_crash}, FunctionFailure, CallContext)


class ProbeClient(WireClient):
    """A WireClient whose emulator also knows `probeWrite` and `probeCrash`."""

    @staticmethod
    def write(value: str) -> str:
        return f"<probeWrite><value>{escape(value)}</value></probeWrite>"

    def written(self) -> list[tuple[str, str]]:
        """(company, value) of every committed probe write, oldest first."""
        with self.emulator.state.backend.transaction() as conn:
            return [tuple(row) for row in conn.execute("SELECT company_id, value FROM probe_writes ORDER BY rowid")]


@contextmanager
def _wire_for(**config: Any) -> Iterator[WireClient]:
    with start_emulator(**{"db": ":memory:", "seed": "demo", **config}) as running:
        client = WireClient(running)
        try:
            yield client
        finally:
            client.close()


@pytest.fixture
def probe_for() -> Callable[..., AbstractContextManager[ProbeClient]]:
    """`with probe_for(faults=...) as probe:` — like wire_for, with the probe handlers installed."""

    @contextmanager
    def start(**config: Any) -> Iterator[ProbeClient]:
        with start_emulator(**{"db": ":memory:", "seed": "demo", **config}, functions=PROBE_FUNCTIONS) as running:
            with running.state.backend.transaction() as conn:
                conn.execute("CREATE TABLE IF NOT EXISTS probe_writes (company_id TEXT, value TEXT)")
            client = ProbeClient(running)
            try:
                yield client
            finally:
                client.close()

    return start


@pytest.fixture
def probe(probe_for) -> Iterator[ProbeClient]:
    with probe_for() as client:
        yield client


@pytest.fixture
def wire_for() -> Callable[..., AbstractContextManager[WireClient]]:
    """`with wire_for(concurrency=1, latency_ms=200) as wire:` — an emulator with its own settings."""
    return _wire_for


class RestClient:
    """Speaks the emulator's REST wire over real HTTP: a client-credentials token, JSON calls, the query service."""

    def __init__(self, emulator: RunningEmulator, username: str = f"{USER[0]}@{COMPANY}") -> None:
        self.emulator = emulator
        self.base = emulator.rest_base_url
        self.http = httpx.Client(timeout=30.0)
        self.token = self.grant(username=username).json()["access_token"]

    def grant(self, **fields: str) -> httpx.Response:
        form = {"grant_type": "client_credentials", "client_id": self.emulator.client_id,
                "client_secret": self.emulator.client_secret, **fields}
        return self.http.post(self.base + "/oauth2/token", data=form)

    def call(self, method: str, path: str, body: Any = None, *, token: str | None = None,
             **headers: str) -> httpx.Response:
        sent = {"Authorization": f"Bearer {token or self.token}", "Accept": "application/json",
                **{name.replace("_", "-"): value for name, value in headers.items()}}
        return self.http.request(method, self.base + path, json=body, headers=sent)

    def ok(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        answer = self.call(method, path, body, **headers)
        assert answer.status_code < 300, answer.text
        return answer.json()["ia::result"] if answer.content else None

    def query(self, obj: str, fields: list[str], filters: list[dict] | None = None,
              headers: dict[str, str] | None = None, **extra: Any) -> list[dict]:
        body = {"object": obj, "fields": fields, "filters": filters or [], **extra}
        return self.ok("POST", "/services/core/query", body, **(headers or {}))

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def rest(emulator: RunningEmulator) -> Iterator[RestClient]:
    client = RestClient(emulator)
    yield client
    client.close()
