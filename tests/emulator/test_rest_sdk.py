"""An independently written REST client, fylein's `sageintacctrestsdk` (used in production by Fyle), unmodified.

Its base URL is a module constant (`https://api.intacct.com/ia/api/v1`); the test points that
constant at the emulator, as a user would point it at a sandbox, and changes nothing else.
"""

from __future__ import annotations

from datetime import date

import pytest

from conftest import COMPANY, GROUP_COMPANY, USER

intacctsdk = pytest.importorskip("intacctsdk", reason="fylein's REST SDK: pip install sageintacctrestsdk (test extra)")
from intacctsdk import IntacctRESTSDK  # noqa: E402
from intacctsdk.apis import api_base  # noqa: E402
from intacctsdk.exceptions import BadRequestError  # noqa: E402


@pytest.fixture
def connect(emulator, monkeypatch):
    monkeypatch.setattr(intacctsdk.intacctsdk, "BASE_URL", emulator.rest_base_url)
    monkeypatch.setattr(api_base, "BASE_URL", emulator.rest_base_url)

    def make(company: str = COMPANY, entity_id: str | None = None, **kw) -> IntacctRESTSDK:
        return IntacctRESTSDK(username=f"{USER[0]}@{company}", client_id=emulator.client_id,
                              client_secret=emulator.client_secret, entity_id=entity_id, **kw)

    return make


def test_reads_pages_counts_and_master_data_writes(connect, wire):
    sdk = connect()
    total = sdk.accounts.count()
    accounts = [row for page in sdk.accounts.get_all_generator(fields=["id", "name", "status"]) for row in page]
    assert len(accounts) == total > 0 and {"id", "name", "status"} <= set(accounts[0])
    active = sdk.accounts.count(filters=[{"$eq": {"status": "active"}}])
    assert 0 < active <= total

    created = sdk.customers.post({"id": "SDK-C1", "name": "From the SDK"})["ia::result"]
    assert created["id"] == "SDK-C1"
    sdk.customers.update(created["key"], {"name": "Renamed by the SDK"})
    assert sdk.customers.get_by_key(created["key"])["ia::result"]["name"] == "Renamed by the SDK"
    xml = wire.call([("q", "<readByName><object>CUSTOMER</object><keys>SDK-C1</keys><fields>NAME</fields>"
                           "</readByName>")]).result()
    assert xml.findtext("data/CUSTOMER/NAME") == "Renamed by the SDK"
    with pytest.raises(BadRequestError):
        sdk.customers.post({"id": "SDK-C1", "name": "Twin"})  # 409: the SDK raises for every 4xx
    assert sdk.customers.delete(created["key"]) is None  # 204


def test_journal_entry_with_idempotency_key_posts_once(connect):
    sdk = connect()
    entry = {"glJournal": {"id": "GJ"}, "postingDate": date.today().isoformat(), "description": "SDK entry",
             "lines": [{"txnType": "debit", "txnAmount": "75.25", "glAccount": {"id": "1000"},
                        "dimensions": {"location": {"id": "100"}}},
                       {"txnType": "credit", "txnAmount": "75.25", "glAccount": {"id": "4000"},
                        "dimensions": {"location": {"id": "100"}}}]}
    first = sdk.journal_entries.post(entry, idempotent_key="sdk-je-1")
    again = sdk.journal_entries.post(entry, idempotent_key="sdk-je-1")
    assert first == again
    rows = [r for page in sdk.journal_entries.get_all_generator(
        fields=["key", "description"], filters=[{"$eq": {"description": "SDK entry"}}]) for r in page]
    assert rows == [{"key": first["ia::result"]["key"], "description": "SDK entry"}]


def test_entities_refresh_token_and_session(connect):
    sdk = connect(GROUP_COMPANY)
    entities = [r["id"] for page in sdk.location_entities.get_all_generator(fields=["id", "name"]) for r in page]
    assert entities == ["E100", "E200", "E300"]
    at_e200 = connect(GROUP_COMPANY, entity_id="E200")
    ids = {r["id"] for page in at_e200.customers.get_all_generator(fields=["id"]) for r in page}
    assert "E200-CUST-01" in ids and "E100-CUST-01" not in ids
    renewed = connect(refresh_token=sdk.refresh_token, use_client_credentials_auth=False)
    assert renewed.access_token != sdk.access_token and renewed.accounts.count() > 0
    assert sdk.sessions.get_session_id()["sessionId"]
    assert {d["dimensionName"] for d in sdk.dimensions.list()} >= {"location", "department", "class"}
