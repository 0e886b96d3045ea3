"""A collection of a million quotes can be deleted on the embedded store.

One transaction clears the tenant's keys with range clears, which the SQLite
engine runs as range deletes without loading a key, so the delete keeps
FoundationDB's 5-second rule. Benchmark-sized: ``scripts/test -m slow``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.repo import QuoteFields, QuoteRepo, tenants
from app.store.sqlite import SQLiteStore

QUOTES = 1_000_000


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_a_million_quote_collection_is_deleted_within_the_transaction_rules(tmp_path: Path):
    with SQLiteStore(tmp_path / "big.db", faults=None) as store:
        tenants.create(store, "big")
        big = QuoteRepo(store, "big")
        big.import_many((QuoteFields(author=f"A{n % 97}", content=f"Quote {n}."), 0) for n in range(QUOTES))
        assert big.counters()["inserts"] == QUOTES

        started = time.perf_counter()
        tenants.delete(store, "big")
        print(f"tenants delete of {QUOTES:,} quotes: {time.perf_counter() - started:.2f} s")

        assert tenants.names(store) == ["default"]
        left = store.transact(lambda tr: tr.get_range(b"", b"\xff", limit=10))
        assert all(not key.startswith(big.keys.prefix) for key, _ in left)
