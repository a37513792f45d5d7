"""Each error kind, and session expiry and renewal, over real HTTP against the emulator."""

from __future__ import annotations

import dataclasses
import logging
import time
from decimal import Decimal

import pytest
from intacct_helpers import fast_config, journal_entry, ledger_references, unique

from intacct_bridge.intacct import IntacctClient, errors, functions as fn


def first_account(client: IntacctClient) -> str:
    return client.execute(fn.ReadByName("GLACCOUNT", keys=["1000"])).records[0]["ACCOUNTNO"]


def refused(emu, creds, **changes) -> errors.IntacctError:
    """Sign in with changed credentials and return what the client raised."""
    with IntacctClient(dataclasses.replace(creds, **changes), fast_config(emu)) as c:
        with pytest.raises(errors.IntacctError) as info:
            first_account(c)
    return info.value


class TestSignIn:
    def test_bad_user_password(self, emu, creds):
        err = refused(emu, creds, user_password="wrong-pw-123")
        assert type(err) is errors.BadCredentials and err.layer == "authentication" and not err.transient
        assert str(err).startswith(
            "Intacct refused the sign-in for user ws_bridge at company helping-hands: Sign-in information is incorrect")
        assert "Fix: check the company ID, user ID and password" in str(err)

    def test_bad_sender_password(self, emu, creds):
        err = refused(emu, creds, sender_password="nope")
        assert type(err) is errors.BadCredentials and err.layer == "control"
        assert "sender ID intacct-bridge" in str(err)

    def test_sender_not_authorized(self, emu, creds):
        err = refused(emu, creds, sender_id="rogue-sender", sender_password="rogue-pw")
        assert type(err) is errors.SenderNotAuthorized
        assert "rogue-sender" in str(err) and "Contact the company administrator" in str(err)

    def test_web_services_not_subscribed(self, emu, creds):
        err = refused(emu, creds, company_id="no-webservices")
        assert type(err) is errors.WebServicesNotSubscribed and "Subscriptions" in str(err)

    def test_ip_not_allowed(self, emu, creds):
        err = refused(emu, creds, company_id="ip-locked")
        assert type(err) is errors.IpNotAllowed and "127.0.0.1" in str(err)

    def test_no_secret_in_errors_or_logs(self, emu, creds, caplog):
        caplog.set_level(logging.DEBUG)
        secret_creds = dataclasses.replace(creds, user_password="Hunter2-very-secret")
        with IntacctClient(secret_creds, fast_config(emu)) as c:
            with pytest.raises(errors.BadCredentials) as info:
                first_account(c)
        texts = [str(info.value), repr(info.value), caplog.text, repr(c)]
        with IntacctClient(creds, fast_config(emu)) as good:
            first_account(good)
            session_ids = [s.session_id for s in good._sessions._sessions.values()]
            texts += [repr(good), repr(list(good._sessions._sessions.values())), caplog.text]
        assert session_ids
        for text in texts:
            for secret in ("Hunter2-very-secret", creds.user_password, creds.sender_password, *session_ids):
                assert secret not in text


def test_missing_permission(emu, creds):
    with IntacctClient(dataclasses.replace(creds, user_id="ws_limited"), fast_config(emu)) as c:
        with pytest.raises(errors.PermissionDenied) as info:
            list(c.iter_read_by_query("DEPARTMENT"))
        assert "ws_limited" in str(info.value) and info.value.errorno == "BL03000018"
        assert first_account(c) == "1000"  # other objects still work


def test_rate_limited_retried_then_raised(emu, client, creds):
    emu.admin.set_faults("rate429=0.5", seed=3)
    assert first_account(client) == "1000"
    emu.admin.set_faults("rate429=1.0", seed=3)
    with IntacctClient(creds, fast_config(emu, max_retries=2)) as c:
        with pytest.raises(errors.RateLimited) as info:
            first_account(c)
        assert info.value.errorno == "GW-0010" and info.value.transient
        assert c.usage.throttled >= 3 and c.concurrency_limit == 1


