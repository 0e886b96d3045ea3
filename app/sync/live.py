"""Live queries: a collection or a record that follows the store by itself.

A live collection first reads its snapshot in pages (``app.repo.snapshot``, or
newest first from ``app.repo.insertion_index``, streamed page by page:
each page a short transaction, the log cursor taken before the first), then
one catch-up transaction applies the log since that cursor and arms a watch
on the ``changes`` counter, so no change can slip between the read and the
re-arm. When the watch fires it reads the log after its cursor and fetches
only the touched records (all at once, ``get_many``), re-arming in the same
transaction. Everything read at one database version becomes one ``Changes``
batch. When the log cannot say what changed (trimmed past the cursor, or more
entries than one catch-up reads) it re-reads the collection in pages.

Mode ``"reread"`` keeps the seed's strategy (re-read everything on every
change) so benchmarks can compare the two in one run.

Store calls block, so they run on an executor; watch firings arrive on other
threads and are handed to the event loop with ``call_soon_threadsafe``. A
watch that fails (rather than fires) counts as a failure and backs off.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import MutableMapping
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Literal

from app.repo import insertion_index, snapshot
from app.repo.quotes import QuoteRepo
from app.repo.schema import Quote
from app.store.base import Transaction, Watch
from app.store.errors import NotAStore, StoreError, StoreGone, WatchCancelled
from app.sync.events import Changes, Event, Offline, Page, RecordState, Snapshot
from app.sync.quotes_by_id import QuotesById

log = logging.getLogger(__name__)

Mode = Literal["incremental", "reread"]
#: How a first read is streamed: every page newest first from the insertion-time
#: index ("newest"), or only the first page, then the rest in id order
#: ("first-page": on the embedded store a range read of records is about three
#: times faster than the index's page of lookups, for a consumer that orders
#: the whole collection itself anyway).
Stream = Literal["newest", "first-page"]

#: Re-check this often even if no watch fires: a lost watch cannot leave us stale.
RECHECK_SECONDS = 30.0
_RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0)
#: Quotes in the first page of a stream: a few screens' worth, shown before the rest.
FIRST_PAGE = 200


async def wait_for_watch(watch: Watch, timeout: float | None) -> None:
    """Wait, without blocking the loop, until ``watch`` fires or fails (or times out)."""
    loop = asyncio.get_running_loop()
    fired = loop.create_future()

    def wake(_: Watch) -> None:
        try:
            loop.call_soon_threadsafe(_settle, fired)
        except RuntimeError:  # the loop closed first: nobody is waiting any more
            pass

    watch.on_ready(wake)
    # Not asyncio.wait_for: on 3.11 it can swallow a cancel that races the firing.
    await asyncio.wait([fired], timeout=timeout)


def _settle(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


def _back_off(failures: int) -> float:
    return _RETRY_SECONDS[min(failures, len(_RETRY_SECONDS)) - 1]


class _LiveQuery:
    """Shared machinery: the executor, the armed watch, retries while offline.

    Transactional bodies may run more than once, so they return what they read
    (event, cursor, watch) and state changes only once a read has committed.
    """

    def __init__(self, repo: QuoteRepo, executor: Executor | None, recheck: float) -> None:
        self.repo = repo
        self._own_executor = executor is None
        self._executor = executor or ThreadPoolExecutor(1, thread_name_prefix="live-query")
        self._recheck = recheck
        self._watch: Watch | None = None
        self._closed = False
        self._failures = 0
        self._watch_failures = 0

    def __aiter__(self):
        return self

    async def _wait(self) -> None:
        """Until the next read: a back-off while offline, else the watch."""
        if self._failures:
            await asyncio.sleep(_back_off(self._failures))
            return
        watch = self._watch
        if watch is None:
            return
        await wait_for_watch(watch, self._recheck)
        error = watch.error() if watch.done() else None
        if error is None:
            self._watch_failures = 0 if watch.done() else self._watch_failures
        elif not isinstance(error, WatchCancelled):
            self._watch_failures += 1
            log.info("watch failed, re-reading after a pause: %s", error)
            await asyncio.sleep(_back_off(self._watch_failures))

    async def _call(self, fn, *args):
        """Run a blocking store call on the executor."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args))

    def _arm(self, watch: Watch) -> None:
        """Keep the watch a committed read armed; drop the one it replaces."""
        replaced, self._watch = self._watch, watch
        log.debug("watch armed after a read by %s", type(self).__name__)
        if replaced is not None and not replaced.done():
            replaced.cancel()  # e.g. a recheck timeout: don't leave it pending (watch limit)
        if self._closed:  # closed while the read was running
            watch.cancel()

    def _offline(self, exc: StoreError) -> Offline:
        self._failures += 1
        gone = isinstance(exc, (StoreGone, NotAStore))
        # A store that is gone is the consumer's to report (quotes watch ends on it).
        log.log(logging.INFO if gone else logging.WARNING, "live query offline: %s", exc)
        return Offline(str(exc), gone=gone)

    def _recovered(self) -> bool:
        recovered, self._failures = self._failures > 0, 0
        return recovered

    async def aclose(self) -> None:
        self._closed = True
        if self._watch is not None:
            self._watch.cancel()
        if self._own_executor:
            self._executor.shutdown(wait=False, cancel_futures=True)


