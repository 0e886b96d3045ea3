"""The outbox: changes kept in a local file, in order, sent once each, with what became of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.client.conflicts import Action, Change
from app.client.outbox import Conflicted, Dropped, Kind, Outbox, Sent
from app.repo import QuoteRepo
from app.repo.queued_likes import QueuedLike
from app.repo.schema import new_version, now
from app.repo.transactional import OnceToken, once_as


@pytest.fixture
def outbox(tmp_path: Path, repo: QuoteRepo):
    box = Outbox(repo.store.description, tmp_path / "outbox.db")
    yield box
    box.close()


def test_changes_are_kept_in_order_per_collection_and_survive_a_reopen(tmp_path, repo, outbox) -> None:
    quote = repo.insert("Ann", "Kept.")
    outbox.queue(repo.tenant, Kind.LIKE, quote.id)
    outbox.queue(repo.tenant, Kind.DELETE, quote.id, quote)
    outbox.queue("elsewhere", Kind.LIKE, quote.id)
    outbox.close()
    again = Outbox(repo.store.description, tmp_path / "outbox.db")
    try:
        entries = again.entries(repo.tenant)
        assert [e.kind for e in entries] == [Kind.LIKE, Kind.DELETE]
        assert entries[1].quote == quote
        assert len({e.token for e in entries}) == 2
        assert again.discard(entries[:1]) == 1
        assert [e.kind for e in again.entries(repo.tenant)] == [Kind.DELETE]
    finally:
        again.close()


def test_each_kind_is_sent_and_taken_off_the_queue(repo, outbox) -> None:
    quote = repo.insert("Ann", "Before.")
    at = now()
    new = quote.replace(id="00000000-0000-4000-8000-000000000001", likes=0, inserted_at=at, updated_at=at)
    new = new.replace(content="Added offline.", version=new_version())
    outbox.queue(repo.tenant, Kind.LIKE, quote.id)
    outbox.queue(repo.tenant, Kind.ADD, new.id, new)
    outbox.queue(repo.tenant, Kind.EDIT, quote.id, quote, Change(content="After."))
    outcomes = [outbox.send(repo, entry) for entry in outbox.entries(repo.tenant)]
    assert all(isinstance(o, Sent) for o in outcomes)
    assert outcomes[0].quote.likes == 1 and outcomes[1].quote == repo.get(new.id)
    assert repo.get(quote.id).content == "After." and repo.get(quote.id).likes == 1
    assert outbox.entries(repo.tenant) == []
    seen = repo.get(new.id)
    outbox.queue(repo.tenant, Kind.DELETE, new.id, seen)
    (entry,) = outbox.entries(repo.tenant)
    assert outbox.send(repo, entry) == Sent(entry, None) and repo.get(new.id) is None


def test_a_change_sent_before_the_sender_could_note_it_is_not_made_again(repo, outbox) -> None:
    quote = repo.insert("Ann", "Liked once.")
    outbox.queue(repo.tenant, Kind.LIKE, quote.id)
    (entry,) = outbox.entries(repo.tenant)
    # A send that committed, then the program quit before taking it off the queue:
    with once_as(OnceToken(entry.token, None, lambda version: outbox.remember(entry, version))):
        repo.add_likes(quote.id)
    (entry,) = outbox.entries(repo.tenant)  # as the next start reads it: the version noted
    assert entry.version is not None
    assert isinstance(outbox.send(repo, entry), Sent)
    assert repo.get(quote.id).likes == 1


def test_a_like_of_a_deleted_quote_is_dropped_and_a_stale_edit_conflicts(repo, outbox) -> None:
    gone, changed = repo.insert("Ann", "Deleted meanwhile."), repo.insert("Bob", "Edited meanwhile.")
    outbox.queue(repo.tenant, Kind.LIKE, gone.id)
    outbox.queue(repo.tenant, Kind.EDIT, changed.id, changed, Change(content="Mine."))
    outbox.queue(repo.tenant, Kind.DELETE, changed.id, changed)
    repo.delete(gone.id)
    theirs = repo.update(changed.id, content="Theirs.")[1]
    dropped, edit, delete = (outbox.send(repo, entry) for entry in outbox.entries(repo.tenant))
    assert isinstance(dropped, Dropped) and "deleted" in dropped.note
    assert isinstance(edit, Conflicted) and edit.conflict.action is Action.EDIT
    assert edit.conflict.theirs == theirs and edit.conflict.change == Change(content="Mine.")
    assert isinstance(delete, Conflicted) and delete.conflict.action is Action.DELETE
    assert repo.get(changed.id) == theirs  # nothing of ours written over theirs
    assert outbox.entries(repo.tenant) == []


def test_likes_go_a_hundred_to_a_transaction_and_a_batch_sent_again_counts_once(repo, outbox) -> None:
    kept, gone = repo.insert("Ann", "Liked a lot."), repo.insert("Bob", "Deleted meanwhile.")
    for n in range(150):
        outbox.queue(repo.tenant, Kind.LIKE, gone.id if n == 0 else kept.id)
    repo.delete(gone.id)
    waiting = outbox.entries(repo.tenant)
    first = outbox.send_next(repo, waiting)
    assert len(first) == 100
    assert isinstance(first[0], Dropped) and all(isinstance(o, Sent) for o in first[1:])
    # The next batch committed, but its sender never took it off the queue:
    rest = outbox.entries(repo.tenant)
    version = repo.read_version()
    repo.add_queued_likes([QueuedLike(e.quote_id, e.token, outbox.remember(e, version)) for e in rest])
    assert len(outbox.send_next(repo, outbox.entries(repo.tenant))) == 50
    assert repo.get(kept.id).likes == 149
    assert outbox.entries(repo.tenant) == []