@pytest.mark.parametrize("fault", ["error500", "error502", "error503", "html_error"])
def test_transient_server_errors(emu, creds, fault):
    emu.admin.set_faults(f"{fault}=0.5", seed=11)
    with IntacctClient(creds, fast_config(emu)) as c:
        assert first_account(c) == "1000"
    emu.admin.set_faults(f"{fault}=1.0", seed=11)
    with IntacctClient(creds, fast_config(emu, max_retries=2)) as c:
        with pytest.raises(errors.TransientServerError) as info:
            first_account(c)
        assert c.usage.retries == 2 and info.value.transient


def test_ambiguous_write_with_uniqueid_exhausts_retries(emu, creds, income_accounts):
    ref = unique("AMB-U-")
    with IntacctClient(creds, fast_config(emu, max_retries=2)) as c:
        first_account(c)  # sign in before the faults
        emu.admin.set_faults("timeout524=1.0", seed=5)
        with pytest.raises(errors.AmbiguousOutcome) as info:
            c.execute(journal_entry(ref, Decimal("3.00"), income_accounts[0]))
    assert info.value.controlids == [f"je-{ref}"] and "524" in str(info.value)
    emu.admin.set_faults("")
    assert ledger_references(emu, ref) == [ref]  # applied exactly once in spite of three sends


def test_ambiguous_write_without_uniqueid_is_not_resent(emu, creds, income_accounts):
    ref = unique("AMB-N-")
    with IntacctClient(creds, fast_config(emu)) as c:
        first_account(c)
        before = c.usage.requests
        emu.admin.set_faults("error500_after_commit=1.0", seed=5)
        with pytest.raises(errors.AmbiguousOutcome) as info:
            c.execute(journal_entry(ref, Decimal("3.00"), income_accounts[0]), uniqueid=False)
        assert c.usage.requests == before + 1
    assert "natural keys before sending" in str(info.value)
    emu.admin.set_faults("")
    assert ledger_references(emu, ref) == [ref]


@pytest.mark.parametrize("fault", ["drop_after_commit", "error500_after_commit", "timeout524"])
@pytest.mark.parametrize("mode", ["reject", "replay"])
def test_resend_after_lost_answer_is_already_applied(emu, creds, income_accounts, mode, fault):
    emu.admin.set_config(idempotency_mode=mode)
    ref = unique(f"LOST-{mode}-")
    with IntacctClient(creds, fast_config(emu)) as c:
        first_account(c)
        # seed 1 draws 0.134 then 0.847: the first send commits and loses its answer, the resend goes through
        emu.admin.set_faults(f"{fault}=0.5", seed=1)
        result = c.execute(journal_entry(ref, Decimal("4.00"), income_accounts[0]))
        assert c.usage.retries == 1
    if mode == "reject":
        assert result.already_applied and result.ok and result.records == []
    else:  # the gateway replays the original answer
        assert result.ok and result.records[0]["RECORDNO"]
    emu.admin.set_faults("")
    assert ledger_references(emu, ref) == [ref]


def test_reads_in_execute_many_survive_a_lost_answer(emu, client):
    """A read resent after a lost answer is read again, not refused as a duplicate control ID."""
    first_account(client)
    # seed 1: the first send is processed and its answer lost, the resend goes through
    emu.admin.set_faults("drop_after_commit=0.5", seed=1)
    outcome, = client.execute_many([fn.ReadByName("GLACCOUNT", keys=["1000"])])
    assert client.usage.retries == 1
    assert outcome.ok and outcome.records[0]["ACCOUNTNO"] == "1000"


