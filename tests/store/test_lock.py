"""The run lock: one holder per workspace, across processes; dead holders do not block forever."""

from __future__ import annotations

import multiprocessing
import os
from datetime import timedelta

import pytest
from sqlalchemy import update

from intacct_bridge.store.database import open_store
from intacct_bridge.store.errors import RunLocked
from intacct_bridge.store.locks import RunLock, holder_is_dead_here
from intacct_bridge.store.models import WorkspaceLock, utcnow
from intacct_bridge.store.repositories.workspaces import create_workspace


def make_workspace(store) -> int:
    with store.session() as session:
        return create_workspace(session, "Helping Hands").id


def test_second_holder_is_refused_with_a_clear_message(store):
    ws = make_workspace(store)
    first = RunLock(store, ws, heartbeat_every=None)
    first.acquire()
    with pytest.raises(RunLocked, match=r"a sync is already running for this workspace .* wait for it to finish"):
        RunLock(store, ws).acquire()
    first.release()
    with RunLock(store, ws, purpose="pull"):
        pass


def test_reacquire_by_the_same_holder_is_allowed(store):
    ws = make_workspace(store)
    lock = RunLock(store, ws, heartbeat_every=None)
    lock.acquire()
    lock.acquire(purpose="pull")
    with store.session() as session:
        row = session.get(WorkspaceLock, ws)
        assert (row.holder, row.purpose) == (lock.holder, "pull")
    with pytest.raises(RunLocked):
        RunLock(store, ws, heartbeat_every=None).acquire()
    lock.release()
    with store.session() as session:
        assert session.get(WorkspaceLock, ws).holder is None


def test_stale_heartbeat_is_taken_over_and_the_old_holder_notices(store):
    ws = make_workspace(store)
    old = RunLock(store, ws, holder="elsewhere|1|x", heartbeat_every=None)
    old.acquire()
    with store.session() as session:
        session.execute(update(WorkspaceLock).values(heartbeat_at=utcnow() - timedelta(minutes=10)))
    new = RunLock(store, ws, stale_after=timedelta(minutes=2))
    new.acquire()
    assert not old.lost.is_set()
    assert old.heartbeat() is False
    assert old.lost.is_set()
    assert new.heartbeat() is True and not new.lost.is_set()
    new.release()


def test_a_dead_local_holder_is_taken_over_at_once(store):
    ws = make_workspace(store)
    process = multiprocessing.get_context("spawn").Process(target=os.getpid)
    process.start()
    process.join()
    dead = f"{__import__('socket').gethostname()}|{process.pid}|abc"
    assert holder_is_dead_here(dead)
    RunLock(store, ws, holder=dead, heartbeat_every=None).acquire()
    lock = RunLock(store, ws, heartbeat_every=None)
    lock.acquire()
    lock.release()


def _hold_in_child(url: str, ws: int, ready, done) -> None:
    store = open_store(url)
    with RunLock(store, ws, purpose="sync"):
        ready.set()
        done.wait(30)
    store.dispose()


def test_lock_holds_across_processes(store_url):
    store = open_store(store_url)
    ws = make_workspace(store)
    context = multiprocessing.get_context("spawn")
    ready, done = context.Event(), context.Event()
    child = context.Process(target=_hold_in_child, args=(store_url, ws, ready, done))
    child.start()
    try:
        assert ready.wait(60), "child did not take the lock"
        with pytest.raises(RunLocked, match=f"process {child.pid}"):
            RunLock(store, ws).acquire()
    finally:
        done.set()
        child.join(30)
    with RunLock(store, ws):
        pass
    store.dispose()


def _race(url: str, ws: int, ready, start, results, done) -> None:
    store = open_store(url)
    ready.release()
    start.wait(60)
    try:
        RunLock(store, ws, heartbeat_every=None).acquire()
        results.put("won")
    except RunLocked:
        results.put("refused")
    done.wait(60)  # the winner stays alive so nobody takes over a dead holder's claim
    store.dispose()


def test_simultaneous_claims_from_many_processes_have_one_winner(store_url):
    store = open_store(store_url)
    ws = make_workspace(store)
    context = multiprocessing.get_context("spawn")
    ready, start, done, results = context.Semaphore(0), context.Event(), context.Event(), context.Queue()
    racers = [context.Process(target=_race, args=(store_url, ws, ready, start, results, done)) for _ in range(4)]
    for racer in racers:
        racer.start()
    for _ in racers:
        assert ready.acquire(timeout=60)
    start.set()
    outcomes = sorted(results.get(timeout=60) for _ in racers)
    done.set()
    for racer in racers:
        racer.join(30)
    assert outcomes == ["refused", "refused", "refused", "won"]
    store.dispose()
