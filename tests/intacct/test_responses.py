"""Response parsing against documents shaped like the official SDK fixtures, and error mapping."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from intacct_bridge.intacct import errors
from intacct_bridge.intacct.errors import ErrorContext, ErrorDetail, classify
from intacct_bridge.intacct.responses import parse_response

CTX = ErrorContext("mysender", "helping-hands", "ws_bridge")

CONTROL_OK = ("<control><status>success</status><senderid>mysender</senderid><controlid>req-1</controlid>"
              "<uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>")
AUTH_OK = ("<authentication><status>success</status><userid>apiuser</userid><companyid>ACME</companyid>"
           "<locationid></locationid><sessiontimestamp>2025-01-01T10:00:00-08:00</sessiontimestamp>"
           "<sessiontimeout>2025-01-02T10:00:00-08:00</sessiontimeout></authentication>")


def doc(*results: str) -> bytes:
    return f"<?xml version='1.0' encoding='UTF-8'?><response>{CONTROL_OK}<operation>{AUTH_OK}{''.join(results)}</operation></response>".encode()


def only(body: bytes):
    response = parse_response(body, 200, "text/xml", CTX)
    assert len(response.results) == 1
    return response.results[0]


class TestSuccessShapes:
    def test_read_by_query_lower_case_records(self):
        r = only(doc("<result><status>success</status><function>readByQuery</function><controlid>f-1</controlid>"
                     '<data listtype="class" count="1" totalcount="2" numremaining="1" resultId="7765623330Vqb8p">'
                     "<class><RECORDNO>8</RECORDNO><CLASSID>C1234</CLASSID><NAME>hello</NAME><STATUS>active</STATUS></class>"
                     "</data></result>"))
        assert r.ok and r.function == "readByQuery" and r.controlid == "f-1" and r.listtype == "class"
        assert r.records == [{"RECORDNO": "8", "CLASSID": "C1234", "NAME": "hello", "STATUS": "active"}]
        assert (r.count, r.total_count, r.num_remaining, r.result_id) == (1, 2, 1, "7765623330Vqb8p")

    def test_read_upper_case_records_with_nested_lines(self):
        r = only(doc("<result><status>success</status><function>read</function><controlid>f-2</controlid>"
                     '<data listtype="GLBATCH" count="1"><GLBATCH><RECORDNO>5</RECORDNO><ENTRIES>'
                     "<glentry><LINE_NO>1</LINE_NO><TRX_AMOUNT>10.00</TRX_AMOUNT></glentry>"
                     "<glentry><LINE_NO>2</LINE_NO><TRX_AMOUNT>10.00</TRX_AMOUNT></glentry></ENTRIES>"
                     "<MEMO/></GLBATCH></data></result>"))
        assert r.records[0]["ENTRIES"]["glentry"][1] == {"LINE_NO": "2", "TRX_AMOUNT": "10.00"}
        assert r.records[0]["MEMO"] == ""

    def test_query_with_offset_and_empty_page(self):
        r = only(doc("<result><status>success</status><function>query</function><controlid>f-3</controlid>"
                     '<data listtype="APBILL" totalcount="0" offset="0" count="0" numremaining="0"/></result>'))
        assert r.records == [] and r.offset == 0 and r.total_count == 0 and r.num_remaining == 0

    def test_generic_create_and_delete(self):
        r = only(doc("<result><status>success</status><function>create</function><controlid>c</controlid>"
                     '<data listtype="objects" count="2"><class><RECORDNO>5</RECORDNO><CLASSID>UT01</CLASSID></class>'
                     "<class><RECORDNO>6</RECORDNO><CLASSID>UT02</CLASSID></class></data></result>"))
        assert [x["RECORDNO"] for x in r.records] == ["5", "6"]
        d = only(doc("<result><status>success</status><function>delete</function><controlid>d</controlid></result>"))
        assert d.ok and d.records == [] and d.data_attrs == {}

    def test_legacy_key_and_get_list(self):
        r = only(doc("<result><status>success</status><function>create_class</function><controlid>k</controlid>"
                     "<key>UT01</key></result>"))
        assert r.key == "UT01" and r.records == []
        g = only(doc("<result><status>success</status><function>get_list</function><controlid>g</controlid>"
                     '<listtype start="0" end="0" total="1">class</listtype><data><class><classid>C1</classid></class></data></result>'))
        assert g.listtype == "class" and g.data_attrs["total"] == "1" and g.records == [{"classid": "C1"}]

    def test_session_fields(self):
        response = parse_response(doc("<result><status>success</status><function>getAPISession</function>"
                                      "<controlid>s</controlid><data><api><sessionid>abc..</sessionid>"
                                      "<endpoint>https://unittest.intacct.com/ia/xml/xmlgw.phtml</endpoint>"
                                      "<locationid/></api></data></result>"))
        assert response.results[0].records == [{"sessionid": "abc..", "endpoint": "https://unittest.intacct.com/ia/xml/xmlgw.phtml", "locationid": ""}]
        assert response.auth.session_timeout == datetime(2025, 1, 2, 18, 0, tzinfo=timezone.utc)
        assert response.auth.companyid == "ACME"


class TestFunctionFailures:
    def test_transaction_failure_and_aborted(self):
        body = doc(
            "<result><status>aborted</status><function>create</function><controlid>ok-one</controlid><errormessage>"
            "<error><errorno>XL03000009</errorno><description></description><description2>The entire transaction in this "
            "operation has been rolled back due to an error.</description2><correction></correction></error></errormessage></result>",
            "<result><status>failure</status><function>create</function><controlid>bad-one</controlid><errormessage>"
            "<error><errorno>BL34000061</errorno><description></description><description2>Another Class with the given "
            "value(s) UT01  already exists</description2><correction>Use a unique value instead.</correction></error>"
            "<error><errorno>XL03000009</errorno><description2>The entire transaction in this operation has been rolled "
            "back due to an error.</description2></error></errormessage></result>")
        aborted, failed = parse_response(body).results
        assert aborted.status == "aborted" and isinstance(aborted.error(CTX), errors.TransactionAborted)
        err = failed.error(CTX)
        assert type(err) is errors.BusinessRuleError and err.errorno == "BL34000061" and err.controlid == "bad-one"
        assert "Use a unique value instead" in str(err) and len(err.errors) == 2

    def test_literal_errorno_and_expired_result_set(self):
        r = only(doc("<result><status>failure</status><function>readMore</function><controlid>m</controlid><errormessage>"
                     "<error><errorno>readMore failed</errorno><description></description><description2>Attempt to readMore "
                     "with an invalid or expired resultId: bad</description2></error></errormessage></result>"))
        assert isinstance(r.error(CTX), errors.ResultSetExpired)

    def test_permission_and_duplicate(self):
        perm = only(doc("<result><status>failure</status><function>readByQuery</function><controlid>p</controlid>"
                        "<errormessage><error><errorno>BL03000018</errorno><description>You do not have permission for API "
                        "operation READ_BY_QUERY on objects of type DEPARTMENT.</description></error></errormessage></result>"))
        err = perm.error(CTX)
        assert isinstance(err, errors.PermissionDenied) and "ws_bridge" in str(err)
        dup = only(doc("<result><status>failure</status><function>create</function><controlid>x</controlid><errormessage>"
                       "<error><errorno>XL03000013</errorno><description>Duplicate control ID</description></error></errormessage></result>"))
        assert isinstance(dup.error(CTX), errors.DuplicateControlId)


class TestWholeRequestFailures:
    def test_control_failure_bad_sender(self):
        body = (b"<response><control><status>failure</status><senderid>x</senderid><controlid>c</controlid></control>"
                b"<errormessage><error><errorno>XL03000006</errorno><description>Incorrect Intacct XML Partner ID or password."
                b"</description><description2/><correction/></error></errormessage></response>")
        with pytest.raises(errors.BadCredentials) as info:
            parse_response(body, 200, "", CTX)
        assert info.value.layer == "control" and "sender ID mysender" in str(info.value)

    def test_authentication_failure(self):
        body = (f"<response>{CONTROL_OK}<operation><authentication><status>failure</status><userid>u</userid>"
                "<companyid>c</companyid></authentication><errormessage><error><errorno>XL03000006</errorno>"
                "<description>Sign-in information is incorrect</description></error></errormessage></operation></response>").encode()
        with pytest.raises(errors.BadCredentials) as info:
            parse_response(body, 200, "", CTX)
        err = info.value
        assert str(err).startswith("Intacct refused the sign-in for user ws_bridge at company helping-hands: Sign-in information is incorrect")
        assert "Fix: check the company ID, user ID and password" in str(err) and not err.transient

    def test_401_with_xml_body(self):
        body = (b'<?xml version="1.0" encoding="UTF-8"?><response><control><status>failure</status><senderid></senderid>'
                b"<controlid>unknown</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>"
                b"<errormessage><error><errorno>XMLGW_JPP0002</errorno><description>Sign-in information is incorrect. "
                b"Please check your request.</description><description2/><correction/></error></errormessage></response>")
        with pytest.raises(errors.BadCredentials) as info:
            parse_response(body, 401, "text/xml", CTX)
        assert info.value.http_status == 401

    def test_rate_limited_429(self):
        body = (b"<response><control><status>failure</status></control><errormessage><error><errorno>GW-0010</errorno>"
                b"<description>Rate limit exceeded</description></error></errormessage></response>")
        with pytest.raises(errors.RateLimited) as info:
            parse_response(body, 429, "text/xml", CTX)
        assert info.value.transient

    @pytest.mark.parametrize("status, kind", [(500, errors.TransientServerError), (502, errors.TransientServerError),
                                              (524, errors.TransientServerError), (200, errors.TransientServerError),
                                              (429, errors.RateLimited), (404, errors.ProtocolError)])
    def test_html_pages(self, status, kind):
        page = b"<html><head><title>The Service is Temporarily Off-line</title></head><body><h1>x</h1></body></html>"
        with pytest.raises(kind) as info:
            parse_response(page, status, "text/html", CTX)
        assert "Temporarily Off-line" in str(info.value) and info.value.http_status == status

    def test_empty_body(self):
        with pytest.raises(errors.TransientServerError, match="empty answer"):
            parse_response(b"", 500, "", CTX)

    def test_missing_blocks_are_protocol_errors(self):
        with pytest.raises(errors.ProtocolError) as info:
            parse_response(b"<response/>", 200)
        assert "Fix: check that the endpoint is the Intacct XML gateway" in str(info.value)  # says what to do
        with pytest.raises(errors.ProtocolError):
            parse_response(f"<response>{CONTROL_OK}</response>".encode(), 200)
        with pytest.raises(errors.ProtocolError):
            parse_response(b"<other/>", 200)


class TestErrorKinds:
    @pytest.mark.parametrize("layer, detail, kind", [
        ("control", ErrorDetail("XL03000006", "Invalid Web Services Authorization",
                                "The sender ID 'rogue-sender' is not authorized to make Web Services requests to company ID 'helping-hands'."),
         errors.SenderNotAuthorized),
        ("authentication", ErrorDetail("XL03000006", "Web Services subscription required"), errors.WebServicesNotSubscribed),
        ("authentication", ErrorDetail("XL03000006", "Sign-in blocked by IP filter"), errors.IpNotAllowed),
        ("authentication", ErrorDetail("XL03000006", "Invalid session", "The session ID is invalid or has expired."), errors.SessionInvalid),
        ("control", ErrorDetail("XL03000003", "XML Parse schema error: bad"), errors.SchemaError),
        ("control", ErrorDetail("PL04000055", "This company is a demo company and has expired."), errors.IntacctError),
        ("result", ErrorDetail("BL01001973", "Could not create class record!"), errors.BusinessRuleError),
    ])
    def test_mapping(self, layer, detail, kind):
        err = classify(layer, [detail], context=CTX, controlid="f")
        assert type(err) is kind
        assert err.errorno == detail.errorno and err.layer == layer

    def test_every_problem_is_named(self):
        err = classify("result", [
            ErrorDetail("BL01001973", "Account 9999 does not exist"),
            ErrorDetail("BL01001973", "Debits 1.00 do not equal credits 2.00."),
            ErrorDetail("BL01001973", "Could not create GLBATCH record!"),
            ErrorDetail("XL03000009", "The entire transaction in this operation has been rolled back due to an error."),
        ], context=CTX, controlid="je-1", function="create")
        assert str(err).startswith("Intacct refused create (control ID je-1): Account 9999 does not exist (BL01001973, result level)")
        assert "Also: Debits 1.00 do not equal credits 2.00; Could not create GLBATCH record!" in str(err)
        assert "rolled back" not in str(err) and "HTTP 200" not in str(err)

    def test_support_id_is_decoded(self):
        err = classify("result", [ErrorDetail("BL01001973", None, "Invalid Project '10064' specified. [Support ID: ab%7ECD%40x]")])
        assert err.description2 == "Invalid Project '10064' specified. [Support ID: ab~CD@x]"

    def test_errors_pickle(self):
        import pickle
        err = classify("authentication", [ErrorDetail("XL03000006", "Sign-in information is incorrect")], context=CTX)
        again = pickle.loads(pickle.dumps(err))
        assert type(again) is errors.BadCredentials and str(again) == str(err)

    def test_ambiguous_outcome_names_controlids(self):
        cause = errors.TransientServerError("http", description="A timeout occurred", http_status=524, context=CTX)
        err = errors.AmbiguousOutcome(["je-1", "je-2"], cause)
        assert "je-1, je-2" in str(err) and "same control IDs" in str(err) and err.controlids == ["je-1", "je-2"]
        assert "natural keys before sending" in str(errors.AmbiguousOutcome(["x"], cause, uniqueid=False))
