"""Reads end to end over HTTP with the real backend: pagination (readByQuery/readMore, query offset), entities."""

from __future__ import annotations

import time

READ_ALL = ("<readByQuery><object>GLACCOUNT</object><query></query><fields>ACCOUNTNO,TITLE</fields>"
            "<pagesize>1000</pagesize></readByQuery>")


def _account_numbers(data) -> list[str]:
    return [record.findtext("ACCOUNTNO") for record in data]


def _all_accounts(wire) -> list[str]:
    data = wire.call([("all", READ_ALL)]).result().find("data")
    assert data.get("numremaining") == "0"
    return _account_numbers(data)


def test_read_by_query_then_read_more_walks_every_page(wire):
    everything = _all_accounts(wire)
    assert len(everything) > 50
    sessionid = wire.open_session()
    wire.admin.reset_usage()
    first = wire.call([("p1", "<readByQuery><object>GLACCOUNT</object><query></query>"
                              "<fields>ACCOUNTNO,TITLE</fields><pagesize>20</pagesize></readByQuery>")],
                      auth=wire.session(sessionid)).result()
    data = first.find("data")
    assert (data.get("listtype"), data.get("count"), data.get("totalcount")) == ("glaccount", "20", str(len(everything)))
    assert int(data.get("numremaining")) == len(everything) - 20
    assert all(record.tag == "glaccount" for record in data)
    result_id = data.get("resultId")
    seen, pages = _account_numbers(data), 1
    while int(data.get("numremaining")) > 0:
        more = wire.call([(f"more-{pages}", f"<readMore><resultId>{result_id}</resultId></readMore>")],
                         auth=wire.session(sessionid)).result()
        assert more.findtext("status") == "success", more.findtext("errormessage/error/description")
        data = more.find("data")
        assert data.get("resultId") == result_id
        seen += _account_numbers(data)
        pages += 1
    assert seen == everything
    assert pages == -(-len(everything) // 20)
    assert wire.admin.usage()["helping-hands"]["api_transactions"] == pages  # one per page


def test_read_more_with_an_unknown_result_id_fails(wire):
    result = wire.call([("m", "<readMore><resultId>bad</resultId></readMore>")]).result()
    assert result.findtext("status") == "failure"
    assert result.findtext("errormessage/error/errorno") == "readMore failed"


def test_query_pages_by_offset(wire):
    everything = sorted(_all_accounts(wire))
    seen: list[str] = []
    offset = 0
    while True:
        result = wire.call([(f"q{offset}", "<query><select><field>ACCOUNTNO</field></select><object>GLACCOUNT</object>"
                                           "<orderby><order><field>ACCOUNTNO</field><ascending/></order></orderby>"
                                           f"<pagesize>25</pagesize><offset>{offset}</offset></query>")]).result()
        data = result.find("data")
        assert (data.get("listtype"), data.get("offset"), data.get("totalcount")) == (
            "GLACCOUNT", str(offset), str(len(everything)))
        assert all(record.tag == "GLACCOUNT" for record in data)
        seen += _account_numbers(data)
        if data.get("numremaining") == "0":
            break
        offset += 25
    assert seen == everything


def _customer_ids(wire, sessionid: str, options: str = "") -> list[tuple[str, str]]:
    result = wire.call([("c", "<query><select><field>CUSTOMERID</field><field>MEGAENTITYID</field></select>"
                              f"<object>CUSTOMER</object>{options}<pagesize>2000</pagesize></query>")],
                       auth=wire.session(sessionid)).result()
    assert result.findtext("status") == "success", result.findtext("errormessage/error/description")
    return [(r.findtext("CUSTOMERID"), r.findtext("MEGAENTITYID")) for r in result.find("data")]


def test_a_session_at_an_entity_sees_its_own_and_shared_records(wire):
    group = "helping-hands-group"
    at_e100 = _customer_ids(wire, wire.open_session("E100", company=group))
    at_e200 = _customer_ids(wire, wire.open_session("E200", company=group))
    top_session = wire.open_session(company=group)
    at_top = _customer_ids(wire, top_session)
    at_top_private = _customer_ids(wire, top_session, "<options><showprivate>true</showprivate></options>")
    assert {megaentity for _, megaentity in at_e100} == {"E100", ""}  # its own plus shared top-level ones
    assert {megaentity for _, megaentity in at_e200} == {"E200", ""}
    # The top level sees shared records; entity-private ones only with showprivate (reference §3.4 options).
    assert {megaentity for _, megaentity in at_top} == {""}
    assert set(at_e100) | set(at_e200) <= set(at_top_private)
    assert {megaentity for _, megaentity in at_top_private} == {"E100", "E200", "E300", ""}
    # The chart of accounts is shared at the top level: an entity session sees it too.
    e100_session = wire.open_session("E100", company=group)
    accounts = wire.call([("a", READ_ALL)], auth=wire.session(e100_session)).result().find("data")
    assert int(accounts.get("totalcount")) > 50


def test_result_sets_expire_after_the_configured_minutes(wire_for):
    with wire_for(result_set_minutes=0.01) as wire:  # 0.6 s
        first = wire.call([("p", "<readByQuery><object>GLACCOUNT</object><query></query><fields>ACCOUNTNO</fields>"
                                  "<pagesize>10</pagesize></readByQuery>")]).result().find("data")
        time.sleep(1.0)
        more = wire.call([("m", f"<readMore><resultId>{first.get('resultId')}</resultId></readMore>")]).result()
        assert more.findtext("status") == "failure"
        assert more.findtext("errormessage/error/errorno") == "readMore failed"
        wire.admin.set_config(result_set_minutes=30)  # changeable at run time
        again = wire.call([("p2", "<readByQuery><object>GLACCOUNT</object><query></query><fields>ACCOUNTNO</fields>"
                                  "<pagesize>10</pagesize></readByQuery>")]).result().find("data")
        time.sleep(1.0)
        more = wire.call([("m2", f"<readMore><resultId>{again.get('resultId')}</resultId></readMore>")]).result()
        assert more.findtext("status") == "success"
