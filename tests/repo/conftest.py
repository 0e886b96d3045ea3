"""The repository tests' store: a real SQLite file in a temporary folder."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from app.repo import QuoteRepo
from app.repo.schema import Quote, now
from app.store.sqlite import SQLiteStore


@pytest.fixture
def store(tmp_path: Path):
    # Exact counters and exactly which watches fire: no injected faults here
    # (test_exactly_once.py runs the writes under them).
    with SQLiteStore(tmp_path / "quotes.db", faults=None) as store:
        yield store


@pytest.fixture
def repo(store) -> QuoteRepo:
    return QuoteRepo(store)


def make(quote_id: str | None = None, **fields) -> Quote:
    """A whole quote as import or undo brings it back (its times as given)."""
    at = now()
    return Quote(
        id=quote_id or str(uuid.uuid4()),
        author=fields.get("author", "Ann"),
        content=fields.get("content", "Once."),
        likes=fields.get("likes", 0),
        inserted_at=fields.get("inserted_at", at),
        updated_at=fields.get("updated_at", at),
    )


def as_before_the_index(repo: QuoteRepo) -> None:
    """Make a collection look written before the insertion-time index existed."""
    begin, end = repo.keys.all_by_insertion
    repo.store.transact(
        lambda tr: (tr.clear_range(begin, end), tr.clear(repo.keys.insertion_index_complete))
    )
