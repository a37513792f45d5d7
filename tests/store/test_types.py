"""Money and timestamps read back exactly as written, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError

from intacct_bridge.store.models import Action
from intacct_bridge.store.repositories.workspaces import create_workspace

BIG = Decimal("9999999999999999.99")


def add_action(session, ws: int, external_id: str, amount, created_at=None) -> Action:
    action = Action(workspace_id=ws, external_id=external_id, type="donation", amount=amount,
                    created_at=created_at or datetime(2025, 1, 1, tzinfo=UTC))
    session.add(action)
    session.flush()
    return action


def test_money_is_exact_to_the_cent_at_the_limits(store):
    with store.session() as session:
        ws = create_workspace(session, "W").id
        for i, amount in enumerate([BIG, -BIG, Decimal("0.10"), Decimal("0.20"), Decimal("7")]):
            add_action(session, ws, f"a{i}", amount)
    with store.session() as session:
        amounts = session.scalars(select(Action.amount).order_by(Action.id)).all()
        assert amounts == [BIG, -BIG, Decimal("0.10"), Decimal("0.20"), Decimal("7.00")]
        assert all(str(a).split(".")[1].__len__() == 2 for a in amounts)
        small = select(func.sum(Action.amount)).where(Action.amount < Decimal("100"), Action.amount > 0)
        assert session.scalar(small) == Decimal("7.30")


@pytest.mark.parametrize("bad", [0.1, Decimal("1.005"), "12.00"])
def test_money_refuses_floats_text_and_sub_cents(store, bad):
    with pytest.raises(StatementError), store.session() as session:
        ws = create_workspace(session, "W").id
        add_action(session, ws, "x", bad)


def test_timestamps_are_aware_utc_and_naive_ones_are_refused(store):
    offset = timezone(timedelta(hours=-4))
    with store.session() as session:
        ws = create_workspace(session, "W").id
        add_action(session, ws, "a", Decimal("1"), created_at=datetime(2025, 6, 30, 20, 0, tzinfo=offset))
    with store.session() as session:
        created = session.scalar(select(Action.created_at))
        assert created == datetime(2025, 7, 1, 0, 0, tzinfo=UTC) and created.tzinfo is UTC
        later = session.scalar(select(func.count()).where(Action.created_at >= datetime(2025, 7, 1, tzinfo=UTC)))
        assert later == 1
    with pytest.raises(StatementError, match="naive datetime"), store.session() as session:
        add_action(session, ws, "b", Decimal("1"), created_at=datetime(2025, 1, 1))