class LiveCollection(_LiveQuery):
    """An async iterator of ``Snapshot`` (first) then ``Changes`` / ``Offline``.

    With ``stream``, the first read comes a page at a time: a Snapshot that is
    not complete (the newest quotes, from the insertion-time index), a ``Page``
    for each further page (newest first too, or in id order with
    ``"first-page"``), then the catch-up as a ``Changes`` with ``completes``
    set. Each page is a short transaction of its own; the cursor is taken
    before the first, so no change made meanwhile is lost. A store whose index
    is not complete is read whole, in id order, as without ``stream``.

    After an outage the first batch comes even if it is empty, so a consumer
    knows the store is back.
    """

    def __init__(
        self,
        repo: QuoteRepo,
        mode: Mode = "incremental",
        executor: Executor | None = None,
        recheck: float = RECHECK_SECONDS,
        page: int = snapshot.PAGE,
        stream: Stream | None = None,
    ) -> None:
        super().__init__(repo, executor, recheck)
        if mode not in ("incremental", "reread"):
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self.quotes: MutableMapping[str, Quote] | None = None
        self._page = page
        self._stream = stream
        self._streaming: _Streaming | None = None
        self._cursor = b""

    async def __anext__(self) -> Event:
        while not self._closed:
            if self._streaming is None and (self.quotes is not None or self._failures):
                await self._wait()
                if self._closed:
                    break
            try:
                if self.quotes is None and self._stream:
                    await self._start_streaming()
                if self._streaming is not None:
                    event = await self._stream_on()
                elif self.quotes is None:
                    held = await self._read_all()
                    event = Snapshot(tuple(held.values()))
                elif self.mode == "reread":
                    event = await self._reread()
                else:
                    event = await self._incremental()
            except StoreError as exc:
                if self._streaming is not None:  # start again, from the first page
                    self._streaming = self.quotes = None
                return self._offline(exc)
            recovered = self._recovered()
            if isinstance(event, Snapshot) and event.complete:
                self.quotes = held  # the read's own dict: a million quotes are not indexed twice
                return event
            if isinstance(event, (Snapshot, Page)):
                return event
            self._apply(event)
            if event or recovered or event.completes:
                log.debug(
                    "sync batch applied: %d inserted, %d updated, %d deleted (%d records read)",
                    len(event.inserted), len(event.updated), len(event.deleted), event.records_read,
                )
                return event
        raise StopAsyncIteration

    async def _start_streaming(self) -> None:
        """Take the cursor; stream if the index has every quote, else read whole."""
        cursor, indexed, total = await self._call(self.repo.store.transact, self._stream_start_tx)
        if indexed:
            self._streaming = _Streaming(cursor, total)
            self.quotes = QuotesById()
        else:
            log.info("insertion-time index not complete: reading the collection whole")
            self._stream = None

    def _read_page(
        self, newest: bool, position: bytes | str | None, size: int
    ) -> tuple[tuple[Quote, ...], bytes | str | None]:
        """Of the next ``size`` quotes (newest first after index key ``position``,
        or in id order after id ``position``), those not held yet, now held; and
        the position to go on from (None at the end). On the executor, so that
        growing a dict of a million quotes (tens of ms) never runs on the loop."""
        if newest:
            quotes, position = insertion_index.page(self.repo, position, size)
        else:
            quotes, position = self.repo.page(position, size)
        fresh = tuple(q for q in quotes if q.id not in self.quotes)
        self.quotes.add_all(fresh)
        return fresh, position

    def _stream_start_tx(self, tr: Transaction) -> tuple[bytes, bool, int]:
        counters = self.repo.counters(tr)
        total = counters["inserts"] - counters["deletes"]
        return self.repo.cursor(tr), insertion_index.complete(self.repo, tr), total

    async def _stream_on(self) -> Snapshot | Page | Changes:
        """The next page of the stream, or the catch-up that ends it."""
        streaming = self._streaming
        if streaming.first:
            fresh, position = await self._call(
                self._read_page, True, None, min(self._page, FIRST_PAGE)
            )
            streaming.first, streaming.done = False, position is None
            # In id order the rest starts from the first id (the first page's
            # quotes come again there, and are dropped as held).
            streaming.position = position if self._stream == "newest" else None
            return Snapshot(fresh, complete=False, total=streaming.total)
        while not streaming.done:
            fresh, streaming.position = await self._call(
                self._read_page, self._stream == "newest", streaming.position, self._page
            )
            streaming.done = streaming.position is None
            if fresh:
                return Page(fresh)
        try:
            ids, found, cursor, watch = await self._call(
                self.repo.store.transact, self._catch_up_tx, streaming.cursor
            )
        except snapshot.Trimmed:
            log.info("change log trimmed while streaming the collection: reading it whole")
            self._streaming, self._stream = None, None
            held = await self._read_all()
            changes = self._diff(held, set(held) | set(self.quotes), len(held))
        else:
            self._streaming = None
            self._cursor = cursor
            self._arm(watch)
            changes = self._diff(found, set(ids), len(ids))
        return Changes(
            changes.inserted, changes.updated, changes.deleted, changes.records_read, completes=True
        )

    async def _read_all(self) -> dict[str, Quote]:
        """The whole collection, in pages, caught up and watched at the end."""
        with snapshot.paused_gc():
            return await self._read_all_paged()

    async def _read_all_paged(self) -> dict[str, Quote]:
        for _ in range(snapshot.ATTEMPTS):
            cursor = await self._call(self.repo.cursor)
            quotes: dict[str, Quote] = {}
            after: str | None = None
            while True:
                page, after = await self._call(self.repo.page, after, self._page)
                quotes.update((q.id, q) for q in page)
                if after is None:
                    break
            try:
                ids, found, cursor, watch = await self._call(
                    self.repo.store.transact, self._catch_up_tx, cursor
                )
            except snapshot.Trimmed:
                log.info("change log trimmed while reading the collection: reading again")
                continue
            snapshot.apply(quotes, ids, found)
            self._cursor = cursor
            self._arm(watch)
            return quotes
        raise snapshot.Trimmed("the change log kept moving too fast to read the collection")

    def _catch_up_tx(self, tr: Transaction, cursor: bytes):
        ids, found, cursor = snapshot.catch_up(tr, self.repo, cursor)
        return ids, found, cursor, self.repo.watch(tr, "changes")

    async def _reread(self) -> Changes:
        """The seed's way: read everything, then diff against what we hold."""
        found = await self._read_all()
        return self._diff(found, set(self.quotes) | set(found), len(found))

    async def _incremental(self) -> Changes:
        try:
            ids, found, cursor, watch = await self._call(
                self.repo.store.transact, self._catch_up_tx, self._cursor
            )
        except snapshot.Trimmed:
            log.info("change log cannot say what changed since the cursor: full re-read")
            return await self._reread()
        self._cursor = cursor
        self._arm(watch)
        return self._diff(found, set(ids), len(ids))

    def _apply(self, changes: Changes) -> None:
        for quote in changes.inserted + changes.updated:
            self.quotes[quote.id] = quote
        for quote_id in changes.deleted:
            self.quotes.pop(quote_id, None)

    def _diff(self, found: dict[str, Quote], candidates: set[str], read: int) -> Changes:
        """Changes turning what we hold into ``found`` for the ids in ``candidates``."""
        held = self.quotes
        inserted = tuple(q for i, q in found.items() if i not in held)
        updated = tuple(q for i, q in found.items() if i in held and held[i] != q)
        deleted = tuple(i for i in candidates if i in held and i not in found)
        return Changes(inserted, updated, deleted, records_read=read)


