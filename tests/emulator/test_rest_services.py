"""The REST wire's services over real HTTP: query paging, batch 207, composite, idempotency, entity, limits."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from conftest import GROUP_COMPANY, USER, RestClient


@pytest.fixture
def group(emulator):
    client = RestClient(emulator, username=f"{USER[0]}@{GROUP_COMPANY}")
    yield client
    client.close()


def test_query_pages_with_next_and_previous_and_filters(rest):
    fields = ["id", "name"]
    first = rest.call("POST", "/services/core/query", {"object": "general-ledger/account", "fields": fields,
                                                       "orderBy": [{"id": "asc"}], "size": 5})
    page = first.json()
    total = page["ia::meta"]["totalCount"]
    assert page["ia::meta"] == {"totalCount": total, "start": 1, "pageSize": 5, "next": 6, "previous": None}
    seen, start = [], 1
    while start is not None:
        body = rest.call("POST", "/services/core/query", {"object": "general-ledger/account", "fields": fields,
                                                          "orderBy": [{"id": "asc"}], "start": start, "size": 20}).json()
        seen += [row["id"] for row in body["ia::result"]]
        start = body["ia::meta"]["next"]
    assert len(seen) == total == len(set(seen)) and seen == sorted(seen)
    rows = rest.query("general-ledger/account", ["id"], [{"$startsWith": {"id": "10"}}, {"$eq": {"id": "4000"}}],
                      filterExpression="1 or 2", orderBy=[{"id": "desc"}])
    ids = [row["id"] for row in rows]
    assert "4000" in ids and all(i == "4000" or i.startswith("10") for i in ids) and ids == sorted(ids, reverse=True)
    refused = rest.call("POST", "/services/core/query", {"object": "general-ledger/account", "fields": ["nope"]})
    assert refused.status_code == 400


def test_batch_create_answers_207_with_each_item_status(rest, wire):
    records = [{"id": "B-1", "name": "One"}, {"id": "CUST-0001", "name": "Duplicate"}, {"id": "B-3", "name": "Three"}]
    answer = rest.call("POST", "/objects/accounts-receivable/customer", records)
    assert answer.status_code == 207
    body = answer.json()
    assert body["ia::meta"] == {"totalCount": 3, "totalSuccess": 2, "totalError": 1}
    statuses = [item["ia::status"] for item in body["ia::result"]]
    assert statuses == [201, 409, 201]
    assert body["ia::result"][0]["id"] == "B-1" and "ia::error" in body["ia::result"][1]
    assert [r["id"] for r in rest.query("accounts-receivable/customer", ["id"], [{"$in": {"id": ["B-1", "B-3"]}}])] \
        == ["B-1", "B-3"]


def test_atomic_batch_rolls_everything_back(rest):
    records = [{"id": "A-1", "name": "One"}, {"id": "CUST-0001", "name": "Duplicate"}]
    answer = rest.call("POST", "/objects/accounts-receivable/customer", records, X_IA_API_Param_Transaction="true")
    assert answer.status_code == 207
    items = answer.json()["ia::result"]
    assert items[0]["ia::error"]["code"] == "unprocessed" and items[1]["ia::status"] == 409
    assert rest.query("accounts-receivable/customer", ["id"], [{"$eq": {"id": "A-1"}}]) == []
    too_many = rest.call("POST", "/objects/accounts-receivable/customer", [{"id": f"X{n}", "name": "x"} for n in range(501)])
    assert too_many.status_code == 400


def test_composite_runs_in_order_with_references_and_stops_at_a_failure(rest):
    answer = rest.call("POST", "/services/core/composite", [
        {"method": "POST", "path": "/objects/accounts-receivable/customer", "body": {"id": "COMP-1", "name": "C"},
         "resultReference": "cust"},
        {"method": "GET", "path": "/objects/accounts-receivable/customer/@{cust.1.key}"}])
    assert answer.status_code == 200, answer.text
    first, second = answer.json()["ia::result"]
    assert first["ia::status"] == 201 and second["ia::status"] == 200
    assert second["ia::result"]["id"] == "COMP-1"
    failed = rest.call("POST", "/services/core/composite", [
        {"method": "POST", "path": "/objects/accounts-receivable/customer", "body": {"id": "CUST-0001", "name": "x"}},
        {"method": "POST", "path": "/objects/accounts-receivable/customer", "body": {"id": "COMP-2", "name": "x"}}])
    assert failed.status_code == 207
    assert [i["ia::status"] for i in failed.json()["ia::result"]] == [409, 422]
    assert rest.query("accounts-receivable/customer", ["id"], [{"$eq": {"id": "COMP-2"}}]) == []


def test_idempotency_key_replays_the_answer_and_refuses_another_body(rest, emulator):
    body = {"id": "IDEM-1", "name": "Once"}
    first = rest.call("POST", "/objects/accounts-receivable/customer", body, Idempotency_Key="key-1")
    again = rest.call("POST", "/objects/accounts-receivable/customer", body, Idempotency_Key="key-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotency-Key"] == "key-1" and "x-ia-idempotency-cached-date" in again.headers
    assert len(rest.query("accounts-receivable/customer", ["id"], [{"$eq": {"id": "IDEM-1"}}])) == 1
    other = rest.call("POST", "/objects/accounts-receivable/customer", {"id": "IDEM-2", "name": "x"},
                      Idempotency_Key="key-1")
    assert other.status_code == 409
    assert emulator.admin.usage()["helping-hands"]["duplicates"] == 1
    with emulator.state.backend.transaction() as conn:  # age the key past the 48 h replay window
        conn.execute("UPDATE rest_idempotency SET created_at = created_at - 49 * 3600")
    late = rest.call("POST", "/objects/accounts-receivable/customer", body, Idempotency_Key="key-1")
    assert late.status_code == 409
    too_long = rest.call("POST", "/objects/accounts-receivable/customer", {"id": "IDEM-3", "name": "x"},
                         Idempotency_Key="k" * 257)
    assert too_long.status_code == 400 and rest.query("accounts-receivable/customer", ["id"],
                                                      [{"$eq": {"id": "IDEM-3"}}]) == []


def test_a_failed_write_is_replayed_too(rest):
    first = rest.call("POST", "/objects/accounts-receivable/customer", {"id": "CUST-0001", "name": "x"},
                      Idempotency_Key="dup-key")
    again = rest.call("POST", "/objects/accounts-receivable/customer", {"id": "CUST-0001", "name": "x"},
                      Idempotency_Key="dup-key")
    assert first.status_code == again.status_code == 409
    assert "x-ia-idempotency-cached-date" in again.headers


def test_a_lost_answer_is_settled_by_replaying_the_key(rest, emulator):
    emulator.admin.set_faults("error500_after_commit=1", seed=1)
    lost = rest.call("POST", "/objects/accounts-receivable/customer", {"id": "LOST-1", "name": "x"},
                     Idempotency_Key="lost")
    assert lost.status_code == 500 and lost.headers["content-type"].startswith("text/html")
    emulator.admin.set_faults("")
    retry = rest.call("POST", "/objects/accounts-receivable/customer", {"id": "LOST-1", "name": "x"},
                      Idempotency_Key="lost")
    assert retry.status_code == 201 and "x-ia-idempotency-cached-date" in retry.headers
    assert len(rest.query("accounts-receivable/customer", ["id"], [{"$eq": {"id": "LOST-1"}}])) == 1
    assert emulator.admin.usage()["helping-hands"]["faults_injected"] == 1


def test_same_key_in_flight_is_refused(emulator, rest):
    emulator.admin.set_config(latency_ms=400, concurrency=4)
    barrier = threading.Barrier(2)

    def post(name: str) -> httpx.Response:
        barrier.wait()
        return rest.call("POST", "/objects/accounts-receivable/customer", {"id": "FLY-1", "name": "x"},
                         Idempotency_Key="fly")

    with ThreadPoolExecutor(2) as pool:
        codes = sorted(r.status_code for r in pool.map(post, ["a", "b"]))
    assert codes == [201, 409]


def test_entity_header_scopes_reads_and_writes(group, emulator):
    everything = {r["id"] for r in group.query("accounts-receivable/customer", ["id"],
                                               filterParameters={"includePrivate": True})}
    at_e100 = {r["id"] for r in group.query("accounts-receivable/customer", ["id"],
                                            headers={"X-IA-API-Param-Entity": "E100"})}
    assert "E200-CUST-01" in everything and "E200-CUST-01" not in at_e100 and "E100-CUST-01" in at_e100
    key = group.ok("POST", "/objects/accounts-receivable/customer", {"id": "ENT-C", "name": "x"},
                   X_IA_API_Param_Entity="E100")["key"]
    assert group.ok("GET", f"/objects/accounts-receivable/customer/{key}",
                    X_IA_API_Param_Entity="E100")["entity"]["id"] == "E100"
    assert group.call("GET", f"/objects/accounts-receivable/customer/{key}").status_code == 404  # private at top
    top_only = {r["id"] for r in group.query("accounts-receivable/customer", ["id"])}
    assert "ENT-C" not in top_only and "SHARED-CUST-01" in top_only


def test_unknown_entity_is_refused_and_a_misspelled_header_is_not_the_entity(group, emulator):
    refused = group.call("GET", "/objects/accounts-receivable/customer", X_IA_API_Param_Entity="E999")
    assert refused.status_code == 403
    key = group.ok("POST", "/objects/accounts-receivable/customer", {"id": "TYPO-C", "name": "x"},
                   X_IA_API_ParamEntity="E100")["key"]
    assert group.ok("GET", f"/objects/accounts-receivable/customer/{key}")["entity"]["id"] is None
    emulator.admin.set_config(rest_entity_header_typos="reject", rest_bad_entity_status=400)
    assert group.call("GET", "/objects/accounts-receivable/customer", X_IA_API_ParamEntity="E100").status_code == 400
    assert group.call("GET", "/objects/accounts-receivable/customer", X_IA_API_Param_Entity="E999").status_code == 400


def test_token_bound_to_an_entity_scopes_every_call(emulator):
    client = RestClient(emulator, username=f"{USER[0]}@{GROUP_COMPANY}|E200")
    try:
        ids = {r["id"] for r in client.query("accounts-receivable/customer", ["id"])}
        assert "E200-CUST-01" in ids and "E100-CUST-01" not in ids
    finally:
        client.close()


def test_concurrency_limit_is_shared_with_the_xml_wire_and_answers_429(emulator, rest, wire):
    emulator.admin.set_config(concurrency=1, latency_ms=400)
    barrier = threading.Barrier(3)

    def rest_call(_: int) -> httpx.Response:
        barrier.wait()
        return rest.call("GET", "/objects/general-ledger/account")

    def xml_call() -> int:
        barrier.wait()
        return wire.call([("f", "<getAPISession/>")]).http.status_code

    with ThreadPoolExecutor(3) as pool:
        xml = pool.submit(xml_call)
        answers = list(pool.map(rest_call, [1, 2]))
        codes = sorted([xml.result(), *(a.status_code for a in answers)])
    assert codes.count(429) == 2 and codes.count(200) == 1, codes
    refused = next(a for a in answers if a.status_code == 429)  # one of three passes, so a REST call is refused
    assert refused.json()["ia::error"]["code"] == "GW-0010"
    assert refused.headers["X-IA-Throttle-Limit"] == "1" and refused.headers["Retry-After"] == "1"
    assert emulator.admin.usage()["helping-hands"]["concurrency_violations"] == 2


def test_rate429_fault_and_usage_counters(emulator, rest):
    emulator.admin.reset_usage()
    emulator.admin.set_faults("rate429=1", seed=3)
    assert rest.call("GET", "/objects/general-ledger/account").status_code == 429
    emulator.admin.set_faults("")
    rest.ok("POST", "/objects/accounts-receivable/customer", [{"id": "U-1", "name": "x"}, {"id": "U-2", "name": "y"}])
    rest.query("general-ledger/account", ["id"])
    usage = emulator.admin.usage()
    assert usage[""]["faults_injected"] == 1
    assert usage["helping-hands"]["api_transactions"] == 3 and usage["helping-hands"]["functions_succeeded"] == 2


def test_session_expiry_fault_expires_the_access_token(emulator, rest):
    emulator.admin.set_faults("session_expiry=1", seed=1)
    answer = rest.call("GET", "/objects/general-ledger/account")
    assert answer.status_code == 401 and "expired" in answer.text
    emulator.admin.set_faults("")
    assert rest.call("GET", "/objects/general-ledger/account", token=rest.grant(
        username="ws_bridge@helping-hands").json()["access_token"]).status_code == 200


def test_a_dropped_answer_is_settled_by_the_key(emulator, rest):
    emulator.admin.set_faults("drop_after_commit=1", seed=1)
    with pytest.raises(httpx.RemoteProtocolError):
        rest.call("POST", "/objects/accounts-receivable/customer", {"id": "DROP-1", "name": "x"}, Idempotency_Key="d")
    emulator.admin.set_faults("")
    retry = rest.call("POST", "/objects/accounts-receivable/customer", {"id": "DROP-1", "name": "x"},
                      Idempotency_Key="d")
    assert retry.status_code == 201 and "x-ia-idempotency-cached-date" in retry.headers


def test_patch_journal_entry_lines_by_key(rest, wire):
    from datetime import date

    entry = {"glJournal": {"id": "GJ"}, "postingDate": date.today().isoformat(), "description": "to patch",
             "lines": [{"txnType": "debit", "txnAmount": "10", "glAccount": {"id": "1000"},
                        "dimensions": {"location": {"id": "100"}}},
                       {"txnType": "credit", "txnAmount": "10", "glAccount": {"id": "4000"},
                        "dimensions": {"location": {"id": "100"}}}]}
    key = rest.ok("POST", "/objects/general-ledger/journal-entry", entry)["key"]
    lines = rest.ok("GET", f"/objects/general-ledger/journal-entry/{key}")["lines"]
    patch = {"description": "patched", "lines": [
        {"key": lines[0]["key"], "txnAmount": "25"}, {"key": lines[1]["key"], "ia::operation": "delete"},
        {"txnType": "credit", "txnAmount": "25", "glAccount": {"id": "4000"}, "dimensions": {"location": {"id": "100"}}}]}
    assert rest.call("PATCH", f"/objects/general-ledger/journal-entry/{key}", patch).status_code == 200
    rows = rest.query("general-ledger/journal-entry-line", ["txnType", "txnAmount", "journalEntry.key"],
                      [{"$eq": {"journalEntry.key": key}}], orderBy=[{"txnType": "desc"}])
    assert [(r["txnType"], r["txnAmount"]) for r in rows] == [("debit", "25.00"), ("credit", "25.00")]
    unbalanced = rest.call("PATCH", f"/objects/general-ledger/journal-entry/{key}",
                           {"lines": [{"key": lines[0]["key"], "txnAmount": "30"}]})
    assert unbalanced.status_code == 422


def test_unknown_fields_can_be_ignored_and_stock_and_model_are_served(emulator, rest):
    emulator.admin.set_config(rest_unknown_fields="ignore")
    assert rest.call("POST", "/objects/accounts-receivable/customer",
                     {"id": "IGN-1", "name": "x", "notAField": 1}).status_code == 201
    stock = rest.query("inventory-control/item-warehouse-inventory", ["item.id", "warehouse.id", "quantityOnHand",
                                                                       "item.key"])
    assert stock and all(row["quantityOnHand"] is not None and row["item.key"] for row in stock)
    model = rest.call("GET", "/services/core/model?name=general-ledger/journal-entry").json()["ia::result"]
    assert model["fields"]["state"]["enum"][:1] == ["draft"] and model["fields"]["key"]["readOnly"] is True


def test_composite_subrequests_carry_their_own_idempotency_keys(rest):
    subs = [{"method": "POST", "path": "/objects/accounts-receivable/customer", "body": {"id": "CK-1", "name": "x"},
             "headers": {"Idempotency-Key": "ck-1"}},
            {"method": "POST", "path": "/objects/accounts-receivable/customer", "body": {"id": "CK-2", "name": "y"},
             "headers": {"Idempotency-Key": "ck-2"}}]
    first = rest.call("POST", "/services/core/composite", subs)
    again = rest.call("POST", "/services/core/composite", subs)
    assert first.status_code == again.status_code == 200
    assert [i["ia::result"]["key"] for i in first.json()["ia::result"]] == \
        [i["ia::result"]["key"] for i in again.json()["ia::result"]]
    assert len(rest.query("accounts-receivable/customer", ["id"], [{"$in": {"id": ["CK-1", "CK-2"]}}])) == 2
    assert rest.call("POST", "/services/core/composite", subs[:1]).status_code == 400  # 2 to 10 subrequests


def test_several_keys_in_one_get_or_delete(rest):
    keys = [item["key"] for item in rest.ok("POST", "/objects/company-config/class",
                                            [{"id": "K-1", "name": "a"}, {"id": "K-2", "name": "b"}])]
    both = rest.ok("GET", f"/objects/company-config/class/{','.join(keys)}")
    assert [c["id"] for c in both] == ["K-1", "K-2"]
    partly = rest.call("DELETE", f"/objects/company-config/class/{keys[0]},999999")
    assert partly.status_code == 207
    assert [item["ia::status"] for item in partly.json()["ia::result"]] == [204, 404]
    assert rest.call("DELETE", f"/objects/company-config/class/{keys[1]}").status_code == 204


def test_gl_preferences_answer_the_closed_through_date_of_the_entity_as_get_companyprefs_does(group, emulator):
    from datetime import date

    emulator.admin.set_closed_through(GROUP_COMPANY, None, date(2026, 3, 31))
    emulator.admin.set_closed_through(GROUP_COMPANY, "E200", date(2026, 6, 30))
    emulator.admin.reset_usage()
    top = group.ok("GET", "/objects/general-ledger/setup")
    assert top["booksClosedThrough"] == "2026-03-31"
    assert group.ok("GET", "/objects/general-ledger/setup", X_IA_API_Param_Entity="E200")["booksClosedThrough"] == \
        "2026-06-30"
    assert group.ok("GET", "/objects/general-ledger/setup", X_IA_API_Param_Entity="E100")["booksClosedThrough"] == \
        "2026-03-31"   # no date of its own: the company's, as the GLBATCH check applies
    assert emulator.admin.usage()[GROUP_COMPANY].get("api_transactions", 0) == 0   # billed 0, like get_companyprefs
    assert group.call("POST", "/objects/general-ledger/setup", {"booksClosedThrough": None}).status_code == 405
    emulator.admin.set_config(rest_gl_setup_path="company-config/gl-preference")   # the path is a knob
    assert group.ok("GET", "/objects/company-config/gl-preference")["booksClosedThrough"] == "2026-03-31"
    assert group.call("GET", "/objects/general-ledger/setup").status_code in (400, 404)
