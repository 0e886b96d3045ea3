"""SearchFilter: a live collection's events as seen through a search."""

from __future__ import annotations

from datetime import UTC, datetime

from app.repo.schema import Quote
from app.sync.events import Changes, Offline, Page, Snapshot
from app.sync.filtered import SearchFilter
from app.sync.search import Search

AT = datetime(2024, 1, 1, tzinfo=UTC)


def quote(quote_id: str, author: str, likes: int = 0) -> Quote:
    return Quote(id=quote_id, author=author, content="C", likes=likes, inserted_at=AT, updated_at=AT)


def test_a_snapshot_keeps_only_matching_quotes_and_a_resync_starts_again():
    matching = SearchFilter(Search("rené"))
    first = matching.apply(Snapshot((quote("1", "Rene"), quote("2", "Seneca"))))
    assert first == Snapshot((quote("1", "Rene"),))
    again = matching.apply(Snapshot((quote("2", "Irène"),)))
    assert again == Snapshot((quote("2", "Irène"),))
    assert matching.apply(Changes(deleted=("1",))) is None, "1 left with the resync"


def test_changes_become_entering_staying_and_leaving():
    matching = SearchFilter(Search("rene"))
    matching.apply(Snapshot((quote("in", "Rene"), quote("out", "Seneca"), quote("gone", "Rene"))))
    changes = Changes(
        inserted=(quote("new", "René"), quote("other", "Plato")),
        updated=(quote("in", "Rene", likes=1), quote("out", "Irene"), quote("gone", "Plato")),
        deleted=("new-and-unseen",),
    )
    assert matching.apply(changes) == Changes(
        inserted=(quote("new", "René"), quote("out", "Irene")),
        updated=(quote("in", "Rene", likes=1),),
        deleted=("gone",),
    )
    assert matching.apply(Changes(deleted=("out", "other"))) == Changes(deleted=("out",))


def test_nothing_to_report_is_none_and_offline_or_back_online_pass_through():
    matching = SearchFilter(Search("rene"))
    matching.apply(Snapshot(()))
    assert matching.apply(Changes(updated=(quote("x", "Plato"),))) is None
    assert matching.apply(Changes()) == Changes()
    assert matching.apply(Offline("down")) == Offline("down")


def test_a_streamed_snapshot_keeps_only_matching_pages_and_its_end():
    matching = SearchFilter(Search("rene"))
    first = matching.apply(Snapshot((quote("1", "Rene"), quote("2", "Seneca")), complete=False))
    assert first == Snapshot((quote("1", "Rene"),), complete=False)
    assert matching.apply(Page((quote("3", "Seneca"),))) is None
    assert matching.apply(Page((quote("4", "René"),))) == Page((quote("4", "René"),))
    end = matching.apply(Changes(deleted=("2",), completes=True))
    assert end == Changes() and end.completes, "the end passes, even with nothing in it"
    assert matching.apply(Changes(deleted=("4",))) == Changes(deleted=("4",))


def test_a_big_batch_splits_into_slices_in_order_and_only_the_last_completes():
    batch = Changes(
        inserted=tuple(quote(f"i{n}", "A") for n in range(5)),
        updated=tuple(quote(f"u{n}", "A", 1) for n in range(3)),
        deleted=tuple(f"d{n}" for n in range(4)),
        records_read=12,
        completes=True,
    )
    parts = batch.split(5)
    assert [len(p.deleted) + len(p.updated) + len(p.inserted) for p in parts] == [5, 5, 2]
    assert sum((p.deleted for p in parts), ()) == batch.deleted
    assert sum((p.updated for p in parts), ()) == batch.updated
    assert sum((p.inserted for p in parts), ()) == batch.inserted
    assert parts[0].deleted == batch.deleted[:4] and parts[0].updated == batch.updated[:1]
    assert [p.completes for p in parts] == [False, False, True]
    assert [p.records_read for p in parts] == [12, 0, 0]
    assert batch.split(12) == [batch] and batch.split(12)[0] is batch
