"""Every read of the repository skips a damaged record and names it (``QuoteRepo.damaged``).

The window's load (newest first through the insertion-time index, then
pages in id order) and the live feed's catch-ups read through these; a
record no quote can be must never end them. Writes that need the record
whole (edit, like, delete) say it is damaged instead.
"""

from __future__ import annotations

import json

import pytest
from support.quotes import make_quote

from app.repo import StoreError


@pytest.fixture
def damaged(repo):
    """Three quotes, the middle one's record overwritten with a naive time; its id."""
    quotes = [make_quote(minute=n) for n in range(3)]
    for quote in quotes:
        repo.restore(quote)
    record = {"author": "A", "content": "C", "as_of": None, "version": 1}
    raw = json.dumps(record | {"inserted_at": "2024-05-01T12:01:00", "updated_at": "2024-05-01T12:01:00"})
    repo.store.transact(lambda tr: tr.set(repo.keys.record(quotes[1].id), raw.encode()))
    return quotes[1].id, {quotes[0].id, quotes[2].id}


def test_reads_skip_a_damaged_record_and_name_it(repo, damaged):
    damaged_id, others = damaged
    assert {q.id for q in repo.read_all()} == others
    assert {q.id for q in repo.newest_page(None, 10)[0]} == others
    assert {q.id for q in repo.page(None, 10)[0]} == others
    assert set(repo.get_many([damaged_id, *others])) == others
    assert repo.get(damaged_id) is None
    assert repo.damaged == {damaged_id: "a time without its offset"}


def test_a_write_that_needs_the_damaged_record_says_so(repo, damaged):
    damaged_id, _ = damaged
    with pytest.raises(StoreError, match=f"damaged record: quote {damaged_id}"):
        repo.update(damaged_id, content="New")
    with pytest.raises(StoreError, match="damaged"):
        repo.add_likes(damaged_id)


def test_a_quote_without_its_likes_key_reads_with_none(repo):
    """A page pairs records with likes row by row; a likes key missing (a store another
    version wrote) leaves the page to be read a record at a time, with 0 likes."""
    quotes = [make_quote(minute=n, likes=n + 1) for n in range(4)]
    for quote in quotes:
        repo.restore(quote)
    repo.store.transact(lambda tr: tr.clear(repo.keys.likes(quotes[2].id)))
    read = {q.id: q.likes for q in repo.page(None, 10)[0]}
    assert read == {q.id: 0 if q is quotes[2] else q.likes for q in quotes}
