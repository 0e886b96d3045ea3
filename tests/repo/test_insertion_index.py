"""The insertion-time index: newest first a page at a time, and filled in for old stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from support.index import as_before_the_index
from support.quotes import make_quote as make

from app.repo import QuoteRepo, UnknownTenant, tenants


def complete(repo: QuoteRepo) -> bool:
    return repo.start_read().indexed


BASE = datetime(2024, 1, 1, tzinfo=UTC)


def newest_first(repo, size: int = 2) -> list:
    """Every quote through ``newest_page``, ``size`` at a time."""
    quotes, before = repo.newest_page(None, size)
    while before is not None:
        more, before = repo.newest_page(before, size)
        quotes += more
    return quotes


def test_pages_go_newest_first_by_insertion_time_and_forget_deleted_quotes(repo) -> None:
    plus_two = timezone(timedelta(hours=2))  # 02:30 at +02:00 is 00:30 UTC: between old and mid
    old, mid, shifted = (
        make(inserted_at=BASE, updated_at=BASE),
        make(inserted_at=BASE + timedelta(hours=1), updated_at=BASE + timedelta(hours=1)),
        make(inserted_at=datetime(2024, 1, 1, 2, 30, tzinfo=plus_two)),
    )
    for quote in (mid, old, shifted):
        repo.restore(quote)
    added = repo.insert("Ann", "Just now.")
    repo.like(old.id)
    repo.update(mid.id, content="Edited, still as old as it was.")

    assert [q.id for q in newest_first(repo)] == [added.id, mid.id, shifted.id, old.id]
    first, before = repo.newest_page(None, 2)
    assert [q.id for q in first] == [added.id, mid.id] and before is not None
    assert newest_first(repo)[-1].likes == 1

    repo.delete(mid.id)
    day = BASE + timedelta(days=1)
    repo.import_many([make(inserted_at=day, updated_at=day)])
    assert sorted(q.id for q in newest_first(repo)) == sorted(q.id for q in repo.read_all())
    assert mid.id not in {q.id for q in newest_first(repo)}


def test_a_collection_begun_with_the_index_is_complete_from_its_first_quote(repo, store) -> None:
    assert not complete(repo)  # nothing written yet: nothing to go on
    repo.insert("Ann", "First.")
    assert complete(repo)
    tenants.create(store, "other")
    other = QuoteRepo(store, "other")
    other.import_many([make(), make()])
    assert complete(other)


def test_fill_indexes_a_collection_written_before_the_index(repo) -> None:
    quotes = [make(inserted_at=BASE + timedelta(minutes=n), updated_at=BASE) for n in range(5)]
    repo.import_many(quotes)
    as_before_the_index(repo)
    assert not complete(repo) and newest_first(repo) == []

    steps = list(repo.index_insertion_times(batch=2))

    assert steps == [2, 2, 1]
    assert complete(repo)
    assert [q.id for q in newest_first(repo)] == [q.id for q in reversed(quotes)]
    assert list(repo.index_insertion_times()) == []  # complete: nothing to do


def test_a_fill_stopped_half_way_is_not_complete_and_loses_nothing(repo) -> None:
    repo.import_many([make(inserted_at=BASE + timedelta(minutes=n), updated_at=BASE) for n in range(5)])
    as_before_the_index(repo)
    steps = repo.index_insertion_times(batch=2)
    next(steps)
    steps.close()
    assert not complete(repo)
    assert len(list(repo.index_insertion_times(batch=2))) == 3 and complete(repo)
    assert len(newest_first(repo)) == 5


def test_fill_writes_nothing_into_a_collection_deleted_meanwhile(store) -> None:
    tenants.create(store, "doomed")
    doomed = QuoteRepo(store, "doomed")
    doomed.import_many([make(), make()])
    as_before_the_index(doomed)
    steps = doomed.index_insertion_times(batch=1)
    next(steps)
    tenants.delete(store, "doomed")
    with pytest.raises(UnknownTenant):
        list(steps)
    begin, end = doomed.keys.all_by_insertion
    assert store.transact(lambda tr: tr.get_range(begin, end)) == []
    assert store.transact(lambda tr: tr.get(doomed.keys.insertion_index_complete)) is None
