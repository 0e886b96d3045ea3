"""Clearing a large range on the embedded store: one range statement, no key loaded.

A collection is deleted with one ``clear_range``; FoundationDB clears any
range in one transaction, so the embedded store must too, within its 5 s
transaction lifetime (it raises ``TransactionTooOld`` past it). Watches on
keys in the range still fire: the range is matched against the watched keys.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from support.waiting import WAIT_S

from app.store.errors import StoreUnavailable
from app.store.sqlite import SQLiteStore

#: Bytes of Python memory a clear may use whatever the range holds.
CLEAR_MEMORY = 1_000_000


def fill(store: SQLiteStore, count: int, per_transaction: int = 50_000) -> None:
    value = b"v" * 100
    for start in range(0, count, per_transaction):

        def batch(tr, start=start):
            for n in range(start, min(start + per_transaction, count)):
                tr.set(b"big/%08d" % n, value)

        store.transact(batch)


def count(store: SQLiteStore) -> int:
    return len(store.transact(lambda tr: tr.get_range(b"big/", b"big0")))


def test_a_large_clear_loads_none_of_its_keys_and_fires_the_watches_in_range(
    tmp_path: Path,
) -> None:
    with SQLiteStore(tmp_path / "s.db", faults=None) as store:
        fill(store, 100_000)
        store.transact(lambda tr: tr.set(b"keep", b"1"))
        inside = store.transact(lambda tr: tr.watch(b"big/00050000"))
        outside = store.transact(lambda tr: tr.watch(b"keep"))

        tracemalloc.start()
        try:
            store.transact(lambda tr: tr.clear_range(b"big/", b"big0"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

        # 100,000 keys read into Python would take several megabytes.
        assert peak < CLEAR_MEMORY
        assert count(store) == 0
        assert inside.wait(WAIT_S) and inside.error() is None
        assert not outside.done()
        outside.cancel()


@pytest.mark.slow
def test_a_million_keys_clear_in_one_transaction_within_its_lifetime(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db", faults=None) as store:
        fill(store, 1_000_000)
        store.transact(lambda tr: tr.clear_range(b"big/", b"big0"))  # TransactionTooOld past 5 s
        assert count(store) == 0


def test_ping_fails_once_the_store_file_is_gone(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStore(path, faults=None) as store:
        store.ping()
        path.unlink()
        with pytest.raises(StoreUnavailable, match="deleted or moved"):
            store.ping()
