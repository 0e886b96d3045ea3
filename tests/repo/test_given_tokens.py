"""A write made with a token given to it (an outbox's): sent again, even by another
program, it takes effect once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from support.engines import Engine

from app.repo import QuoteRepo
from app.repo.transactional import OnceToken, once_as
from app.store.faults import Faults

HARSH = Faults(5, {"commit_unknown_result": 0.3, "not_committed": 0.1})


@pytest.fixture
def harsh(engine: Engine, repo: QuoteRepo) -> Iterator[QuoteRepo]:
    with engine.reopen(HARSH) as store:
        yield QuoteRepo(store, repo.tenant)


class Remembered:
    """Where a send keeps the read version of its first attempt (the outbox's file)."""

    def __init__(self) -> None:
        self.version: int | None = None

    def __call__(self, version: int) -> int:
        if self.version is None:
            self.version = version
        return self.version


def test_a_like_sent_again_with_its_token_counts_once(harsh) -> None:
    quote = harsh.insert("Ann", "Sent twice.")
    token, remembered = uuid.uuid4().bytes, Remembered()
    for _ in range(3):  # the first send landed; the process did not learn it; sent again
        with once_as(OnceToken(token, remembered.version, remembered)):
            harsh.add_likes(quote.id)
    assert harsh.get(quote.id).likes == 1
    assert remembered.version is not None


def test_each_token_counts_once_and_only_the_outermost_write_uses_it(harsh) -> None:
    quote = harsh.insert("Ann", "Two likes.")
    for _ in range(2):
        remembered = Remembered()
        with once_as(OnceToken(uuid.uuid4().bytes, None, remembered)):
            assert harsh.like(quote.id) >= 1  # a write, then a read: the token is the write's
    assert harsh.get(quote.id).likes == 2


def test_a_second_sender_uses_the_version_the_first_one_remembered(repo) -> None:
    quote = repo.insert("Ann", "Raced.")
    token, remembered = uuid.uuid4().bytes, Remembered()
    with once_as(OnceToken(token, None, remembered)):
        repo.add_likes(quote.id)
    late = Remembered()
    late.version = remembered.version  # the file answers with the first version written
    with once_as(OnceToken(token, None, late)):
        repo.add_likes(quote.id)
    assert repo.get(quote.id).likes == 1
