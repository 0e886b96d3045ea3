"""The collector pauses while a collection streams in, and runs again once the load ends."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest
from support.quotes import make_quote
from support.waiting import WAIT_S

from app.client import Changes, Page, QuoteSession, Snapshot, runtime
from app.repo.bulk import import_many
from app.repo.quotes import QuoteRepo


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector running before the test, as after it; nothing left frozen."""
    assert gc.isenabled()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


def test_loads_that_overlap_pause_the_collector_until_the_last_one_ends(collector: None) -> None:
    runtime.collection_loading()
    runtime.collection_loading()
    assert not gc.isenabled()
    runtime.collection_loaded(whole=False)
    assert not gc.isenabled(), "one load still under way"
    runtime.collection_loaded()
    assert gc.isenabled() and gc.get_freeze_count() > 0


def test_a_session_pauses_the_collector_while_its_collection_streams_in(
    collector: None, repo: QuoteRepo
) -> None:
    import_many(repo, [make_quote(f"q{n:03d}", minute=n) for n in range(450)])
    seen: list[tuple[str, bool]] = []

    async def load() -> None:
        session = QuoteSession(repo)
        session.stream = "newest"
        connected = asyncio.Event()
        session.on_connection = lambda problem: connected.set() if problem == "" else None
        session.subscribe(lambda event: seen.append((type(event).__name__, gc.isenabled())))
        session.start()
        try:
            await asyncio.wait_for(connected.wait(), WAIT_S)
            seen.append(("connected", gc.isenabled()))
        finally:
            await session.close()

    asyncio.run(load())
    kinds = [kind for kind, _ in seen]
    assert (
        kinds[0] == Snapshot.__name__
        and Page.__name__ in kinds
        and kinds[-2:] == [Changes.__name__, "connected"]
    )
    assert [running for _, running in seen[1:-1]] == [False] * (len(seen) - 2), "paused while it streams in"
    assert seen[-1] == ("connected", True)
