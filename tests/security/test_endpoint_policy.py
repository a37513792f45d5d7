"""The allow-list's matching: on the parsed URL httpx would connect to, never on a string prefix; and the
operator's settings that make it (INTACCT_BRIDGE_ALLOWED_ENDPOINTS plus INTACCT_ENDPOINT)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from intacct_bridge.intacct.credentials import ClientConfig
from intacct_bridge.intacct.endpoints import EndpointNotAllowedError, EndpointPolicy, same_endpoint
from intacct_bridge.settings import OperatorSettings

REAL = "https://api.intacct.com/ia/xml/xmlgw.phtml"


@pytest.mark.parametrize("url", [
    REAL, "https://API.Intacct.COM/ia/xml/xmlgw.phtml", "https://api.intacct.com:443/ia/xml/xmlgw.phtml",
    "https://api.intacct.com/ia/api/v1",
])
def test_the_default_list_allows_intacct_s_gateway(url):
    assert EndpointPolicy.parse("https://api.intacct.com").allows(url)


@pytest.mark.parametrize("url", [
    "https://api.intacct.com.attacker.example/ia/xml/xmlgw.phtml",  # a longer host with the same start
    "https://api.intacct.com@evil.example/ia/xml/xmlgw.phtml",      # userinfo: the host is evil.example
    "https://evil.example@api.intacct.com/ia/xml/xmlgw.phtml",      # userinfo even towards the right host
    "https://evil.example/https://api.intacct.com",
    "http://api.intacct.com/ia/xml/xmlgw.phtml",                    # no TLS
    "https://api.intacct.com:8443/ia/xml/xmlgw.phtml",              # another port
    "http://0/", "http://127.0.0.1/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/",
    "https://xapi.intacct.com/", "file:///etc/passwd", "ftp://api.intacct.com/", "not a url", "",
])
def test_tricks_are_refused(url):
    assert not EndpointPolicy.parse("https://api.intacct.com").allows(url)


def test_paths_match_on_segments_after_normalisation():
    policy = EndpointPolicy(["http://127.0.0.1:8111/ia/xml"])
    assert policy.allows("http://127.0.0.1:8111/ia/xml/xmlgw.phtml")
    assert policy.allows("http://127.0.0.1:8111/ia/xml")
    assert not policy.allows("http://127.0.0.1:8111/ia/xmlgw.phtml")
    assert not policy.allows("http://127.0.0.1:8111/ia/xml/../../_emulator/config")
    assert not policy.allows("http://127.0.0.1:8112/ia/xml/xmlgw.phtml")  # the port is part of the origin
    assert not policy.allows("http://127.1:8111/ia/xml/xmlgw.phtml")  # hosts compare literally


def test_a_wildcard_covers_subdomains_only():
    policy = EndpointPolicy(["https://*.intacct.com"])
    assert policy.allows("https://p1.intacct.com/ia/xml/xmlgw.phtml")
    assert policy.allows("https://api.intacct.com/ia/xml/xmlgw.phtml")
    assert not policy.allows("https://intacct.com/")
    assert not policy.allows("https://evilintacct.com/")
    assert not policy.allows("https://p1.intacct.com.evil.example/")


@pytest.mark.parametrize("entry", ["ftp://x", "https://user:pw@api.intacct.com", "https://*", "https://a.*.com",
                                   "*.intacct.com", "https://api.intacct.com/?x=1", "https://*.com"])
def test_malformed_entries_are_refused_naming_them(entry):
    with pytest.raises(EndpointNotAllowedError, match="allowed endpoint"):
        EndpointPolicy([entry])


def test_a_refusal_names_the_url_and_what_is_allowed():
    with pytest.raises(EndpointNotAllowedError) as refused:
        EndpointPolicy.parse("https://api.intacct.com").check("http://127.0.0.1:9/x")
    assert "http://127.0.0.1:9/x" in str(refused.value) and "https://api.intacct.com" in str(refused.value)


def test_same_endpoint_ignores_spelling_only():
    assert same_endpoint(REAL, "https://API.intacct.com:443/ia/xml/./xmlgw.phtml")
    assert not same_endpoint(REAL, "https://api.intacct.com/ia/xml/other")
    assert same_endpoint(None, None) and not same_endpoint(REAL, None)


def _operator(monkeypatch, tmp_path, **env: str) -> OperatorSettings:
    for name in ("INTACCT_ENDPOINT", "INTACCT_BRIDGE_ALLOWED_ENDPOINTS", "INTACCT_BRIDGE_DEFAULT_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return OperatorSettings(data_dir=tmp_path)


def test_by_default_only_intacct_is_allowed_and_loopback_only_when_the_operator_says_so(monkeypatch, tmp_path):
    emulator = "http://127.0.0.1:8111/ia/xml/xmlgw.phtml"
    policy = _operator(monkeypatch, tmp_path).endpoint_policy()
    assert policy.allows(REAL) and not policy.allows(emulator)
    listed = _operator(monkeypatch, tmp_path, INTACCT_BRIDGE_ALLOWED_ENDPOINTS="https://api.intacct.com, "
                                                                              "http://127.0.0.1:8111")
    assert listed.endpoint_policy().allows(emulator) and listed.endpoint_policy().allows(REAL)
    default = _operator(monkeypatch, tmp_path, INTACCT_ENDPOINT=emulator)  # the operator's own endpoint
    assert default.endpoint_policy().allows(emulator) and default.endpoint_policy().allows(REAL)
    assert not default.endpoint_policy().allows("http://127.0.0.1:8112/ia/xml/xmlgw.phtml")
    nothing_else = _operator(monkeypatch, tmp_path, INTACCT_BRIDGE_ALLOWED_ENDPOINTS="", INTACCT_ENDPOINT=emulator)
    # The operator's REST base (INTACCT_REST_BASE_URL, by default Intacct's own) is allowed as the endpoint is.
    assert nothing_else.endpoint_policy().entries == (emulator, "https://api.intacct.com/ia/api/v1")


def test_a_malformed_allow_list_stops_the_process_naming_the_setting(monkeypatch, tmp_path):
    with pytest.raises(ValidationError, match="INTACCT_BRIDGE_ALLOWED_ENDPOINTS"):
        _operator(monkeypatch, tmp_path, INTACCT_BRIDGE_ALLOWED_ENDPOINTS="https://api.intacct.com,ftp://x")


def test_a_bare_client_allows_its_own_endpoint_and_intacct_hosts_only():
    policy = ClientConfig(endpoint="http://127.0.0.1:8111/ia/xml/xmlgw.phtml").endpoint_policy()
    assert policy.allows("http://127.0.0.1:8111/ia/xml/xmlgw.phtml")
    assert policy.allows("https://p1.intacct.com/ia/xml/xmlgw.phtml")
    assert not policy.allows("http://127.0.0.1:8112/ia/xml/xmlgw.phtml")
    listed = ClientConfig(endpoint=REAL, allowed_endpoints=("http://127.0.0.1:8111",)).endpoint_policy()
    assert not listed.allows(REAL)  # a list given is the whole list: the endpoint itself must be on it
    with pytest.raises(ValueError):
        ClientConfig(allowed_endpoints="https://api.intacct.com")  # type: ignore[arg-type]


def test_the_cli_names_a_malformed_allow_list_instead_of_a_traceback(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from intacct_bridge.cli import app

    monkeypatch.setenv("INTACCT_BRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INTACCT_BRIDGE_ALLOWED_ENDPOINTS", "https://api.intacct.com,https://user:pw@evil.example")
    result = CliRunner().invoke(app, ["workspace", "list"])
    assert result.exit_code == 2 and "INTACCT_BRIDGE_ALLOWED_ENDPOINTS" in result.output
    assert "pw" not in result.output.replace("password", "")
