"""The client against scripted answers (httpx.MockTransport): endpoint switch, gzip, sign-in shape, logging."""

from __future__ import annotations

import gzip
import logging

import httpx
import pytest

from intacct_bridge.intacct import ClientConfig, Credentials, IntacctClient, errors, functions as fn
from intacct_bridge.intacct.transport import SyncTransport, client_options
from intacct_bridge.intacct.xml import parse_xml

LOGIN_URL = "https://api.intacct.com/ia/xml/xmlgw.phtml"
SESSION_URL = "https://p7.intacct.com/ia/xml/xmlgw.phtml"
CREDS = Credentials("sender", "sender-pw", "acme", "api_user", "user-pw", entity_id="E100")

AUTH = ("<authentication><status>success</status><userid>api_user</userid><companyid>acme</companyid>"
        "<locationid>E100</locationid><sessiontimestamp>2030-01-01T10:00:00+00:00</sessiontimestamp>"
        "<sessiontimeout>2030-01-01T10:30:00+00:00</sessiontimeout></authentication>")


def answer(result: str) -> bytes:
    return (f"<response><control><status>success</status><senderid>sender</senderid><controlid>c</controlid>"
            f"</control><operation>{AUTH}{result}</operation></response>").encode()


class Gateway:
    """Scripted gateway: getAPISession answers a session at SESSION_URL; anything else an empty query page."""

    def __init__(self, compress: bool = False) -> None:
        self.seen: list[tuple[str, bytes]] = []
        self.compress = compress

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        self.seen.append((str(request.url), body))
        root = parse_xml(body)
        function = root.find("operation/content/function")
        name, controlid = function[0].tag, function.get("controlid")
        if name == "getAPISession":
            data = (f"<data><api><sessionid>SESSION-SECRET..</sessionid><endpoint>{SESSION_URL}</endpoint>"
                    "<locationid>E100</locationid></api></data>")
        else:
            data = '<data listtype="CLASS" count="1" totalcount="1" offset="0" numremaining="0"><CLASS><CLASSID>C1</CLASSID></CLASS></data>'
        content = answer(f"<result><status>success</status><function>{name}</function><controlid>{controlid}</controlid>{data}</result>")
        headers = {"content-type": "text/xml; encoding=\"UTF-8\""}
        if self.compress:
            content, headers["content-encoding"] = gzip.compress(content), "gzip"
        return httpx.Response(200, content=content, headers=headers)


def mocked_client(gateway: Gateway) -> IntacctClient:
    config = ClientConfig()
    http = httpx.Client(transport=httpx.MockTransport(gateway), **client_options(config))
    return IntacctClient(CREDS, config, transport=SyncTransport(config, http))


def test_sign_in_alone_then_switch_to_the_session_endpoint():
    gateway = Gateway()
    with mocked_client(gateway) as client:
        client.execute(fn.Query("CLASS", ["CLASSID"]))
        client.execute(fn.Query("CLASS", ["CLASSID"]))
    (login_url, login_body), *rest = gateway.seen
    login = parse_xml(login_body)
    assert login_url == LOGIN_URL
    assert [f[0].tag for f in login.iter("function")] == ["getAPISession"]  # alone in its request
    assert login.findtext("operation/authentication/login/locationid") == "E100"
    assert [url for url, _ in rest] == [SESSION_URL, SESSION_URL]
    for _, body in rest:
        assert parse_xml(body).findtext("operation/authentication/sessionid") == "SESSION-SECRET.."
    assert client.usage.session_logins == 1


def test_gzip_answers_are_decoded():
    with mocked_client(Gateway(compress=True)) as client:
        assert client.execute(fn.Query("CLASS", ["CLASSID"])).records == [{"CLASSID": "C1"}]


def test_headers_and_timeouts():
    config = ClientConfig(timeout=12.0, connect_timeout=3.0)
    options = client_options(config)
    assert options["headers"]["Content-Type"] == "application/xml"
    assert "gzip" in options["headers"]["Accept-Encoding"]
    assert options["timeout"].read == 12.0 and options["timeout"].connect == 3.0


def test_usage_is_logged_at_close_without_secrets(caplog):
    caplog.set_level(logging.DEBUG)
    with mocked_client(Gateway()) as client:
        client.execute(fn.Query("CLASS", ["CLASSID"]))
    assert "Intacct usage for company acme: 1 API transactions, 2 requests" in caplog.text
    for secret in ("SESSION-SECRET", "user-pw", "sender-pw"):
        assert secret not in caplog.text


def test_offline_acknowledgements_are_refused():
    def ack(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<response><acknowledgement><status>success</status></acknowledgement>"
                                            b"<control><status>success</status></control></response>")

    config = ClientConfig()
    http = httpx.Client(transport=httpx.MockTransport(ack), **client_options(config))
    with IntacctClient(CREDS, config, transport=SyncTransport(config, http)) as client:
        with pytest.raises(errors.ProtocolError, match="asynchronous"):
            client.execute(fn.Lookup("CLASS"))


def test_retry_after_header_reaches_the_policy():
    calls = []

    def busy_then_ok(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "0.2"}, content=b"<html><title>Too Many</title></html>")
        return Gateway()(request)

    config = ClientConfig(backoff_base=0.001, throttle_pause=0.0)
    http = httpx.Client(transport=httpx.MockTransport(busy_then_ok), **client_options(config))
    with IntacctClient(CREDS, config, transport=SyncTransport(config, http)) as client:
        client.execute(fn.Query("CLASS", ["CLASSID"]))
        assert client.usage.backoff_seconds >= 0.2 and client.usage.throttled == 1
