"""The collector runs on the GUI thread only, pauses while a collection streams in,
and runs again once the load ends."""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
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


@pytest.fixture
def window_process() -> Iterator[None]:
    """The interpreter as ``runtime.start`` leaves it for a window, restored after."""
    switch = sys.getswitchinterval()
    runtime.start()
    try:
        yield
    finally:
        sys.setswitchinterval(switch)
        gc.enable()


class _Cycle:
    """Garbage only the cyclic collector frees; says on which thread it was freed."""

    def __init__(self, freed_on: list[str]) -> None:
        self.me = self
        self.freed_on = freed_on

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread().name)


def test_garbage_is_collected_on_the_thread_that_asks_never_on_a_store_thread(window_process: None) -> None:
    freed_on: list[str] = []
    _Cycle(freed_on)
    kept: list[list[int]] = []
    store_thread = threading.Thread(target=lambda: kept.extend([n] for n in range(10_000)), name="store")
    store_thread.start()
    store_thread.join()
    assert freed_on == [], "allocating past every threshold on another thread collects nothing"

    runtime.collect_when_due()
    assert freed_on == [threading.current_thread().name]


def test_nothing_is_collected_while_a_collection_loads(window_process: None) -> None:
    freed_on: list[str] = []
    _Cycle(freed_on)
    kept = [[n] for n in range(10_000)]
    runtime.collection_loading()
    runtime.collect_when_due()
    assert freed_on == [] and kept
    runtime.collection_loaded(whole=False)
    runtime.collect_when_due()
    assert freed_on == [threading.current_thread().name]


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