class _Streaming:
    """Where a streamed first read has got to."""

    def __init__(self, cursor: bytes, total: int) -> None:
        self.cursor = cursor  # taken before the first page
        self.total = total  # quotes in the collection then
        #: Where the next page starts: the index key it ends before, or the id it
        #: comes after (None: from the start).
        self.position: bytes | str | None = None
        self.first = True
        self.done = False


class LiveRecord(_LiveQuery):
    """An async iterator of ``RecordState`` for one quote (None while deleted)."""

    def __init__(
        self,
        repo: QuoteRepo,
        quote_id: str,
        executor: Executor | None = None,
        recheck: float = RECHECK_SECONDS,
    ) -> None:
        super().__init__(repo, executor, recheck)
        self.quote_id = quote_id
        self._last: RecordState | None = None

    async def __anext__(self) -> RecordState | Offline:
        while not self._closed:
            if self._last is not None or self._failures:
                await self._wait()
                if self._closed:
                    break
            try:
                event, watch = await self._call(self.repo.store.transact, self._read_tx)
            except StoreError as exc:
                return self._offline(exc)
            self._arm(watch)
            recovered = self._recovered()
            if event != self._last or recovered:
                self._last = event
                return event
        raise StopAsyncIteration

    def _read_tx(self, tr: Transaction):
        quote = self.repo.get(tr, self.quote_id)
        return RecordState(quote), self.repo.watch_record(tr, self.quote_id)
