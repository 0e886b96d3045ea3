"""A collection deleted and made again under a window: its old quotes never come
back into the new one, and the window's next writes go to the new one."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

from app.client import QuoteFields, QuoteSession
from app.repo import CollectionReplaced, QuoteRepo, tenants
from app.store.base import Store

T = TypeVar("T")


def run(step: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await step()

    return asyncio.run(main())


@pytest.fixture
def remade(store: Store):
    """A collection of this test's own, and a way to delete it and make it again."""
    name = f"x-{uuid.uuid4().hex[:8]}"
    tenants.create(store, name)

    def delete_and_create() -> None:
        tenants.delete(store, name)
        tenants.create(store, name)

    yield name, delete_and_create
    tenants.delete(store, name)


@pytest.fixture
def session(store: Store, remade):
    session = QuoteSession(QuoteRepo(store, remade[0]))
    yield session
    session.release()


def test_a_write_into_a_collection_made_again_is_refused_once_then_goes_to_the_new_one(
    store, remade, session
):
    name, delete_and_create = remade
    run(lambda: session.add(QuoteFields(author="Old", content="From before.")))
    delete_and_create()

    with pytest.raises(CollectionReplaced):
        run(lambda: session.add(QuoteFields(author="Mine", content="Written after.")))
    new = run(lambda: session.add(QuoteFields(author="Mine", content="Written after.")))

    assert [q.id for q in QuoteRepo(store, name).read_all()] == [new.id]


def test_undo_never_brings_a_quote_back_into_a_collection_made_again(store, remade, session):
    name, delete_and_create = remade
    old = run(lambda: session.add(QuoteFields(author="Old", content="From before.")))
    run(lambda: session.delete(old))
    delete_and_create()

    with pytest.raises(CollectionReplaced):
        run(session.undo)

    assert QuoteRepo(store, name).read_all() == []
