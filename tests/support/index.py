"""Collections as a store written before the insertion-time index holds them."""

from __future__ import annotations

from app.repo import QuoteRepo


def as_before_the_index(repo: QuoteRepo) -> None:
    """Make a collection look written before the insertion-time index existed."""
    begin, end = repo.keys.all_by_insertion
    complete = repo.keys.insertion_index_complete
    repo.store.transact(lambda tr: (tr.clear_range(begin, end), tr.clear(complete)))
