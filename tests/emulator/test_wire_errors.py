"""The gateway's failure layers over real HTTP: control, authentication, schema, hardened parsing."""

from __future__ import annotations

import httpx
import pytest

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE request [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<request><control><senderid>&lol3;</senderid></control></request>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE request [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<request><control><senderid>&secret;</senderid><password>x</password><controlid>c</controlid></control></request>"""


def _control_failure(answer, errorno: str = "XL03000003") -> str:
    """Assert a control-level failure with no operation block; return its description."""
    assert answer.control_status == "failure", answer.http.text
    assert answer.root.find("operation") is None
    errors = answer.control_errors
    assert [e.findtext("errorno") for e in errors] == [errorno], answer.http.text
    return errors[0].findtext("description")


def test_answers_text_xml_with_the_control_echo(wire):
    answer = wire.call([("f-1", "<getAPISession/>")], controlid="req-echo-42")
    assert answer.http.status_code == 200
    assert answer.http.headers["content-type"].startswith("text/xml")
    assert answer.http.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    control = answer.root.find("control")
    assert [child.tag for child in control] == ["status", "senderid", "controlid", "uniqueid", "dtdversion"]
    assert control.findtext("controlid") == "req-echo-42"
    assert control.findtext("senderid") == "intacct-bridge"
    assert control.findtext("uniqueid") == "false"
    auth = answer.root.find("operation/authentication")
    assert [child.tag for child in auth] == [
        "status", "userid", "companyid", "locationid", "sessiontimestamp", "sessiontimeout"]
    assert auth.findtext("companyid") == "helping-hands"
    assert answer.result().findtext("controlid") == "f-1"


@pytest.mark.parametrize("body, fragment", [
    (b"<request><control>", "malformed XML"),
    (b"", "empty request body"),
    (b"<notarequest/>", "root element must be <request>"),
    (b"<request><operation/></request>", "missing element <control>"),
])
def test_malformed_or_misshapen_documents_fail_at_control_level(wire, body, fragment):
    description = _control_failure(wire.post(body))
    assert description.startswith("XML Parse schema error: ")
    assert fragment in description


def test_missing_control_child_is_named(wire):
    body = wire.envelope([("f", "<getAPISession/>")]).replace(b"<password>bridge-sender-pw</password>", b"")
    assert "missing element <password> in <control>" in _control_failure(wire.post(body))


def test_missing_authentication_is_a_schema_error(wire):
    body = wire.envelope([("f", "<getAPISession/>")]).replace(wire.login().encode(), b"")
    assert "<authentication> must hold exactly one" in _control_failure(wire.post(body))


def test_unknown_function_is_a_schema_error_and_nothing_runs(wire):
    answer = wire.call([("f1", "<getAPISession/>"), ("f2", "<launchRocket/>")])
    assert "unknown function <launchRocket>" in _control_failure(answer)


def test_function_with_two_elements_is_a_schema_error(wire):
    answer = wire.call('<function controlid="f"><getAPISession/><getAPISession/></function>')
    assert "must hold exactly one function element" in _control_failure(answer)


def test_function_without_controlid_is_a_schema_error(wire):
    answer = wire.call("<function><getAPISession/></function>")
    assert "missing its controlid" in _control_failure(answer)


def test_bad_transaction_attribute_is_a_schema_error(wire):
    answer = wire.call([("f", "<getAPISession/>")], transaction="maybe")
    assert "transaction must be 'true' or 'false'" in _control_failure(answer)


def test_billion_laughs_is_refused_without_expansion(wire):
    answer = wire.post(BILLION_LAUGHS)
    assert "DOCTYPE declarations are not allowed" in _control_failure(answer)
    assert b"lollol" not in answer.http.content


def test_xxe_is_refused_and_leaks_nothing(wire):
    answer = wire.post(XXE)
    assert "DOCTYPE declarations are not allowed" in _control_failure(answer)
    assert b"root:" not in answer.http.content


@pytest.mark.parametrize("sender", [("nobody", "x"), ("intacct-bridge", "wrong-password")])
def test_unknown_sender_or_wrong_sender_password(wire, sender):
    answer = wire.call([("f", "<getAPISession/>")], sender=sender)
    assert _control_failure(answer, "XL03000006") == "Incorrect Intacct XML Partner ID or password."


def test_sender_not_authorized_for_the_company(wire):
    answer = wire.call([("f", "<getAPISession/>")], sender=("rogue-sender", "rogue-pw"))
    assert _control_failure(answer, "XL03000006") == "Invalid Web Services Authorization"
    error = answer.control_errors[0]
    assert error.findtext("description2") == (
        "The sender ID 'rogue-sender' is not authorized to make Web Services requests to company ID 'helping-hands'.")
    assert error.findtext("correction").startswith("Contact the company administrator")


def _auth_failure(answer) -> list:
    """Assert the control block passed, sign-in failed and no function ran; return the errors."""
    assert answer.control_status == "success", answer.http.text
    assert answer.auth_status == "failure"
    assert answer.results == []
    return answer.auth_errors


@pytest.mark.parametrize("company, user, password", [
    ("no-such-company", "ws_bridge", "demo-user-pw"),
    ("helping-hands", "nobody", "demo-user-pw"),
    ("helping-hands", "ws_bridge", "wrong"),
])
def test_wrong_company_user_or_password_fail_at_authentication(wire, company, user, password):
    errors = _auth_failure(wire.call([("f", "<getAPISession/>")], auth=wire.login(company, user, password)))
    assert [(e.findtext("errorno"), e.findtext("description")) for e in errors] == [
        ("XL03000006", "Sign-in information is incorrect")]


def test_company_without_web_services(wire):
    errors = _auth_failure(wire.call([("f", "<getAPISession/>")], auth=wire.login("no-webservices")))
    assert errors[0].findtext("description") == "Web Services subscription required"
    assert errors[0].findtext("description2") == "Company 'no-webservices' is not subscribed to Web Services."


def test_ip_filter_blocks_the_loopback_address(wire):
    errors = _auth_failure(wire.call([("f", "<getAPISession/>")], auth=wire.login("ip-locked")))
    assert errors[0].findtext("description") == "Sign-in blocked by IP filter"
    assert errors[0].findtext("description2") == "The address 127.0.0.1 is not allowed to sign in to company 'ip-locked'."


def test_ip_filter_admits_an_allowed_address_reported_by_a_local_proxy(wire):
    answer = wire.call([("f", "<getAPISession/>")], auth=wire.login("ip-locked"))
    assert answer.auth_status == "failure"
    forwarded = wire.post(wire.envelope([("f", "<getAPISession/>")], auth=wire.login("ip-locked")),
                          **{"x-forwarded-for": "203.0.113.10"})
    assert forwarded.auth_status == "success"
    assert forwarded.result().findtext("status") == "success"


def test_login_at_unknown_entity_fails_at_authentication(wire):
    errors = _auth_failure(wire.call([("f", "<getAPISession/>")], auth=wire.login("helping-hands-group", locationid="E999")))
    assert errors[0].findtext("description2") == "Entity 'E999' does not exist in company 'helping-hands-group'."


def test_get_is_not_allowed(wire):
    assert httpx.get(wire.emulator.url).status_code == 405


def test_oversize_body_is_refused_with_413(wire_for):
    with wire_for(max_body_bytes=2000) as wire:
        padding = "<getAPISession/>" + " " * 3000
        answer = wire.call([("f", padding)])
        assert answer.http.status_code == 413
        assert _control_failure(answer) == "XML Parse schema error: request body exceeds 2000 bytes"


def test_too_many_functions_are_refused_before_anything_runs(wire_for):
    with wire_for(max_functions=3) as wire:
        reads = [(f"f{i}", "<getAPISession/>") for i in range(4)]
        description = _control_failure(wire.call(reads))
        assert description == "XML Parse schema error: too many functions in one request (4; the limit is 3)"


def test_get_api_session_must_be_alone(wire):
    answer = wire.call([("a", "<getAPISession/>"), ("b", "<getAPISession/>")])
    assert "getAPISession must be the only function in its request" in _control_failure(answer)
