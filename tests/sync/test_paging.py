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
    repo.import_many([(QuoteFields(author=f"A{i}", content=f"Quote {i}."), i % 5) for i in range(start, start + n)])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "q.db"
    store = SQLiteStore(path, faults=None)
    fill(QuoteRepo(store), N)
    store.close()
    return path


def test_one_transaction_cannot_outlive_the_lifetime(db) -> None:
    store = SQLiteStore(db, transaction_lifetime=0.0, faults=None)
    try:
        with pytest.raises(TransactionTooOld):
            store.transact(lambda tr: tr.get(b"anything"))
    finally:
        store.close()


def test_a_snapshot_and_a_catch_up_larger_than_a_transaction_complete_by_paging(db) -> None:
    short = SQLiteStore(db, transaction_lifetime=SHORT_LIFETIME, faults=None)
    normal = SQLiteStore(db, faults=None)
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


def test_a_watch_that_keeps_failing_backs_off(tmp_path) -> None:
    store = SQLiteStore(tmp_path / "q.db", faults=Faults(2, {"watch_error": 1.0}))
    repo = QuoteRepo(store)
    repo.insert("Ann", "Watched.")
    reads: list[float] = []
    cursor = repo.cursor

    def counted(*args):
        reads.append(time.monotonic())
        return cursor(*args)

    repo.cursor = counted  # every full read takes the cursor first

    async def scenario() -> None:
        live = LiveCollection(repo, mode="reread")
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
