"""Reading a whole collection within FoundationDB's 5-second transactions.

The collection is read in pages, each its own short transaction. The log
cursor is taken before the first page; then catch-up transactions read the
log since that cursor, ``changelog.READ_LIMIT`` entries each, and re-read the
quotes they name, until one reaches the end of the log: the result is exact
as of that last transaction although the pages were read at different
versions, and however busy the collection is, each catch-up is bounded. A
live query arms its watch in that same last transaction. Only when the log
was trimmed past the cursor meanwhile, or the collection was deleted and
created again (another epoch), does the read start again.

``read_whole`` is the one paged read: ``QuoteRepo.read_all`` runs it to the
end, a live collection (``app.sync.live``) one step at a time on its executor.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from app.repo import changelog, tenants
from app.repo.changelog import Cursor, Trimmed
from app.repo.errors import UnknownTenant
from app.repo.keys import tenant_key
from app.repo.records import DamagedRecord, counts, decode, decode_all
from app.repo.schema import Quote
from app.store.base import Transaction, Watch, decode_int

if TYPE_CHECKING:
    from app.repo.quotes import QuoteRepo

#: Quotes per page: well under a second and a megabyte on any engine.
PAGE = 2_000
#: Whole re-reads tried when the log is trimmed past the cursor meanwhile.
ATTEMPTS = 5


@dataclass(frozen=True)
class CatchUp:
    """What changed after a cursor, read in one transaction."""

    #: Ids changed after the cursor, in log order.
    ids: list[str]
    #: Those of them that exist (the others were deleted).
    found: dict[str, Quote]
    #: Where the next catch-up starts.
    cursor: Cursor
    #: Fires at the next change (when asked for, and only at the end of the log;
    #: for a deleted collection, when the tenant is created again).
    watch: Watch | None
    #: The log goes on past ``cursor``: catch up again at once.
    more: bool = False
    #: The collection (tenant) is deleted: nothing else here is meaningful.
    deleted: bool = False


@dataclass(frozen=True)
class Whole:
    """A whole collection, exact as of its final catch-up."""

    quotes: dict[str, Quote]
    cursor: Cursor
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


class RawPage(NamedTuple):
    """A page of records as stored, not decoded yet (``decode_page`` decodes it)."""

    ids: list[str]
    records: list[bytes]
    #: Each quote's likes (a missing likes key is 0).
    likes: list[int]


def raw_page(tr: Transaction, repo: QuoteRepo, after: str | None, limit: int) -> tuple[RawPage, str | None]:
    """The body of ``QuoteRepo.raw_page``: up to ``limit`` records in id order after
    ``after``, with their likes; and the id to go on from (None at the end)."""
    keys = repo.keys
    begin, end = keys.records
    if after is not None:
        begin = keys.record(after) + b"\x00"
    rows = tr.get_range(begin, end, limit=limit)
    if not rows:
        return RawPage([], [], []), None
    # A record and its likes are paired by the packed id both keys end with.
    cut = keys.packed_id_start
    packed = [key[cut:] for key, _ in rows]
    ids = keys.ids_of_packed(packed)
    after_page = ids[-1] if len(rows) == limit else None
    records = [raw for _, raw in rows]
    likes = tr.get_range(keys.likes(ids[0]), keys.likes(ids[-1]) + b"\x00")
    # Every quote is written with its likes (``put_new``): the two ranges pair up
    # row by row, and their counts are read in one call.
    if len(likes) == len(rows) and [key[cut:] for key, _ in likes] == packed:
        found = counts([value for _, value in likes])
        if found is not None:
            return RawPage(ids, records, found), after_page
    by_key = dict(likes)
    likes_key = keys.likes_prefix.__add__
    found = [decode_int(value) for value in map(by_key.get, map(likes_key, packed))]
    return RawPage(ids, records, found), after_page


def decode_page(repo: QuoteRepo, page: RawPage) -> list[Quote]:
    """The quotes of ``page``: a field at a time, or, if one record is off that
    common path, a record at a time, damaged ones left out (``repo.damaged``)."""
    quotes = decode_all(*page)
    if quotes is not None:
        return quotes
    quotes = []
    for quote_id, raw, count in zip(*page, strict=True):
        try:
            quotes.append(decode(quote_id, raw, count))
        except DamagedRecord as exc:
            repo.note_damaged(exc)
    return quotes


def page(tr: Transaction, repo: QuoteRepo, after: str | None, limit: int) -> tuple[list[Quote], str | None]:
    """The body of ``QuoteRepo.page``."""
    raw, after_page = raw_page(tr, repo, after, limit)
    return decode_page(repo, raw), after_page


def cursor(tr: Transaction, repo: QuoteRepo) -> Cursor:
    """The body of ``QuoteRepo.cursor``: ``UnknownTenant`` if the tenant is gone."""
    epoch = tenants.epoch(repo.store, repo.tenant, tr=tr)
    if epoch is None:
        raise UnknownTenant(repo.tenant, tenants.names(repo.store, tr=tr))
    return Cursor(epoch, changelog.cursor(tr, repo.keys))


def catch_up(tr: Transaction, repo: QuoteRepo, cursor: Cursor, watch: bool) -> CatchUp:
    """The body of ``QuoteRepo.catch_up``: ``Trimmed`` when the log cannot say
    (trimmed past the cursor, or another incarnation of the tenant)."""
    epoch = tenants.epoch(repo.store, repo.tenant, tr=tr)
    if epoch is None:  # watch the registry key: it comes back when the tenant is created again
        armed = tr.watch(tenant_key(repo.tenant)) if watch else None
        return CatchUp([], {}, cursor, armed, deleted=True)
    if epoch != cursor.epoch:
        raise Trimmed("the collection was deleted and created again since the cursor")
    since = changelog.since(tr, repo.keys, cursor.position)
    if since is None:
        raise Trimmed("the change log cannot say what changed since the cursor")
    armed = repo.watch("changes", tr=tr) if watch and not since.more else None
    found = repo.get_many(since.ids, tr=tr)
    return CatchUp(since.ids, found, Cursor(epoch, since.position), armed, more=since.more)


def read_whole(repo: QuoteRepo, page: int, watch: bool) -> Iterator[int | Whole]:
    """Read the collection a page (a transaction) a step: after each page, the
    number of quotes read so far; last, the ``Whole`` collection.
    ``UnknownTenant`` if the tenant is deleted meanwhile."""
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
                caught = _catch_up_to_the_end(repo, start, quotes, watch)
            except Trimmed:
                continue
            break
        else:
            raise Trimmed("the change log was trimmed past every attempt to read the collection")
    yield Whole(quotes, caught.cursor, caught.watch)


def _catch_up_to_the_end(repo: QuoteRepo, cursor: Cursor, quotes: dict[str, Quote], watch: bool) -> CatchUp:
    """Apply the log since ``cursor`` to ``quotes``, a bounded transaction at a
    time, until the end; the last catch-up (with its watch)."""
    while True:
        caught = repo.catch_up(cursor, watch=watch)
        if caught.deleted:
            if caught.watch is not None:
                caught.watch.cancel()
            raise UnknownTenant(repo.tenant, tenants.names(repo.store))
        apply(caught, quotes)
        if not caught.more:
            return caught
        cursor = caught.cursor


def apply(caught: CatchUp, quotes: dict[str, Quote]) -> None:
    """Bring ``quotes`` up to date with one catch-up."""
    for quote_id in caught.ids:
        if quote_id in caught.found:
            quotes[quote_id] = caught.found[quote_id]
        else:
            quotes.pop(quote_id, None)
