"""Wire rules around real writes: GLBATCH in a transaction, uniqueid replay, the admin ledger and closed periods."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def _today() -> date:
    return datetime.now(UTC).date()


def glbatch(reference: str, debit: str = "125.00", credit: str = "125.00", on: date | None = None) -> str:
    day = (on or _today()).strftime("%m/%d/%Y")
    return (
        f"<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>{day}</BATCH_DATE><BATCH_TITLE>Wire {reference}</BATCH_TITLE>"
        f"<REFERENCENO>{reference}</REFERENCENO><STATE>Posted</STATE><ENTRIES>"
        f"<GLENTRY><ACCOUNTNO>1000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>{debit}</TRX_AMOUNT></GLENTRY>"
        f"<GLENTRY><ACCOUNTNO>4000</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>{credit}</TRX_AMOUNT></GLENTRY>"
        "</ENTRIES></GLBATCH></create>"
    )


def _references(wire) -> set[str]:
    return {row.get("REFERENCENO") for row in wire.admin.ledger("helping-hands", "GLBATCH")}


def test_transaction_with_an_unbalanced_entry_posts_nothing(wire):
    before = _references(wire)
    answer = wire.call([("je-1", glbatch("TX-1")), ("je-2", glbatch("TX-2", debit="100.00", credit="99.00"))],
                       transaction="true", uniqueid="true")
    assert [r.findtext("status") for r in answer.results] == ["aborted", "failure"]
    assert wire.errornos(answer.result(1).findall("errormessage/error"))[-1] == "XL03000009"
    assert _references(wire) == before
    # Fixed and resent with the same controlids: nothing was remembered, so both post now.
    retry = wire.call([("je-1", glbatch("TX-1")), ("je-2", glbatch("TX-2"))], transaction="true", uniqueid="true")
    assert [r.findtext("status") for r in retry.results] == ["success", "success"]
    assert _references(wire) - before == {"TX-1", "TX-2"}


def test_replay_answers_the_same_record_and_posts_once(wire):
    wire.admin.set_config(idempotency_mode="replay")
    first = wire.call([("je-replay", glbatch("RP-1"))], uniqueid="true").result()
    again = wire.call([("je-replay", glbatch("RP-1"))], uniqueid="true").result()
    assert first.findtext("status") == again.findtext("status") == "success"
    assert again.findtext("data/glbatch/RECORDNO") == first.findtext("data/glbatch/RECORDNO")
    posted = [row for row in wire.admin.ledger("helping-hands", "GLBATCH") if row.get("REFERENCENO") == "RP-1"]
    assert len(posted) == 1
    usage = wire.admin.usage()["helping-hands"]
    assert (usage["api_transactions"], usage["duplicates"]) == (1, 1)


def test_closed_through_set_by_the_admin_endpoint_refuses_earlier_postings(wire):
    yesterday = _today() - timedelta(days=1)
    assert wire.call([("open", glbatch("CL-0", on=yesterday))]).result().findtext("status") == "success"
    wire.admin.set_closed_through("helping-hands", None, _today())
    refused = wire.call([("closed", glbatch("CL-1", on=yesterday))]).result()
    assert refused.findtext("status") == "failure"
    assert yesterday.strftime("%m/%d/%Y") in refused.findtext("errormessage/error/description")


def _entry_to(reference: str, account: str) -> str:
    return glbatch(reference).replace("<ACCOUNTNO>4000</ACCOUNTNO>", f"<ACCOUNTNO>{account}</ACCOUNTNO>")


def _account(number: str, status: str = "active") -> str:
    return f"<ACCOUNTNO>{number}</ACCOUNTNO><TITLE>Account {number}</TITLE><STATUS>{status}</STATUS>"


def test_a_request_sees_the_accounts_its_own_functions_create_change_and_roll_back(wire):
    """Reference lookups are reused within a request only while nothing of their object changed."""
    answer = wire.call([
        ("before", _entry_to("RL-1", "7771")),                                   # not there yet
        ("create", f"<create><GLACCOUNT>{_account('7771')}</GLACCOUNT></create>"),
        ("after", _entry_to("RL-2", "7771")),                                    # there now
        ("off", f"<update><GLACCOUNT>{_account('7771', 'inactive')}</GLACCOUNT></update>"),
        ("inactive", _entry_to("RL-3", "7771")),
        # One function: the account is created, an entry names it (read), then the entry fails: both undone.
        ("undone", f"<create><GLACCOUNT>{_account('7772')}</GLACCOUNT>"
                   + glbatch("RL-4", credit="1.00").removeprefix("<create>").removesuffix("</create>")
                     .replace("<ACCOUNTNO>1000</ACCOUNTNO>", "<ACCOUNTNO>7772</ACCOUNTNO>") + "</create>"),
        ("gone", _entry_to("RL-5", "7772")),
    ])
    assert [r.findtext("status") for r in answer.results] == [
        "failure", "success", "success", "success", "failure", "failure", "failure"]
    descriptions = [r.findtext("errormessage/error/description") for r in answer.results]
    assert descriptions[0] == "Account 7771 on line 2 does not exist"
    assert descriptions[4] == "Account 7771 on line 2 is inactive"
    assert descriptions[5].startswith("Debits 125.00 do not equal credits 1.00")
    assert descriptions[6] == "Account 7772 on line 2 does not exist"
    assert _references(wire) >= {"RL-2"} and not _references(wire) & {"RL-1", "RL-3", "RL-4", "RL-5"}
