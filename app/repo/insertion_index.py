"""The insertion-time index: a collection read newest first, one page at a time.

Every quote has a key ``("Quote", "n", micros, id)``, written with its record
(``QuoteRepo.put_new``) and cleared with it, so a window can stream the
collection newest first and paint the first screen at once (``app.sync.live``).
``inserted_at`` never changes, so a like costs the index nothing.

A store written before the index has records without entries. ``complete``
says whether every record has one (a marker key); ``fill`` writes the missing
entries in bounded batches, then sets the marker. Until then readers read the
collection in id order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from app.repo.schema import Quote, utc_micros
from app.repo.transactional import NEW, transactional
from app.repo.writing import require_tenant
from app.store.base import Transaction

if TYPE_CHECKING:
    from app.repo.quotes import QuoteRepo

#: Records indexed per transaction by ``fill``: far under FoundationDB's limits.
FILL_BATCH = 1_000


def complete(tr: Transaction, repo: QuoteRepo) -> bool:
    """True if every quote of the collection is in the index."""
    return tr.get(repo.keys.insertion_index_complete) is not None


def page(
    tr: Transaction, repo: QuoteRepo, before: bytes | None, limit: int
) -> tuple[list[Quote], bytes | None]:
    """The body of ``QuoteRepo.newest_page``."""
    begin, end = repo.keys.all_by_insertion
    rows = tr.get_range(begin, before or end, limit=limit, reverse=True)
    ids = [repo.keys.id_by_insertion(key) for key, _ in rows]
    found = repo.get_many(ids, tr=tr)
    quotes = [found[i] for i in ids if i in found]
    return quotes, (rows[-1][0] if len(rows) == limit else None)


def fill(repo: QuoteRepo, batch: int = FILL_BATCH) -> Iterator[int]:
    """Index every quote written before the index: one transaction a step, each
    yielding how many records it visited; the last marks the index complete.

    Safe to run while others write, and by several processes at once: each
    batch reads the records it indexes in its own transaction, so a quote
    deleted meanwhile conflicts and is not indexed again. Stopping between
    steps loses nothing: the marker is set only at the end.
    """
    if repo.store.transact(complete, repo):
        return
    after: str | None = None
    while True:
        count, after = _fill_batch(repo, after, batch)
        yield count
        if after is None:
            break
    _mark_complete(repo)


@transactional
def _fill_batch(
    repo: QuoteRepo, after: str | None, limit: int, *, tr: Transaction = NEW
) -> tuple[int, str | None]:
    require_tenant(tr, repo)  # nothing written under a tenant deleted meanwhile
    begin, end = repo.keys.records
    if after is not None:
        begin = repo.keys.record(after) + b"\x00"
    rows = tr.get_range(begin, end, limit=limit)
    for key, raw in rows:
        quote_id = repo.keys.id_of(key)
        quote = repo.readable(quote_id, raw, None)
        if quote is not None:  # a damaged record is never listed: nothing to index
            tr.set(repo.keys.by_insertion(utc_micros(quote.inserted_at), quote_id), b"")
    last = repo.keys.id_of(rows[-1][0]) if len(rows) == limit else None
    return len(rows), last


@transactional
def _mark_complete(repo: QuoteRepo, *, tr: Transaction = NEW) -> None:
    require_tenant(tr, repo)
    tr.set(repo.keys.insertion_index_complete, b"1")
