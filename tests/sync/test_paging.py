"""Reads that fit in FoundationDB's 5 seconds at any size.

The embedded store can lower its transaction lifetime (a constructor
argument), so a collection far bigger than one short transaction can read
must still load by paging, and catch up by paging when the log cannot say
what changed.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from app.repo import QuoteRepo
from app.repo.schema import QuoteFields
from app.store.errors import TransactionTooOld
from app.store.faults import Faults
from app.store.sqlite import SQLiteStore
from app.sync.events import Changes, Snapshot
from app.sync.live import LiveCollection

N = 20_000
#: Far less than FoundationDB's 5 s: a whole read of N quotes cannot fit.
SHORT_LIFETIME = 0.05


def fill(repo: QuoteRepo, n: int, start: int = 0) -> None:
    repo.import_many(
        [(QuoteFields(author=f"A{i}", content=f"Quote {i}."), i % 5) for i in range(start, start + n)]
    )


@pytest.fixture
def filled_db(db: Path) -> Path:
    """An embedded store of N quotes."""
    with SQLiteStore(db, faults=None) as store:
        fill(QuoteRepo(store), N)
    return db


def test_one_transaction_cannot_outlive_the_lifetime(filled_db) -> None:
    with SQLiteStore(filled_db, transaction_lifetime=0.0, faults=None) as store:
        with pytest.raises(TransactionTooOld):
            store.transact(lambda tr: tr.get(b"anything"))


def test_a_snapshot_and_a_catch_up_larger_than_a_transaction_complete_by_paging(filled_db) -> None:
    short = SQLiteStore(filled_db, transaction_lifetime=SHORT_LIFETIME, faults=None)
    normal = SQLiteStore(filled_db, faults=None)
    writer = QuoteRepo(normal)

    async def scenario() -> None:
        live = LiveCollection(QuoteRepo(short), page=500)
        try:
            snapshot = await asyncio.wait_for(live.__anext__(), 60)
            assert isinstance(snapshot, Snapshot)
            assert {q.id: q for q in snapshot.quotes} == {q.id: q for q in writer.read_all()}
            assert len(snapshot.quotes) == N

            fill(writer, N, start=N)  # 20,000 log entries after the live cursor
            changes = await asyncio.wait_for(live.__anext__(), 60)
            assert isinstance(changes, Changes)
            assert len(changes.inserted) == N
            assert live.quotes == {q.id: q for q in writer.read_all()}
        finally:
            await live.aclose()

    try:
        asyncio.run(scenario())
    finally:
        short.close()
        normal.close()


def test_a_watch_that_keeps_failing_backs_off(db, monkeypatch) -> None:
    store = SQLiteStore(db, faults=Faults(2, {"watch_error": 1.0}))
    repo = QuoteRepo(store)
    repo.insert("Ann", "Watched.")
    reads: list[float] = []
    catch_up = repo.catch_up

    def counted(cursor, *, watch=False):
        reads.append(time.monotonic())
        return catch_up(cursor, watch=watch)

    monkeypatch.setattr(repo, "catch_up", counted)  # each read after a firing catches up

    async def scenario() -> None:
        live = LiveCollection(repo)
        try:
            await asyncio.wait_for(live.__anext__(), 10)
            following = asyncio.ensure_future(live.__anext__())
            deadline = time.monotonic() + 10
            while len(reads) < 4 and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            following.cancel()
        finally:
            await live.aclose()

    try:
        asyncio.run(scenario())
    finally:
        store.close()
    assert len(reads) >= 4
    # Back-off between re-reads of a failing watch: 0.2 s, 0.5 s, 1 s, ...
    assert reads[3] - reads[0] >= 1.5, f"re-armed too fast: {[round(t - reads[0], 2) for t in reads]}"
