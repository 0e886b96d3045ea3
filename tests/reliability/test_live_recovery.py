"""Live collections survive outages, trimmed logs and watches that fail or never fire."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.waiting import WAIT_S

from app.repo import QuoteRepo, changelog, open_repo
from app.store.errors import StoreUnavailable
from app.sync.events import Changes, Offline, Snapshot
from app.sync.live import LiveCollection


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, WAIT_S))


@pytest.fixture
def repo(db: Path) -> Iterator[QuoteRepo]:
    """The embedded store at ``db``, made here (closed afterwards)."""
    opened = open_repo(db, create=True)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def writer(repo: QuoteRepo, db: Path) -> Iterator[QuoteRepo]:
    """The same store, opened again: another client that writes."""
    opened = open_repo(db)
    try:
        yield opened
    finally:
        opened.close()


async def drain_until_equal(live: LiveCollection, repo) -> None:
    """Pull batches until what the live collection holds equals a fresh read."""
    while True:
        truth = {q.id: q for q in await asyncio.to_thread(repo.read_all)}
        if live.quotes == truth:
            return
        await live.__anext__()


def test_catches_up_from_its_cursor_after_the_store_comes_back(db: Path, repo: QuoteRepo, writer: QuoteRepo):

    async def scenario():
        live = LiveCollection(repo, recheck=0.2)
        try:
            assert isinstance(await live.__anext__(), Snapshot)
            os.rename(db, db.with_name("away.db"))
            assert isinstance(await live.__anext__(), Offline)
            os.rename(db.with_name("away.db"), db)
            added = await asyncio.to_thread(writer.insert, "Back", "online")
            seen: list[str] = []
            while added.id not in seen:
                event = await live.__anext__()
                assert isinstance(event, Changes)
                seen += [q.id for q in event.inserted]
                assert event.records_read <= 1, "caught up from the cursor, not a re-read"
            assert seen == [added.id], "nothing missed, nothing repeated"
        finally:
            await live.aclose()

    run(scenario())


def test_a_log_trimmed_past_the_cursor_gives_a_full_re_read(db: Path, repo: QuoteRepo, writer: QuoteRepo):
    kept = [writer.insert("Kept", f"quote {n}") for n in range(5)]

    async def scenario():
        live = LiveCollection(repo)
        try:
            await live.__anext__()
            gone = kept[0].id
            await asyncio.to_thread(writer.delete, gone)
            await asyncio.to_thread(writer.like, kept[1].id)
            added = await asyncio.to_thread(writer.insert, "New", "after the trim")
            await asyncio.to_thread(changelog.trim, writer.store, writer.keys, 0)
            event = await live.__anext__()
            assert event.records_read == 5, "a full re-read of the whole collection"
            assert [q.id for q in event.inserted] == [added.id]
            assert [q.likes for q in event.updated] == [1]
            assert event.deleted == (gone,)
            await drain_until_equal(live, writer)
        finally:
            await live.aclose()

    run(scenario())


def test_a_watch_that_fails_is_re_armed_by_re_reading(repo: QuoteRepo):

    async def scenario():
        live = LiveCollection(repo)
        try:
            await live.__anext__()
            failed = live._watch
            repo.store._watches._fail_all(StoreUnavailable("the watch broke"))
            assert failed.error() is not None
            added = await asyncio.to_thread(repo.insert, "After", "the failure")
            event = await live.__anext__()
            while not event.inserted:
                event = await live.__anext__()
            assert [q.id for q in event.inserted] == [added.id]
            assert live._watch is not failed
        finally:
            await live.aclose()

    run(scenario())


def test_a_watch_that_never_fires_cannot_leave_it_stale(repo: QuoteRepo):

    async def scenario():
        live = LiveCollection(repo, recheck=0.3)
        try:
            await live.__anext__()
            repo.store._watches.discard(live._watch)  # this watch will never fire
            added = await asyncio.to_thread(repo.insert, "Slow", "but sure")
            event = await live.__anext__()
            assert [q.id for q in event.inserted] == [added.id]
        finally:
            await live.aclose()

    run(scenario())
