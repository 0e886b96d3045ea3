"""Writes that carry the version the user saw, and what each answer to a conflict writes.

Two sessions on one real store (each engine): one edits, deletes or undoes
against the version it saw while the other has changed the quote since.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import pytest

from app.client import Action, Choice, DuplicateId, Quote, QuoteSession, WriteConflict, validate_fields
from app.repo import QuoteRepo

T = TypeVar("T")


@pytest.fixture
def session(repo: QuoteRepo) -> Iterator[QuoteSession]:
    session = QuoteSession(repo)
    yield session
    session.release()


@pytest.fixture
def quote(repo: QuoteRepo) -> Quote:
    return repo.insert("Seneca", "Luck is what happens when preparation meets opportunity.")


def run(step: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await step()

    return asyncio.run(main())


def edit(session: QuoteSession, seen: Quote, author: str, content: str) -> Quote:
    return run(lambda: session.edit(seen, validate_fields(author=author, content=content)))


def refused(step: Callable[[], Awaitable[object]]) -> WriteConflict:
    with pytest.raises(WriteConflict) as caught:
        run(step)
    return caught.value


def test_a_save_against_an_older_version_is_refused_and_changes_nothing(session, repo, quote):
    repo.update(quote.id, content="Remote edit B")

    conflict = refused(lambda: session.edit(quote, validate_fields(author="Seneca", content="Local edit A")))

    assert conflict.action is Action.EDIT
    assert (conflict.theirs.content, conflict.yours.content) == ("Remote edit B", "Local edit A")
    assert repo.get(quote.id).content == "Remote edit B"
    assert conflict.choices == (Choice.RELOAD, Choice.OVERWRITE, Choice.SAVE_AS_NEW)


def test_an_edit_sends_only_what_the_user_changed(session, repo, quote):
    repo.update(quote.id, author="Seneca the Younger")
    conflict = refused(lambda: session.edit(quote, validate_fields(author="Seneca", content="New text")))
    assert conflict.yours.author == "Seneca the Younger", "the old author is not put back"

    run(lambda: session.resolve(conflict, Choice.OVERWRITE))

    stored = repo.get(quote.id)
    assert (stored.author, stored.content) == ("Seneca the Younger", "New text")


def test_a_like_is_not_a_conflict(session, repo, quote):
    repo.like(quote.id)
    saved = edit(session, quote, "Seneca", "Edited after a like.")
    assert (saved.content, repo.get(quote.id).likes) == ("Edited after a like.", 1)


def test_reload_writes_nothing_and_shows_theirs(session, repo, quote):
    theirs = repo.update(quote.id, content="Remote edit B")[1]
    conflict = refused(lambda: session.edit(quote, validate_fields(author="Seneca", content="Mine")))

    assert run(lambda: session.resolve(conflict, Choice.RELOAD)) == theirs
    assert repo.get(quote.id) == theirs and len(repo.read_all()) == 1


def test_overwrite_is_refused_again_if_the_quote_moved_again(session, repo, quote):
    repo.update(quote.id, content="Remote edit B")
    conflict = refused(lambda: session.edit(quote, validate_fields(author="Seneca", content="Mine")))
    repo.update(quote.id, content="Remote edit C")

    again = refused(lambda: session.resolve(conflict, Choice.OVERWRITE))
    assert again.theirs.content == "Remote edit C"

    run(lambda: session.resolve(again, Choice.OVERWRITE))
    assert repo.get(quote.id).content == "Mine"
    run(session.undo)  # the overwrite is an edit like any other
    assert repo.get(quote.id).content == "Remote edit C"


def test_save_as_new_adds_yours_and_leaves_theirs(session, repo, quote):
    repo.update(quote.id, content="Remote edit B")
    conflict = refused(lambda: session.edit(quote, validate_fields(author="Seneca", content="Mine")))

    added = run(lambda: session.resolve(conflict, Choice.SAVE_AS_NEW))

    assert added.id != quote.id
    assert sorted(q.content for q in repo.read_all()) == ["Mine", "Remote edit B"]


def test_undo_of_an_edit_after_a_remote_edit_asks(session, repo, quote):
    edit(session, quote, "Seneca", "Local edit A")
    repo.update(quote.id, author="Heraclitus of Ephesus", content="Remote edit B")

    conflict = refused(session.undo)

    assert conflict.action is Action.UNDO_EDIT
    assert conflict.theirs.author == "Heraclitus of Ephesus"
    assert repo.get(quote.id).content == "Remote edit B", "nothing undone silently"
    run(lambda: session.resolve(conflict, Choice.OVERWRITE))
    stored = repo.get(quote.id)
    # The undo puts back the text the edit changed; the author it never touched stays theirs.
    assert (stored.author, stored.content) == ("Heraclitus of Ephesus", quote.content)


def test_undo_of_an_edit_with_nothing_changed_since_just_undoes(session, repo, quote):
    edit(session, quote, "Seneca", "Local edit A")
    repo.like(quote.id)
    assert run(session.undo).content == quote.content


def test_a_delete_against_an_older_version_is_refused_then_overwritten(session, repo, quote):
    repo.update(quote.id, content="Remote edit B")

    conflict = refused(lambda: session.delete(quote))

    assert conflict.action is Action.DELETE and conflict.yours is None
    assert conflict.choices == (Choice.RELOAD, Choice.OVERWRITE)
    assert repo.get(quote.id) is not None
    run(lambda: session.resolve(conflict, Choice.OVERWRITE))
    assert repo.get(quote.id) is None


def test_undo_of_a_delete_after_the_quote_came_back_changed_asks(session, repo, quote):
    run(lambda: session.delete(quote))
    repo.restore(quote)  # someone else put it back, and edited it
    repo.update(quote.id, content="Remote edit B")

    conflict = refused(session.undo)

    assert conflict.action is Action.RESTORE
    assert (conflict.theirs.content, conflict.yours.content) == ("Remote edit B", quote.content)
    added = run(lambda: session.resolve(conflict, Choice.SAVE_AS_NEW))
    assert added.content == quote.content and repo.get(quote.id).content == "Remote edit B"


def test_undo_of_a_delete_already_undone_as_it_was_says_so(session, repo, quote):
    run(lambda: session.delete(quote))
    repo.restore(quote)
    with pytest.raises(DuplicateId):
        run(session.undo)
