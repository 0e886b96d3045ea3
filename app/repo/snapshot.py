"""Reading a whole collection within FoundationDB's 5-second transactions.

The collection is read in pages, each its own short transaction. The log
cursor is taken before the first page; a last transaction reads the log since
that cursor and re-reads the quotes it names, so the result is exact as of
that transaction although the pages were read at different versions. A live
query arms its watch in that same last transaction (see ``app.sync.live``).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from app.repo.quotes import QuoteRepo
from app.repo.schema import Quote
from app.store.base import Transaction
from app.store.errors import StoreError

#: Quotes per page: well under a second and a megabyte on any engine.
PAGE = 2_000
#: Whole re-reads tried when the log is trimmed past the cursor meanwhile.
ATTEMPTS = 5


class Trimmed(StoreError):
    """The log was trimmed past the cursor while the pages were read: start again."""


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


def pages(repo: QuoteRepo, page: int = PAGE) -> Iterator[list[Quote]]:
    """The collection in id order, one page (one transaction) at a time."""
    after: str | None = None
    while True:
        quotes, after = repo.page(after, page)
        if quotes:
            yield quotes
        if after is None:
            return


def catch_up(
    tr: Transaction, repo: QuoteRepo, cursor: bytes
) -> tuple[list[str], dict[str, Quote], bytes]:
    """The ids changed after ``cursor``, those of them that exist, and the new cursor.

    Raises ``Trimmed`` when the log cannot say what changed.
    """
    since = repo.changes_since(tr, cursor)
    if since is None:
        raise Trimmed
    ids, cursor = since
    return ids, repo.get_many(tr, ids), cursor


def apply(quotes: dict[str, Quote], ids: list[str], found: dict[str, Quote]) -> None:
    """Bring ``quotes`` up to date for ``ids`` (absent from ``found``: deleted)."""
    for quote_id in ids:
        if quote_id in found:
            quotes[quote_id] = found[quote_id]
        else:
            quotes.pop(quote_id, None)


def read_all(repo: QuoteRepo, on_page: Callable[[int], None] | None = None) -> list[Quote]:
    """Every quote of the collection, exact as of the final catch-up."""
    with paused_gc():
        return _read_all(repo, on_page)


def _read_all(repo: QuoteRepo, on_page: Callable[[int], None] | None) -> list[Quote]:
    for _ in range(ATTEMPTS):
        cursor = repo.cursor()
        quotes: dict[str, Quote] = {}
        for page in pages(repo):
            quotes.update((q.id, q) for q in page)
            if on_page is not None:
                on_page(len(quotes))
        try:
            ids, found, _ = repo.store.transact(catch_up, repo, cursor)
        except Trimmed:
            continue
        apply(quotes, ids, found)
        return list(quotes.values())
    raise Trimmed("the change log kept moving too fast to read the collection")
