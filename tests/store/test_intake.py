"""Bulk import: idempotent upsert by external id; a file with one bad row imports nothing."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from store_builders import pulled_workspace

from intacct_bridge.domain.intake import read_csv, read_jsonl
from intacct_bridge.domain.vocabulary import EXCLUDE_CAMPAIGN, ActionStatus
from intacct_bridge.store.models import Action, Constituent
from intacct_bridge.store.repositories.actions import get_action
from intacct_bridge.store.repositories.intake import ImportRejected, import_actions

UTC_ZONE = ZoneInfo("UTC")
HEADER = "external_id,type,amount,happened_at,created_at,summary,url,constituent_id,constituent_name,campaigns\n"


def csv_rows(*lines: str):
    return read_csv(io.StringIO(HEADER + "".join(line + "\n" for line in lines)))


def run_import(store, ws, rows):
    with store.session() as session:
        return import_actions(session, ws, rows, UTC_ZONE)


def count(store, model=Action) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_csv_import_creates_actions_constituents_and_links(store):
    with store.session() as session:
        ws = pulled_workspace(session)
    result = run_import(store, ws, csv_rows(
        "d-1,Donation,25.00,2025-06-30,2025-07-01T10:00:00+00:00,Gift,https://org.example/a/1,c-1,Ada Lovelace,CR 4000;DR 1000",
        "d-2,ticket,-10,2025-06-29T18:30:00-04:00,,,,c-1,Ada Lovelace,",
        "d-3,membership,,2025-07-02,,,,,Grace Hopper,CR 4000 - Donations | Locations: CR 100",
    ))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    with store.session() as session:
        one = get_action(session, ws, "d-1")
        assert one.type == "donation" and one.amount == Decimal("25.00")
        assert one.created_at == datetime(2025, 7, 1, 10, tzinfo=UTC)
        assert sorted(c.name for c in one.campaigns) == ["CR 4000 - Donations", "DR 1000 - Cash"]
        assert one.constituent.name == "Ada Lovelace" and one.status == ActionStatus.UNPOSTED.value
        two = get_action(session, ws, "d-2")
        assert two.amount == Decimal("-10.00")
        assert two.happened_at == datetime(2025, 6, 29, 22, 30, tzinfo=UTC)
        three = get_action(session, ws, "d-3")
        assert three.amount is None  # importable; the gate will flag it
        assert sorted(c.name for c in three.campaigns) == ["CR 100 - Main office", "CR 4000 - Donations"]
    assert count(store, Constituent) == 2


def test_reimport_is_idempotent_and_updates_what_changed(store):
    with store.session() as session:
        ws = pulled_workspace(session)
    line = "d-1,donation,25.00,2025-06-30,2025-07-01T00:00:00Z,Gift,,c-1,Ada,CR 4000;DR 1000"
    run_import(store, ws, csv_rows(line))
    again = run_import(store, ws, csv_rows(line))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = run_import(store, ws, csv_rows("d-1,donation,30.00,2025-06-30,2025-07-01T00:00:00Z,Gift,,c-1,Ada,CR 4100;DR 1000"))
    assert changed.updated == 1
    with store.session() as session:
        action = get_action(session, ws, "d-1")
        assert action.amount == Decimal("30.00")
        assert sorted(c.name for c in action.campaigns) == ["CR 4100 - Ticket Revenue", "DR 1000 - Cash"]
    assert count(store) == 1


def test_a_half_bad_file_imports_nothing_and_reports_every_bad_row(store):
    with store.session() as session:
        ws = pulled_workspace(session)
    with pytest.raises(ImportRejected) as caught:
        run_import(store, ws, csv_rows(
            "d-1,donation,25.00,2025-06-30,,,,,,CR 4000",
            "d-2,donation,12.345,2025-06-30,,,,,,",
            "d-3,,abc,30/06/2025,,,ftp://x,,,CR 9999",
            "d-1,donation,1,2025-06-30,,,,,,",
            "d-5,donation,5,,,,,,,",
        ))
    found = [(e.line, e.field) for e in caught.value.errors]
    assert found == [(3, "amount"), (4, "type"), (4, "amount"), (4, "happened_at"), (4, "url"), (5, "external_id"),
                     (6, "happened_at")]
    assert "more than 2 decimal places" in caught.value.errors[0].message
    assert count(store) == 0 and count(store, Constituent) == 0


def test_unknown_and_ambiguous_campaigns_are_bad_rows(store):
    with store.session() as session:
        ws = pulled_workspace(session)
    with pytest.raises(ImportRejected) as caught:
        run_import(store, ws, csv_rows("d-1,donation,1,2025-06-30,,,,,,CR 9999",
                                       "d-2,donation,1,2025-06-30,,,,,,System Needs Review"))
    messages = [str(e) for e in caught.value.errors]
    assert messages[0].startswith("line 2: campaigns: no campaign 'CR 9999'")
    assert "set by the sync" in messages[1]


def test_bad_rows_after_many_good_chunks_still_import_nothing(store):
    with store.session() as session:
        ws = pulled_workspace(session)
    good = [f"a-{i},donation,{i}.00,2025-06-30,,,,,,CR 4000;DR 1000" for i in range(1, 2501)]
    with pytest.raises(ImportRejected):
        run_import(store, ws, csv_rows(*good, "bad,donation,oops,,,,,,,"))
    assert count(store) == 0
    assert run_import(store, ws, csv_rows(*good)).created == 2500


def test_posted_actions_cannot_change_what_was_posted(store):
    with store.session() as session:
        ws = pulled_workspace(session)
    line = "d-1,donation,25.00,2025-06-30,,Gift,,,,CR 4000;DR 1000"
    run_import(store, ws, csv_rows(line))
    with store.session() as session:
        get_action(session, ws, "d-1").status = ActionStatus.POSTED.value
    assert run_import(store, ws, csv_rows(line.replace("Gift", "Gift (thanks!)"))).updated == 1
    with pytest.raises(ImportRejected, match="bad row") as caught:
        run_import(store, ws, csv_rows(line.replace("25.00", "26.00")))
    assert "already posted to Sage Intacct; its amount" in caught.value.errors[0].message


def test_exclude_campaign_survives_a_reimport_without_it(store):
    with store.session() as session:
        ws = pulled_workspace(session)
    run_import(store, ws, csv_rows(f"d-1,ticket,5,2025-06-30,,,,,,CR 4100;{EXCLUDE_CAMPAIGN}"))
    run_import(store, ws, csv_rows("d-1,ticket,5,2025-06-30,,,,,,CR 4100"))
    with store.session() as session:
        assert EXCLUDE_CAMPAIGN in {c.name for c in get_action(session, ws, "d-1").campaigns}


def test_json_lines_with_decimal_amounts_and_nested_constituent(store):
    with store.session() as session:
        ws = pulled_workspace(session)
    text = (
        '{"id": "j-1", "type": "donation", "amount": 19.99, "date": "2025-06-30", '
        '"constituent": {"id": "c-9", "name": "Zoë"}, "campaigns": ["CR 4000", "DR 1000"]}\n'
        "\n"
        '{"id": "j-2", "type": "ticket", "amount": "5", "happened_at": "2025-07-01"}\n'
    )
    assert run_import(store, ws, read_jsonl(io.StringIO(text))).created == 2
    with store.session() as session:
        action = get_action(session, ws, "j-1")
        assert action.amount == Decimal("19.99") and action.constituent.name == "Zoë"


def test_json_lines_errors_name_the_line():
    rows = list(read_jsonl(io.StringIO('{"id": 1}\nnot json\n[1]\n')))
    assert [(line, getattr(raw, "field", None)) for line, raw in rows] == [(1, None), (2, "(line)"), (3, "(line)")]


def test_two_imports_racing_on_postgresql_end_in_a_clear_conflict(pg_url):
    import threading

    from intacct_bridge.store.database import open_store
    from intacct_bridge.store.errors import Conflict

    store = open_store(pg_url)
    with store.session() as session:
        ws = pulled_workspace(session)
    line = "r-1,donation,5,2025-06-30,,,,c-1,Ada,"
    outcome: list[object] = []
    first = store.new_session()
    try:
        import_actions(first, ws, csv_rows(line), UTC_ZONE)  # flushed, not committed: holds the new keys
    except BaseException:
        first.close()  # an open transaction would block the schema's teardown
        raise

    def second() -> None:
        try:
            with store.session() as session:
                import_actions(session, ws, csv_rows(line), UTC_ZONE)
            outcome.append("imported")
        except Conflict as error:
            outcome.append(error)

    racer = threading.Thread(target=second)
    racer.start()
    racer.join(1.0)
    assert racer.is_alive()  # waiting on the first import's keys
    first.commit()
    first.close()
    racer.join(30)
    assert isinstance(outcome[0], Conflict) and "import it again" in str(outcome[0])
    assert count(store) == 1
    store.dispose()
