"""`test-connection` names the party at fault (issue 14): a wrong sender password is the operator's sender
settings, not the user's sign-in; an unreachable gateway names the URL tried, the reason and the fix."""

from __future__ import annotations

import httpx
import pytest

from intacct_bridge.intacct import errors
from intacct_bridge.intacct.transport import transport_failure
from intacct_bridge.sync.diagnosis import diagnose

from sync_cli_fixtures import cli  # noqa: F401  (fixture)


def test_a_wrong_sender_password_is_diagnosed_as_the_senders(cli, monkeypatch):
    cli.workspace("Helping Hands")
    monkeypatch.setenv("INTACCT_SENDER_PASSWORD", "N0t-the-s3nder-pw")
    result = cli("test-connection")
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "sender ID 'intacct-bridge' or its sender password" in text
    assert "INTACCT_SENDER_PASSWORD" in text and "INTACCT_SENDER_ID" in text
    assert "refused the sign-in" not in text and "Web Services users" not in text  # not the user's problem
    assert "N0t-the-s3nder-pw" not in result.output


@pytest.mark.slow  # the client retries the connection before it gives up
def test_an_unreachable_gateway_names_the_url_the_reason_and_the_fix(cli, monkeypatch):
    refused = "http://127.0.0.1:9/ia/xml/xmlgw.phtml"  # tests/README: port 9 refuses connections
    monkeypatch.setenv("INTACCT_ENDPOINT", refused)
    cli.workspace("Helping Hands", INTACCT_ENDPOINT=refused)
    result = cli("test-connection")
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert f"Could not reach Intacct at {refused}: connection refused" in text
    assert "INTACCT_ENDPOINT" in text and "host and port" in text


@pytest.mark.parametrize(("failure", "reason", "fix"), [
    (httpx.ConnectError("[Errno 111] Connection refused"), "connection refused", "host and port"),
    (httpx.ConnectError("[Errno -2] Name or service not known"), "could not be resolved (DNS)", "host name"),
    (httpx.ConnectTimeout("timed out"), "timed out", "firewall, proxy"),
])
def test_each_reason_for_no_connection_gets_its_fix_over_xml_and_rest(failure, reason, fix):
    for url in ("https://api.intacct.com/ia/xml/xmlgw.phtml", "https://api.intacct.com/ia/api/v1/objects/x?y=1"):
        failure.request = httpx.Request("POST", url)
        error = transport_failure(failure, errors.ErrorContext(sender_id="s", company_id="c", user_id="u"))
        diagnosis = diagnose(error)
        tried = url.split("?")[0]  # the query (it may hold anything) is never repeated
        assert diagnosis.kind == "unreachable"
        assert diagnosis.title == f"Could not reach Intacct at {tried}: " + error.reason
        assert reason in diagnosis.title and fix in diagnosis.fix
