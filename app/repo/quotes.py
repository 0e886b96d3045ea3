"""The Quote repository of one tenant: every read and write of its quotes.

Every method that touches the store is ``@transactional``: ``repo.delete(id)``
runs in a transaction of its own, ``repo.delete(id, tr=tr)`` inside the
caller's (see ``app.repo.transactional``). User writes are exactly-once
(``once=True``): a retry after an unknown commit result never likes, edits or
deletes twice. Every write bumps the metadata counters and appends to the
change log in the same transaction (``app.repo.writing``).

Likes live in their own key and move by atomic add: concurrent likes never
conflict, so none is lost and none retries; nor do a like and an edit of the
same quote conflict (``app.repo.edits`` says what each write reads). Every
quote carries the version of its text (``Quote.version``): ``update`` and
``delete`` take ``if_version`` and raise ``Conflict``, in the same
transaction, when the quote changed since the caller saw it. No read here is unbounded: whole
collections are read in pages (``read_all``, ``read_whole``). The longer
bodies live in private modules (``bulk``, ``paged_read``, ``insertion_index``,
``random_delete``); the methods here are the one door to them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from app.repo import (
    bulk,
    changelog,
    edits,
    insertion_index,
    paged_read,
    queued_likes,
    random_delete,
    tenants,
)
from app.repo.changelog import Cursor
from app.repo.errors import DuplicateId
from app.repo.keys import COUNTERS, QuoteKeys
from app.repo.paged_read import CatchUp, RawPage, Whole
from app.repo.queued_likes import QueuedLike
from app.repo.records import DamagedRecord, decode
from app.repo.schema import Quote, check_whole, new_version, now
from app.repo.transactional import NEW, transactional
from app.repo.writing import put_new, ready_for_inserts
from app.store.base import Store, Transaction, Watch, decode_int

if TYPE_CHECKING:
    from app.repo.validation import QuoteFields

_UNSET = object()
log = logging.getLogger(__name__)


class ReadStart(NamedTuple):
    """Where a streamed read of the collection starts (one transaction)."""

    #: The log cursor, taken before the first page.
    cursor: Cursor
    #: Every quote is in the insertion-time index (else read in id order).
    indexed: bool
    #: The number of quotes then.
    total: int


class QuoteRepo:
    """The quotes of one existing tenant of a store."""

    def __init__(self, store: Store, tenant: str = tenants.DEFAULT) -> None:
        self.store = store
        self.tenant = tenants.validate(tenant)
        self.keys = QuoteKeys(self.tenant)
        #: The incarnation of the tenant this repository writes to: the one its
        #: first write saw (see ``tenants.Incarnation``).
        self.incarnation = tenants.Incarnation(store, self.tenant)
        #: Records read so far that no quote can be (id -> why): reads skip them
        #: (``records.decode``) and callers report them.
        self.damaged: dict[str, str] = {}

    # -- reads -------------------------------------------------------------

    def readable(self, quote_id: str, raw: bytes, likes: bytes | None) -> Quote | None:
        """The stored record as a quote; None, noted in ``damaged`` (and logged
        once), if it is damaged: the caller reports it."""
        try:
            return decode(quote_id, raw, decode_int(likes))
        except DamagedRecord as exc:
            self.note_damaged(exc)
            return None

    def note_damaged(self, exc: DamagedRecord) -> None:
        """Note a damaged record in ``damaged`` (and log it, once)."""
        if exc.quote_id not in self.damaged:
            log.info("%s", exc)
        self.damaged[exc.quote_id] = exc.why

    @transactional
    def get(self, quote_id: str, *, tr: Transaction = NEW) -> Quote | None:
        """The quote with this id; None if there is none (or it is damaged)."""
        raw, likes = tr.get_many([self.keys.record(quote_id), self.keys.likes(quote_id)])
        return None if raw is None else self.readable(quote_id, raw, likes)

    @transactional
    def get_many(self, ids: list[str], *, tr: Transaction = NEW) -> dict[str, Quote]:
        """The quotes with these ids that exist (damaged ones left out), every
        read issued at once."""
        keys = [key for i in ids for key in (self.keys.record(i), self.keys.likes(i))]
        values = tr.get_many(keys)
        found = {}
        for n, quote_id in enumerate(ids):
            raw = values[2 * n]
            if raw is not None and (quote := self.readable(quote_id, raw, values[2 * n + 1])) is not None:
                found[quote_id] = quote
        return found

    @transactional
    def page(self, after: str | None, limit: int, *, tr: Transaction = NEW) -> tuple[list[Quote], str | None]:
        """Up to ``limit`` quotes in id order after id ``after``; and the id to go
        on from (None at the end). A page is one bounded transaction; damaged
        records are left out (``damaged``)."""
        return paged_read.page(tr, self, after, limit)

    @transactional
    def raw_page(self, after: str | None, limit: int, *, tr: Transaction = NEW) -> tuple[RawPage, str | None]:
        """``page``'s records as stored, not decoded (``decode_page`` decodes them):
        what a process reading for another hands over."""
        return paged_read.raw_page(tr, self, after, limit)

    def decode_page(self, page: RawPage) -> list[Quote]:
        """The quotes of a ``raw_page`` (damaged records left out: ``damaged``)."""
        return paged_read.decode_page(self, page)

    @transactional
    def newest_page(
        self, before: bytes | None, limit: int, *, tr: Transaction = NEW
    ) -> tuple[list[Quote], bytes | None]:
        """Up to ``limit`` quotes inserted before index key ``before`` (None: the
        newest), newest first; and the key to go on from (None at the end)."""
        return insertion_index.page(tr, self, before, limit)

    def read_all(self, on_page: Callable[[int], None] | None = None) -> list[Quote]:
        """Every quote, exact as of the final catch-up; ``on_page`` gets the
        number read so far after each page."""
        for step in self.read_whole():
            if isinstance(step, Whole):
                return list(step.quotes.values())
            if on_page is not None:
                on_page(step)
        raise AssertionError("read_whole ends with the whole collection")

    def read_whole(self, page: int = paged_read.PAGE, *, watch: bool = False) -> Iterator[int | Whole]:
        """The collection read a page (one transaction) a step: the number read
        so far after each page, then the ``Whole`` collection with its cursor
        (and with ``watch``, a watch armed in its last transaction)."""
        return paged_read.read_whole(self, page, watch)

    @transactional
    def counters(self, *, tr: Transaction = NEW) -> dict[str, int]:
        values = tr.get_many([self.keys.counter(name) for name in COUNTERS])
        return {name: decode_int(value) for name, value in zip(COUNTERS, values, strict=True)}

    @transactional
    def start_read(self, *, tr: Transaction = NEW) -> ReadStart:
        """The cursor, whether the insertion-time index is complete, and the count."""
        counters = self.counters(tr=tr)
        total = counters["inserts"] - counters["deletes"]
        return ReadStart(self.cursor(tr=tr), insertion_index.complete(tr, self), total)

    # -- writes ------------------------------------------------------------

    def insert(
        self, author: str, content: str, as_of: datetime | None = None, *, tr: Transaction = NEW
    ) -> Quote:
        """Add a new quote (validated here, before the store is touched)."""
        from app.repo.validation import validate_fields  # pydantic: only where input is validated

        fields = validate_fields(author=author, content=content, as_of=as_of)
        at = now()
        quote = Quote(
            id=str(uuid.uuid4()),
            likes=0,
            inserted_at=at,
            updated_at=at,
            version=new_version(),
            **fields.model_dump(),
        )
        self.restore(quote, tr=tr)
        return quote

    @transactional(once=True)
    def restore(self, quote: Quote, *, tr: Transaction = NEW) -> None:
        """Put ``quote`` back with its id, likes and times (undo, import).

        ``DuplicateId`` if a quote with that id exists; ``InvalidQuote`` if its
        likes are out of range.
        """
        quote = check_whole(quote)  # its times in UTC, exactly
        ready_for_inserts(tr, self)
        if tr.get(self.keys.record(quote.id)) is not None:
            raise DuplicateId(quote.id)
        put_new(tr, self.keys, quote)

    @transactional(once=True)
    def update(
        self,
        quote_id: str,
        *,
        author: str | None = None,
        content: str | None = None,
        as_of: object = _UNSET,
        if_version: int | None = None,
        tr: Transaction = NEW,
    ) -> tuple[Quote, Quote]:
        """Edit the fields given of a quote's text (its id, likes and
        ``inserted_at`` stay; its version goes up by one); the quote before and
        after. ``NotFound`` if it is gone; with ``if_version``, ``Conflict`` if
        its version is not that (nothing written). An edit that changes nothing
        writes nothing: before and after are the same quote. Concurrent likes
        never make it retry (``app.repo.edits``)."""
        given = {"author": author, "content": content, "as_of": as_of}
        fields = {name: value for name, value in given.items() if value is not None and value is not _UNSET}
        if as_of is None:
            fields["as_of"] = None  # None clears as_of
        return edits.update(tr, self, quote_id, fields, if_version)

    def like(self, quote_id: str, n: int = 1) -> int:
        """Add ``n`` likes (``add_likes``); the count read right after they
        committed, which includes them (0 if the quote was deleted since)."""
        self.add_likes(quote_id, n)
        quote = self.get(quote_id)
        return 0 if quote is None else quote.likes

    @transactional(once=True)
    def add_likes(self, quote_id: str, n: int = 1, *, tr: Transaction = NEW) -> None:
        """Add ``n`` likes, conflict-free with other likes and with edits;
        refused past ``MAX_LIKES``. The quote's version stays."""
        edits.add_likes(tr, self, quote_id, n)

    def add_queued_likes(self, likes: Sequence[QueuedLike]) -> list[str]:
        """Send likes queued earlier, each with its own token (``app.repo.queued_likes``),
        at most ``queued_likes.BATCH`` in one transaction; the ids of their quotes that are gone."""
        gone = self._add_queued_likes(likes)
        changelog.maybe_trim(self.store, self.keys, len(likes))
        return gone

    @transactional
    def _add_queued_likes(self, likes: Sequence[QueuedLike], *, tr: Transaction = NEW) -> list[str]:
        return queued_likes.add(tr, self, likes)

    @transactional
    def read_version(self, *, tr: Transaction = NEW) -> int:
        """The store's read version now (what queued writes key their tokens by)."""
        return tr.get_read_version()

    @transactional(once=True)
    def delete(self, quote_id: str, *, if_version: int | None = None, tr: Transaction = NEW) -> Quote:
        """Delete a quote; the quote as it was. ``NotFound`` if it is gone; with
        ``if_version``, ``Conflict`` if its version is not that (nothing written)."""
        return edits.delete(tr, self, quote_id, if_version)

    @transactional(once=True)
    def delete_random(self, *, tr: Transaction = NEW) -> Quote | None:
        """Delete one quote chosen at random; it as it was (None: there was none)."""
        return random_delete.delete_random(tr, self)

    def import_many(
        self,
        items: Iterable[Quote | tuple[QuoteFields, int]],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Import whole quotes and new (fields, likes); the count. ``DuplicateId``,
        before anything is written, if an id is taken. Batches of one
        transaction each; ``progress`` gets the running total after each."""
        return bulk.import_many(self, items, progress)

    def import_groups(
        self,
        groups: dict[str, Iterable[Quote | tuple[QuoteFields, int]]],
        create: set[str],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Import into several collections of this store at once, all or nothing:
        see ``bulk.import_groups``."""
        return bulk.import_groups(self, groups, create, progress)

    @transactional(once=True)
    def seed(self, first_run: bool = False, *, tr: Transaction = NEW) -> int:
        """Add the sample quotes that are missing; how many were added. With
        ``first_run``, only into a brand-new store, once: the first time a
        window opens it, if nothing was ever written to the collection and the
        store has no other collection (an imported store gets no samples;
        deleted samples never come back)."""
        return bulk.seed(tr, self, first_run)

    def index_insertion_times(self, batch: int = insertion_index.FILL_BATCH) -> Iterator[int]:
        """Put quotes written before the insertion-time index into it, ``batch``
        records a transaction (each step yields how many it visited)."""
        return insertion_index.fill(self, batch)

    def after_write(self) -> None:
        """Called by ``@transactional(once=True)`` once a write has committed."""
        changelog.maybe_trim(self.store, self.keys)

    # -- change log and watches --------------------------------------------------

    @transactional
    def cursor(self, *, tr: Transaction = NEW) -> Cursor:
        """Where a fresh reader starts: the tenant's epoch and the newest log key
        (or the floor). ``UnknownTenant`` if the tenant is gone."""
        return paged_read.cursor(tr, self)

    @transactional
    def catch_up(self, cursor: Cursor, *, watch: bool = False, tr: Transaction = NEW) -> CatchUp:
        """What changed after ``cursor``: at most ``changelog.READ_LIMIT`` log
        entries (``more`` when the log goes on), the ids, those that exist, the
        new cursor; with ``watch``, a watch on ``changes`` armed in the same
        transaction once at the end of the log. ``deleted`` (with a watch on the
        tenant's return) if the tenant is gone. ``Trimmed`` when the log cannot
        say (trimmed, or another incarnation): then read the collection again."""
        return paged_read.catch_up(tr, self, cursor, watch)

    @transactional
    def watch(self, counter: str = "changes", *, tr: Transaction = NEW) -> Watch:
        """Watch one metadata counter (inserts, deletes, collection, updates, changes)."""
        if counter not in COUNTERS:
            raise ValueError(f"no counter {counter!r}")
        tr.get(self.keys.counter(counter))
        return tr.watch(self.keys.counter(counter))

    @transactional
    def follow(self, quote_id: str, *, tr: Transaction = NEW) -> tuple[Quote | None, Watch]:
        """One quote (None if there is none) and a watch that fires when it
        changes, is deleted or appears."""
        return self.get(quote_id, tr=tr), tr.watch(self.keys.version(quote_id))

    def close(self) -> None:
        self.store.close()
