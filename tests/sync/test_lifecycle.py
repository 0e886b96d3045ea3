"""A collection's lifecycle under open views: deleted, created again, switched
away from mid-read, and a store that goes away while a view idles."""

from __future__ import annotations

import asyncio
import threading
import uuid

import pytest
from support.cli import Cli, start_watch
from support.live_events import STEP, next_event, run
from support.waiting import WAIT_S

from app.repo import CollectionReplaced, QuoteRepo, open_repo, tenants
from app.store.base import Store
from app.store.fdb import FDBStore
from app.store.sqlite import SQLiteStore
from app.sync.events import Changes, CollectionDeleted, Offline, Snapshot
from app.sync.live import LiveCollection


def open_watches(store: Store) -> int:
    """The watches the store holds pending (its watch budget in use)."""
    if isinstance(store, FDBStore):
        return len(store._pending)
    assert isinstance(store, SQLiteStore)
    return len(store._watches._key_of)


@pytest.fixture
def tenant(store):
    name = f"life-{uuid.uuid4().hex[:10]}"
    tenants.create(store, name)
    yield name
    if tenants.exists(store, name):
        tenants.delete(store, name)


def test_a_live_view_shows_exactly_the_collection_created_again(store, tenant) -> None:
    old = QuoteRepo(store, tenant)
    for n in range(3):
        old.insert("Old", f"old {n}")

    async def scenario() -> None:
        live = LiveCollection(QuoteRepo(store, tenant))
        try:
            first = await next_event(live)
            assert isinstance(first, Snapshot) and len(first.quotes) == 3
            tenants.delete(store, tenant)
            assert isinstance(await next_event(live), CollectionDeleted)
            tenants.create(store, tenant)
            new = QuoteRepo(store, tenant).insert("New", "the only one")
            while sorted(q.content for q in live.quotes.values()) != [new.content]:
                event = await next_event(live)
                assert isinstance(event, Changes), event
        finally:
            await live.aclose()

    run(scenario())


def test_a_repository_never_writes_into_a_newer_incarnation(store, tenant) -> None:
    stale = QuoteRepo(store, tenant)
    gone = stale.delete(stale.insert("Old", "deleted, then undone").id)
    tenants.delete(store, tenant)
    tenants.create(store, tenant)
    with pytest.raises(CollectionReplaced):
        stale.restore(gone)  # an undo kept this repository
    fresh = QuoteRepo(store, tenant)
    assert fresh.read_all() == []
    fresh.restore(gone)  # opened on the new collection, it may
    assert [q.id for q in fresh.read_all()] == [gone.id]


def test_watch_of_a_deleted_collection_says_so_at_once_and_exits_1(file_cli: Cli, processes) -> None:
    file_cli.ok("tenants", "create", "x")
    file_cli.ok("--tenant", "x", "add", "--author", "Old", "--content", "old")
    process, events = start_watch(processes, Cli(*file_cli.where, "--tenant", "x"), "--json")
    assert events.next_json()["event"] == "snapshot"
    file_cli.ok("tenants", "delete", "x", "--yes")
    assert process.wait(timeout=WAIT_S) == 1
    stderr = process.stderr.read() if process.stderr else ""  # type: ignore[union-attr]
    lines = stderr.splitlines()
    assert len(lines) == 1 and "'x'" in lines[0], stderr
    file_cli.ok("tenants", "create", "x")
    file_cli.ok("--tenant", "x", "add", "--author", "New", "--content", "new")
    assert [q["content"] for q in file_cli.listed("--tenant", "x")] == ["new"]


def test_watches_of_cancelled_catch_ups_are_cancelled(store, tenant) -> None:
    """100 collection switches, each while a catch-up is running: no watch left."""
    repo = QuoteRepo(store, tenant)
    quote = repo.insert("A", "liked while switching")
    catch_up = repo.catch_up
    entered, release, returned = threading.Event(), threading.Event(), threading.Event()

    def held_catch_up(*args, **kwargs):
        entered.set()
        release.wait(WAIT_S)  # returns (with its watch) after the task was cancelled
        try:
            return catch_up(*args, **kwargs)
        finally:
            returned.set()

    async def scenario() -> None:
        before = open_watches(store)
        for _ in range(100):
            live = LiveCollection(repo)
            await next_event(live)  # the snapshot, watched
            entered.clear()
            release.clear()
            returned.clear()
            repo.catch_up = held_catch_up  # type: ignore[method-assign]
            repo.add_likes(quote.id)
            reading = asyncio.ensure_future(live.__anext__())
            assert await asyncio.to_thread(entered.wait, WAIT_S)
            reading.cancel()  # the window switches collection
            await asyncio.gather(reading, return_exceptions=True)
            await live.aclose()
            release.set()
            assert await asyncio.to_thread(returned.wait, WAIT_S)
            repo.catch_up = catch_up  # type: ignore[method-assign]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STEP
        while open_watches(store) != before and loop.time() < deadline:
            await asyncio.sleep(0.01)  # the last call's done callback, on its thread
        assert open_watches(store) == before

    run(scenario())


def test_an_idle_view_goes_offline_when_the_store_file_is_deleted_and_says_within_3_s(db) -> None:
    repo = open_repo(db, create=True)

    async def scenario() -> None:
        live = LiveCollection(repo)
        try:
            assert isinstance(await next_event(live), Snapshot)
            loop = asyncio.get_running_loop()
            for path in db.parent.glob(db.name + "*"):
                path.unlink()
            started = loop.time()
            event = await next_event(live)
            assert isinstance(event, Offline), event
            print(f"offline reported after {loop.time() - started:.2f} s")
            assert loop.time() - started < 3 + 1  # the ping's budget, and a tick
        finally:
            await live.aclose()

    try:
        run(scenario())
    finally:
        repo.close()
