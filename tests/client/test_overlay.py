"""The overlay: the store's quotes as they will be once the outbox is sent."""

from __future__ import annotations

import uuid

from app.client.conflicts import Change
from app.client.outbox import Entry, Kind
from app.client.overlay import Overlay
from app.repo.schema import Quote, new_version, next_version, now
from app.sync.events import Changes, Page, Snapshot
from app.sync.quotes_by_id import QuotesById


def quote(content: str, likes: int = 0) -> Quote:
    at = now()
    return Quote(str(uuid.uuid4()), "Ann", content, likes, at, at, None, new_version())


def entry(
    seq: int, kind: Kind, quote_id: str, seen: Quote | None = None, change: Change | None = None
) -> Entry:
    return Entry(seq, "default", kind, quote_id, seen, change, uuid.uuid4().bytes, None, now())


def test_waiting_changes_apply_in_order_over_every_event() -> None:
    liked, edited, deleted, added = quote("Liked.", 3), quote("Before."), quote("Gone."), quote("New.")
    overlay = Overlay()
    overlay.set(
        [
            entry(1, Kind.LIKE, liked.id),
            entry(2, Kind.LIKE, liked.id),
            entry(3, Kind.EDIT, edited.id, edited, Change(content="After.")),
            entry(4, Kind.DELETE, deleted.id, deleted),
            entry(5, Kind.ADD, added.id, added),
        ]
    )
    assert overlay.ids == {liked.id, edited.id, deleted.id, added.id}
    shown = overlay.event(Snapshot((liked, edited, deleted)))
    assert isinstance(shown, Snapshot)
    by_id = {q.id: q for q in shown.quotes}
    assert set(by_id) == {liked.id, edited.id, added.id}
    assert by_id[liked.id].likes == 5
    assert by_id[edited.id].content == "After." and by_id[edited.id].version == next_version(edited.version)
    assert overlay.event(Page((deleted,))) == Page(())
    changes = overlay.event(Changes(updated=(liked.replace(likes=4), deleted)))
    assert changes.updated == (liked.replace(likes=6),) and changes.deleted == (deleted.id,)


def test_what_is_sent_stops_being_applied_and_pending() -> None:
    liked = quote("Liked.")
    first, second = entry(1, Kind.LIKE, liked.id), entry(2, Kind.LIKE, liked.id)
    overlay = Overlay()
    ids = overlay.ids  # the window's list holds this very set
    overlay.set([first, second])
    overlay.remove([first])
    assert overlay.quote(liked.id, liked).likes == 1 and liked.id in ids
    overlay.remove([second])
    assert overlay.quote(liked.id, liked) == liked and not ids and not overlay


def test_a_stream_whose_pages_came_with_changes_waiting_ends_without_its_index() -> None:
    """The stream's index holds the store's copies: a list given other copies of a
    page builds its own index from what it was given."""
    liked, other = quote("Liked.", 1), quote("Other.")
    index = QuotesById([liked, other])
    overlay = Overlay()
    overlay.event(Snapshot((), complete=False))
    overlay.event(Page((liked, other), newest_first=False))
    assert overlay.event(Changes(completes=True, index=index)).index is index, "nothing waited"

    overlay.set([entry(1, Kind.LIKE, liked.id)])
    overlay.event(Snapshot((), complete=False))
    assert overlay.event(Page((liked, other), newest_first=False)).quotes[0].likes == 2
    overlay.remove(overlay.entries)  # sent before the stream ends
    assert overlay.event(Changes(completes=True, index=index)).index is None
    overlay.event(Snapshot((), complete=False))
    assert overlay.event(Changes(completes=True, index=index)).index is index, "a new stream"
