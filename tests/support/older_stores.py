"""Stores as older versions of the app left them."""

from __future__ import annotations

from app.repo.quotes import QuoteRepo


def as_before_the_index(repo: QuoteRepo) -> None:
    """Make a collection look written before the insertion-time index existed."""
    begin, end = repo.keys.all_by_insertion
    repo.store.transact(lambda tr: (tr.clear_range(begin, end), tr.clear(repo.keys.insertion_index_complete)))
