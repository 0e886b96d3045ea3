"""SearchFilter: a live collection's events as seen through a search."""

from __future__ import annotations

from datetime import datetime, timezone

from app.repo.schema import Quote
from app.sync.events import Changes, Offline, Snapshot
from app.sync.filtered import SearchFilter
from app.sync.search import Search

AT = datetime(2024, 1, 1, tzinfo=timezone.utc)


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
