"""The offline cache of a collection: written as the live view changes, read back exact,
bounded, and caught up from its cursor (or read again) once the store answers."""

from __future__ import annotations

import asyncio

import pytest

from app.client import offline_cache
from app.client.offline_cache import CacheWriter, load
from app.repo import QuoteRepo, changelog
from app.sync.events import Changes, Snapshot
from app.sync.live import LiveCollection

STORE = "embedded store /nowhere/quotes.db"


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30.0))


def cache_of(repo: QuoteRepo, tenant: str = "default") -> None:
    """Cache ``repo``'s collection as a window would, from a live view's first read."""

    async def first_read() -> None:
        live = LiveCollection(repo)
        try:
            writer = CacheWriter(STORE, tenant)
            writer.saw(await live.__anext__(), live.cursor)
            writer.close()
        finally:
            await live.aclose()

    run(first_read())


def test_what_the_live_view_saw_is_read_back_exact_with_its_cursor(repo) -> None:
    quotes = [repo.insert("Ann", f"Quote {n}.") for n in range(3)]
    cache_of(repo)
    cached = load(STORE, "default")
    assert cached is not None and cached.cursor is not None
    assert cached.quotes == {q.id: q for q in quotes}
    writer = CacheWriter(STORE, "default")
    liked = quotes[0].replace(likes=4)
    writer.saw(Changes(updated=(liked,), deleted=(quotes[1].id,)), cached.cursor)
    writer.close()
    assert load(STORE, "default").quotes == {liked.id: liked, quotes[2].id: quotes[2]}
    assert load(STORE, "another") is None


def test_a_streamed_read_not_yet_whole_has_no_cursor(repo) -> None:
    quote = repo.insert("Ann", "Streaming.")
    writer = CacheWriter(STORE, "default")
    writer.saw(Snapshot((quote,), complete=False), None)
    writer.close()
    assert load(STORE, "default").cursor is None


def test_a_collection_past_the_bound_is_not_cached(repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offline_cache, "MAX_QUOTES", 2)
    for n in range(3):
        repo.insert("Ann", f"Quote {n}.")
    cache_of(repo)
    assert load(STORE, "default") is None
    assert not offline_cache.path_for(STORE, "default").exists()


def test_a_live_view_resumed_from_the_cache_catches_up_from_its_cursor(repo) -> None:
    kept, gone = repo.insert("Ann", "Kept."), repo.insert("Bob", "Deleted meanwhile.")
    cache_of(repo)
    cached = load(STORE, "default")
    repo.delete(gone.id)
    added = repo.insert("Cy", "Added meanwhile.")

    async def resumed() -> Changes:
        live = LiveCollection(repo, resume=(cached.quotes, cached.cursor))
        try:
            return await live.__anext__()
        finally:
            await live.aclose()

    changes = run(resumed())
    assert isinstance(changes, Changes) and changes.completes
    assert changes.inserted == (added,) and changes.deleted == (gone.id,)
    assert changes.records_read == 2  # only what changed, not the collection
    assert kept.id in cached.quotes


def test_a_cursor_the_log_no_longer_reaches_reads_the_collection_again(repo) -> None:
    repo.insert("Ann", "Kept.")
    cache_of(repo)
    cached = load(STORE, "default")
    added = repo.insert("Cy", "Added meanwhile.")
    changelog.trim(repo.store, repo.keys, 0)

    async def resumed() -> Changes:
        live = LiveCollection(repo, resume=(cached.quotes, cached.cursor))
        try:
            return await live.__anext__()
        finally:
            await live.aclose()

    changes = run(resumed())
    assert changes.completes and changes.inserted == (added,) and changes.deleted == ()
