"""Sessions over real HTTP (reference §2): getAPISession, session authentication, sliding expiry."""

from __future__ import annotations

import time
from datetime import datetime, timedelta


def _timeout(answer) -> datetime:
    return datetime.fromisoformat(answer.root.findtext("operation/authentication/sessiontimeout"))


def test_get_api_session_answers_sessionid_endpoint_and_top_level(wire):
    answer = wire.call([("open", "<getAPISession/>")])
    result = answer.result()
    assert result.findtext("status") == "success"
    assert result.findtext("function") == "getAPISession"
    api = result.find("data/api")
    assert [child.tag for child in api] == ["sessionid", "endpoint", "locationid"]
    assert api.findtext("endpoint") == wire.emulator.url
    assert api.findtext("locationid") == ""
    assert len(api.findtext("sessionid")) >= 24


def test_session_authentication_reports_user_company_and_timeout(wire):
    sessionid = wire.open_session()
    answer = wire.call([("again", "<getAPISession/>")], auth=wire.session(sessionid))
    auth = answer.root.find("operation/authentication")
    assert auth.findtext("status") == "success"
    assert (auth.findtext("userid"), auth.findtext("companyid"), auth.findtext("locationid")) == (
        "ws_bridge", "helping-hands", "")
    stamp = datetime.fromisoformat(auth.findtext("sessiontimestamp"))
    assert stamp.tzinfo is not None
    assert _timeout(answer) - stamp == timedelta(minutes=30)


def test_get_api_session_at_an_entity(wire):
    sessionid = wire.open_session("E100", company="helping-hands-group")
    answer = wire.call([("who", "<getAPISession/>")], auth=wire.session(sessionid))
    assert answer.root.findtext("operation/authentication/locationid") == "E100"
    # Absent <locationid> keeps the caller's entity; an empty one goes back to the top level.
    assert answer.result().findtext("data/api/locationid") == "E100"
    top = wire.call([("top", "<getAPISession><locationid/></getAPISession>")], auth=wire.session(sessionid))
    assert top.result().findtext("data/api/locationid") == ""
    top_session = top.result().findtext("data/api/sessionid")
    check = wire.call([("check", "<getAPISession/>")], auth=wire.session(top_session))
    assert check.root.findtext("operation/authentication/locationid") == ""


def test_get_api_session_at_an_unknown_entity_fails_the_function(wire):
    answer = wire.call([("open", "<getAPISession><locationid>E999</locationid></getAPISession>")],
                       auth=wire.login("helping-hands-group"))
    result = answer.result()
    assert result.findtext("status") == "failure"
    assert result.findtext("errormessage/error/description2") == (
        "Entity 'E999' does not exist in company 'helping-hands-group'.")


def test_login_with_locationid_opens_at_that_entity(wire):
    answer = wire.call([("open", "<getAPISession/>")], auth=wire.login("helping-hands-group", locationid="E200"))
    assert answer.root.findtext("operation/authentication/locationid") == "E200"
    assert answer.result().findtext("data/api/locationid") == "E200"


def test_unknown_session_fails_at_authentication(wire):
    answer = wire.call([("f", "<getAPISession/>")], auth=wire.session("not-a-session.."))
    assert answer.control_status == "success"
    assert answer.auth_status == "failure"
    assert answer.results == []
    error = answer.auth_errors[0]
    assert (error.findtext("errorno"), error.findtext("description"), error.findtext("description2")) == (
        "XL03000006", "Invalid session", "The session ID is invalid or has expired.")


def test_admin_expiry_ends_sessions(wire):
    sessionid = wire.open_session()
    assert wire.admin.expire_sessions() == 1
    answer = wire.call([("f", "<getAPISession/>")], auth=wire.session(sessionid))
    assert answer.auth_status == "failure"
    assert answer.auth_errors[0].findtext("description") == "Invalid session"


def test_timeout_slides_with_each_use_and_lapses_when_idle(wire_for):
    # 0.03 minutes = 1.8 s of idleness ends a session; steady use keeps it alive past that.
    with wire_for(session_minutes=0.03) as wire:
        sessionid = wire.open_session()
        first = wire.call([("a", "<getAPISession/>")], auth=wire.session(sessionid))
        for _ in range(3):
            time.sleep(0.8)
            later = wire.call([("b", "<getAPISession/>")], auth=wire.session(sessionid))
            assert later.auth_status == "success"
        assert _timeout(later) > _timeout(first)  # 2.4 s after opening: alive only because it slid
        time.sleep(2.2)
        lapsed = wire.call([("c", "<getAPISession/>")], auth=wire.session(sessionid))
        assert lapsed.auth_status == "failure"
        assert lapsed.auth_errors[0].findtext("description") == "Invalid session"


def test_session_requests_still_need_a_sender_authorized_for_the_company(wire):
    sessionid = wire.open_session()
    answer = wire.call([("f", "<getAPISession/>")], auth=wire.session(sessionid), sender=("rogue-sender", "rogue-pw"))
    assert answer.control_status == "failure"
    assert answer.control_errors[0].findtext("description") == "Invalid Web Services Authorization"


def test_the_session_to_company_cache_forgets_the_oldest_sessions(wire, monkeypatch):
    state = wire.emulator.state
    monkeypatch.setattr(state, "SESSION_COMPANY_CACHE", 2)
    sessions = [wire.open_session() for _ in range(3)]
    for sessionid in sessions:
        answer = wire.call([("f", "<getAPISession/>")], auth=wire.session(sessionid))
        assert answer.auth_status == "success"
    assert list(state._session_company) == sessions[1:]
    again = wire.call([("f", "<getAPISession/>")], auth=wire.session(sessions[0]))  # looked up again, not lost
    assert again.auth_status == "success" and list(state._session_company) == [sessions[2], sessions[0]]
