"""Likes queued while the store was out of reach, sent many to a transaction, each exactly once.

Each like carries its own exactly-once token (made when the user liked) and
the read version its sends are keyed by (``app.repo.transactional``'s token
keys): a like whose token is in the store already was applied by an earlier
send and is skipped; the others are applied and their tokens recorded, in
the same transaction. So a batch cut short and sent again, whole or split
differently, applies every like once. Likes do not conflict with each other
(atomic adds), so a batch of a hundred costs about one commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from app.repo import edits, once_results
from app.repo.errors import NotFound
from app.repo.keys import once_token
from app.store.base import Transaction

if TYPE_CHECKING:
    from app.repo.quotes import QuoteRepo

#: Likes sent in one transaction: far under FoundationDB's limits (a like writes about 300 bytes).
BATCH = 100


class QueuedLike(NamedTuple):
    quote_id: str
    #: The like's exactly-once token (16 random bytes).
    token: bytes
    #: The read version its token is keyed by (the first attempt to send it).
    version: int


def add(tr: Transaction, repo: QuoteRepo, likes: Sequence[QueuedLike]) -> list[str]:
    """The body of ``QuoteRepo.add_queued_likes``: the ids of the likes' quotes that are gone."""
    if len(likes) > BATCH:
        raise ValueError(f"at most {BATCH} likes a transaction")
    keys = [once_token(like.version, like.token) for like in likes]
    done = tr.get_many(keys)
    gone = []
    for like, key, found in zip(likes, keys, done, strict=True):
        if found is not None:
            continue  # applied by an earlier send
        try:
            edits.add_likes(tr, repo, like.quote_id, 1)
        except NotFound:
            gone.append(like.quote_id)
            continue
        tr.set(key, once_results.encode(None))
    return gone
