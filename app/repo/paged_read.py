"""Reading a whole collection within FoundationDB's 5-second transactions.

The collection is read in pages, each its own short transaction. The log
cursor is taken before the first page; a last transaction (``catch_up``) reads
the log since that cursor and re-reads the quotes it names, so the result is
exact as of that transaction although the pages were read at different
versions. A live query arms its watch in that same last transaction. When the
log was trimmed past the cursor meanwhile, the read starts again.

``read_whole`` is the one paged read: ``QuoteRepo.read_all`` runs it to the
end, a live collection (``app.sync.live``) one step at a time on its executor.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.repo import changelog
from app.repo.schema import Quote
from app.store.base import Transaction, Watch
from app.store.errors import StoreError

if TYPE_CHECKING:
    from app.repo.quotes import QuoteRepo

#: Quotes per page: well under a second and a megabyte on any engine.
PAGE = 2_000
#: Whole re-reads tried when the log is trimmed past the cursor meanwhile.
ATTEMPTS = 5


class Trimmed(StoreError):
    """The log cannot say what changed since a cursor: read the collection again."""


@dataclass(frozen=True)
class CatchUp:
    """What changed after a cursor, read in one transaction."""

    #: Ids changed after the cursor, in log order.
    ids: list[str]
    #: Those of them that exist (the others were deleted).
    found: dict[str, Quote]
    #: Where the next catch-up starts.
    cursor: bytes
    #: Fires at the next change (when asked for).
    watch: Watch | None


@dataclass(frozen=True)
class Whole:
    """A whole collection, exact as of its final catch-up."""

    quotes: dict[str, Quote]
    cursor: bytes
    watch: Watch | None


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while a whole collection is read.

    Every quote read survives to the end of the read, so each full collection
    would rescan the growing heap for nothing: a quarter of reading 1,000,000
    quotes. Left alone if another thread has paused it already.
    """
    pause = gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause:
            gc.enable()


def catch_up(tr: Transaction, repo: QuoteRepo, cursor: bytes, watch: bool) -> CatchUp:
    """The body of ``QuoteRepo.catch_up``: ``Trimmed`` when the log cannot say."""
    since = changelog.since(tr, repo.keys, cursor)
    if since is None:
        raise Trimmed("the change log cannot say what changed since the cursor")
    ids, cursor = since
    armed = repo.watch("changes", tr=tr) if watch else None
    return CatchUp(ids, repo.get_many(ids, tr=tr), cursor, armed)


def read_whole(repo: QuoteRepo, page: int, watch: bool) -> Iterator[int | Whole]:
    """Read the collection a page (a transaction) a step: after each page, the
    number of quotes read so far; last, the ``Whole`` collection."""
    with paused_gc():
        for _ in range(ATTEMPTS):
            start = repo.cursor()
            quotes: dict[str, Quote] = {}
            after: str | None = None
            while True:
                found, after = repo.page(after, page)
                if found:
                    quotes.update((q.id, q) for q in found)
                    yield len(quotes)
                if after is None:
                    break
            try:
                caught = repo.catch_up(start, watch=watch)
            except Trimmed:
                continue
            for quote_id in caught.ids:
                if quote_id in caught.found:
                    quotes[quote_id] = caught.found[quote_id]
                else:
                    quotes.pop(quote_id, None)
            break
        else:
            raise Trimmed("the change log kept moving too fast to read the collection")
    yield Whole(quotes, caught.cursor, caught.watch)