def test_business_rule_error(client, income_accounts):
    closed = fn.Create("GLBATCH", {"JOURNAL": "GJ", "BATCH_DATE": "01/15/2000", "BATCH_TITLE": "closed period",
                                   "ENTRIES": {"GLENTRY": [
                                       {"ACCOUNTNO": "1000", "TR_TYPE": 1, "TRX_AMOUNT": Decimal("1.00")},
                                       {"ACCOUNTNO": income_accounts[0], "TR_TYPE": -1, "TRX_AMOUNT": Decimal("1.00")}]}})
    with pytest.raises(errors.BusinessRuleError) as info:
        client.execute(closed)
    assert info.value.errorno == "BL01001973" and info.value.controlid == closed.controlid
    fix = info.value.correction or "correct the data named in the message"  # the gateway's correction wins
    assert f"Fix: {fix.rstrip('.')}" in str(info.value)


@pytest.mark.parametrize("mode", ["reject", "replay"])
def test_duplicate_controlid(emu, client, income_accounts, mode):
    emu.admin.set_config(idempotency_mode=mode)
    entry = journal_entry(unique(f"DUP-{mode}-"), Decimal("6.00"), income_accounts[0])
    first = client.execute(entry)
    if mode == "reject":
        with pytest.raises(errors.DuplicateControlId) as info:
            client.execute(entry)
        assert info.value.errorno == "XL03000013" and entry.controlid in str(info.value)
    else:
        assert client.execute(entry).records == first.records


class TestSessions:
    def test_expired_session_is_renewed_transparently(self, emu, client):
        first_account(client)
        assert emu.admin.expire_sessions() >= 1
        assert first_account(client) == "1000"
        assert client.usage.session_logins == 2 and client.usage.retries == 0

    def test_session_expiry_fault(self, emu, client):
        first_account(client)
        emu.admin.set_faults("session_expiry=1.0", seed=2)
        with pytest.raises(errors.SessionInvalid):
            first_account(client)
        emu.admin.set_faults("session_expiry=0.3", seed=2)
        for _ in range(10):
            assert first_account(client) == "1000"
        assert client.usage.session_logins > 2

    def test_renewed_before_the_sliding_timeout(self, emu, creds):
        emu.admin.set_config(session_minutes=0.1)  # 6 s
        with IntacctClient(creds, fast_config(emu, session_renew_margin=3.0)) as c:
            first_account(c)
            first_account(c)  # slides the timeout; still fresh
            assert c.usage.session_logins == 1
            time.sleep(3.5)  # now within the margin: renew before the gateway would refuse
            before = emu.admin.usage()["helping-hands"]["authentication_failures"]
            first_account(c)
            assert c.usage.session_logins == 2
            assert emu.admin.usage()["helping-hands"]["authentication_failures"] == before


def test_read_timeout_after_a_write_is_ambiguous(emu, creds, income_accounts):
    ref = unique("TIMEOUT-")
    with IntacctClient(creds, fast_config(emu, timeout=0.5, max_retries=1)) as c:
        first_account(c)
        emu.admin.set_faults("latency_ms=900")  # every answer arrives after the client gave up
        with pytest.raises(errors.AmbiguousOutcome) as info:
            c.execute(journal_entry(ref, Decimal("8.00"), income_accounts[0]))
        assert info.value.controlids == [f"je-{ref}"] and c.usage.retries == 1
    time.sleep(1.0)  # let the gateway finish the work it was given
    emu.admin.set_faults("")
    assert ledger_references(emu, ref) == [ref]  # sent twice, applied once


def test_connect_failure_is_retried_even_for_unprotected_writes(creds, income_accounts):
    import socket

    with socket.socket() as probe:  # a port with nothing listening, held so no parallel test's server takes it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        with IntacctClient(creds, fast_config(f"http://127.0.0.1:{port}/ia/xml/xmlgw.phtml", max_retries=2)) as c:
            with pytest.raises(errors.TransientServerError) as info:
                c.execute(journal_entry(unique("NOCONN-"), Decimal("1.00"), income_accounts[0]), uniqueid=False)
            assert not info.value.request_sent and c.usage.retries == 2
            assert "could not connect to" in str(info.value) and "connection refused" in str(info.value)
            assert info.value.context.company_id == creds.company_id  # the transport's errors say who was asking
