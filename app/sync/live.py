"""Live queries: a collection or a record that follows the store by itself.

A live collection first reads its snapshot in pages (``app.repo.snapshot``, or
newest first from ``app.repo.insertion_index``, streamed page by page:
each page a short transaction, the log cursor taken before the first), then
one catch-up transaction applies the log since that cursor and arms a watch
on the ``changes`` counter, so no change can slip between the read and the
re-arm. When the watch fires it reads the log after its cursor and fetches
only the touched records (all at once, ``get_many``), re-arming in the same
transaction. A catch-up reads a bounded chunk of the log a transaction, as
many as it takes to reach its end; they become one ``Changes`` batch. When the
log cannot say what changed (trimmed past the cursor, or the collection
deleted and created again: another epoch) it re-reads the collection in
pages. A deleted collection is reported (``CollectionDeleted``) and followed:
if it is created again, the new one is read whole.

On the embedded store, a stream's pages in id order (after its first page)
are read by a second process (``app.sync.page_process``): it reads them as
stored and this process only decodes them, so the two share no interpreter
lock (a million quotes read in about 2.3 s instead of 3.6). A process that
ends early is a store error like any other: the stream starts again.

While waiting on its watch a live query on FoundationDB pings the store
every ``PING_SECONDS`` (one tiny read): a watch on an unreachable cluster
neither fires nor fails, so ``Offline`` comes within a few seconds from the
ping, and the query resumes by itself once the store answers. The embedded
store fails its watches at once when its file goes (``Store.silent_when_down``
is False), so it is not pinged.

A repository call whose task is cancelled (a collection switch, a close)
still runs to its end on the executor; any watch it armed is then cancelled,
so none stays in the store's watch budget.

Every transaction is the repository's (``QuoteRepo.read_whole``,
``catch_up``, ``follow``, ...): this module only decides when to call them.

Store calls block, so they run on an executor; watch firings arrive on other
threads and are handed to the event loop with ``call_soon_threadsafe``. A
watch that fails (rather than fires) counts as a failure and backs off.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
from collections.abc import Callable, MutableMapping
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any, Literal, ParamSpec, Self, TypeVar

from app.repo import (
    CatchUp,
    Cursor,
    NotAStore,
    Quote,
    QuoteRepo,
    StoreError,
    StoreGone,
    Trimmed,
    UnknownTenant,
    Watch,
    WatchCancelled,
    Whole,
)
from app.repo.paged_read import PAGE
from app.sync.events import Changes, CollectionDeleted, Event, Offline, Page, RecordState, Snapshot
from app.sync.page_process import PageProcess
from app.sync.pages_ahead import PagesAhead
from app.sync.quotes_by_id import QuotesById

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

#: How a first read is streamed: every page newest first from the insertion-time
#: index ("newest"), or only the first page, then the rest in id order
#: ("first-page": on the embedded store a range read of records is about three
#: times faster than the index's page of lookups, for a consumer that orders
#: the whole collection itself anyway).
Stream = Literal["newest", "first-page"]

#: Re-check this often even if no watch fires: a lost watch cannot leave us stale.
RECHECK_SECONDS = 30.0
#: While waiting on a watch, ping the store this often (see the module docstring): with
#: the ping's own 2 s timeout, an unreachable cluster shows within 2.5 s, under 3.
PING_SECONDS = 0.5
_RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0)
#: Quotes in the first page of a stream: a few screens' worth, shown before the rest.
FIRST_PAGE = 200


async def wait_for_watch(watch: Watch, timeout: float | None) -> None:
    """Wait, without blocking the loop, until ``watch`` fires or fails (or times out)."""
    # Not asyncio.wait_for: on 3.11 it can swallow a cancel that races the firing.
    await asyncio.wait([_fired(watch)], timeout=timeout)


def _fired(watch: Watch) -> asyncio.Future[None]:
    """A future of the running loop, done once ``watch`` is."""
    loop = asyncio.get_running_loop()
    fired = loop.create_future()

    def wake(_: Watch) -> None:
        try:
            loop.call_soon_threadsafe(_settle, fired)
        except RuntimeError:  # the loop closed first: nobody is waiting any more
            pass

    watch.on_ready(wake)
    return fired


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _cancel_armed_watch(call: concurrent.futures.Future[Any]) -> None:
    """Cancel the watch a repository call armed, if it returned one."""
    if call.cancelled() or call.exception() is not None:
        return
    result = call.result()
    armed = result if isinstance(result, Watch) else None
    if isinstance(result, (CatchUp, Whole)):
        armed = result.watch
    elif isinstance(result, tuple):
        armed = next((item for item in result if isinstance(item, Watch)), None)
    if armed is not None:
        armed.cancel()


def _back_off(failures: int) -> float:
    return _RETRY_SECONDS[min(failures, len(_RETRY_SECONDS)) - 1]


class _LiveQuery:
    """Shared machinery: the executor, the armed watch, retries while offline.

    Repository calls return what they read (quotes, cursor, watch); state
    changes here only once such a read has committed.
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

    def __aiter__(self) -> Self:
        return self

    async def _wait(self) -> None:
        """Until the next read: a back-off while offline, else the watch (and
        ``StoreError`` as soon as a ping fails meanwhile)."""
        if self._failures:
            await asyncio.sleep(_back_off(self._failures))
            return
        watch = self._watch
        if watch is None:
            return
        await self._wait_pinging(watch)
        error = watch.error() if watch.done() else None
        if error is None:
            self._watch_failures = 0 if watch.done() else self._watch_failures
        elif not isinstance(error, WatchCancelled):
            self._watch_failures += 1
            log.info("watch failed, re-reading after a pause: %s", error)
            await asyncio.sleep(_back_off(self._watch_failures))

    async def _wait_pinging(self, watch: Watch) -> None:
        """Until ``watch`` is done or the recheck time is up; on a store whose
        watches stay silent when it goes down, pinging it every ``PING_SECONDS``
        (the embedded store fails its watches at once: no ping needed)."""
        loop = asyncio.get_running_loop()
        fired, until = _fired(watch), loop.time() + self._recheck
        every = PING_SECONDS if self.repo.store.silent_when_down else self._recheck
        while not fired.done() and (left := until - loop.time()) > 0:
            await asyncio.wait([fired], timeout=min(every, left))
            if not fired.done() and not self._closed and self.repo.store.silent_when_down:
                await self._call(self.repo.store.ping)

    async def _call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a blocking repository call on the executor. Cancelled, it still
        ends there: a watch it armed is then cancelled, not left pending."""
        running = self._executor.submit(functools.partial(fn, *args, **kwargs))
        try:
            return await asyncio.wrap_future(running)
        except asyncio.CancelledError:
            running.add_done_callback(_cancel_armed_watch)
            raise

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

    With ``resume`` (quotes a consumer already holds, say from an offline
    cache, and the cursor they are exact at) there is no first read: the
    first event is the catch-up from that cursor (a ``Changes`` that
    ``completes``, even if empty), or, when the log no longer reaches back,
    the difference from a fresh read.
    """

    def __init__(
        self,
        repo: QuoteRepo,
        executor: Executor | None = None,
        recheck: float = RECHECK_SECONDS,
        page: int = PAGE,
        stream: Stream | None = None,
        resume: tuple[MutableMapping[str, Quote], Cursor] | None = None,
    ) -> None:
        super().__init__(repo, executor, recheck)
        self.quotes: MutableMapping[str, Quote] | None = None
        self._page = page
        self._stream = stream
        self._streaming: _Streaming | None = None
        self._cursor: Cursor | None = None
        #: The collection was reported deleted: the next batch comes even if empty.
        self._deleted = False
        #: The deleted tenant's return is watched (else: retry after a pause).
        self._return_watched = False
        #: Started from quotes held already: the first catch-up completes them.
        self._resumed = resume is not None
        if resume is not None:
            self.quotes, self._cursor = resume

    @property
    def cursor(self) -> Cursor | None:
        """Where the log was when ``quotes`` were exact (None during a first read)."""
        return self._cursor if self._streaming is None else None

    async def __anext__(self) -> Event:
        while not self._closed:
            try:
                if self._streaming is None and (self.quotes is not None or self._failures):
                    await self._wait()
                    if self._closed:
                        break
                if self.quotes is None and self._stream:
                    await self._start_streaming()
                if self._streaming is not None:
                    event = await self._stream_on()
                elif self.quotes is None:
                    # The read's own dict: a million quotes are not indexed twice.
                    self.quotes = await self._read_whole()
                    event = Snapshot(tuple(self.quotes.values()))
                else:
                    assert self._cursor is not None
                    event = await self._catch_up(self._cursor)
            except StoreError as exc:
                if self._streaming is not None:  # start again, from the first page
                    self._streaming.stop()
                    self._streaming = self.quotes = None
                return self._offline(exc)
            except UnknownTenant as exc:
                return self._collection_deleted(str(exc))
            recovered = self._recovered() or self._deleted
            self._deleted = False
            if isinstance(event, (Snapshot, Page)):
                return event
            if self._resumed:
                self._resumed = False
                event = Changes(
                    event.inserted, event.updated, event.deleted, event.records_read, completes=True
                )
            self._apply(event)
            if event or recovered or event.completes:
                log.debug(
                    "sync batch applied: %d inserted, %d updated, %d deleted (%d records read)",
                    len(event.inserted),
                    len(event.updated),
                    len(event.deleted),
                    event.records_read,
                )
                return event
        raise StopAsyncIteration

    async def aclose(self) -> None:
        if self._streaming is not None:
            self._streaming.stop()
        await super().aclose()

    def _collection_deleted(self, reason: str) -> CollectionDeleted:
        """Report the tenant deleted. Holding quotes, the watch on its return is
        armed (``_catch_up``); during a first read, retry after a pause."""
        log.info("live collection deleted: %s", reason)
        self._deleted = True
        if not self._return_watched:
            if self._streaming is not None:
                self._streaming.stop()
            self._streaming = self.quotes = None
            self._failures += 1
        self._return_watched = False
        return CollectionDeleted(reason)

    async def _start_streaming(self) -> None:
        """Take the cursor; stream if the index has every quote, else read whole."""
        start = await self._call(self.repo.start_read)
        if start.indexed:
            self._streaming = _Streaming(start.cursor, start.total)
            self.quotes = QuotesById()
        else:
            log.info("insertion-time index not complete: reading the collection whole")
            self._stream = None

    def _read_page(
        self, held: QuotesById, newest: bool, position: bytes | str | None, size: int
    ) -> tuple[tuple[Quote, ...], bytes | str | None]:
        """Of the next ``size`` quotes (newest first after index key ``position``,
        or in id order after id ``position``), those not in ``held`` yet, now held;
        and the position to go on from (None at the end). On the executor, so that
        growing a dict of a million quotes never runs on the loop."""
        quotes: list[Quote]
        position_after: bytes | str | None
        if newest:
            assert not isinstance(position, str)
            quotes, position_after = self.repo.newest_page(position, size)
        else:
            assert not isinstance(position, bytes)
            quotes, position_after = self.repo.page(position, size)
        return tuple(held.add_new(quotes)), position_after

    def _process_page(
        self, held: QuotesById, process: PageProcess, _position: str
    ) -> tuple[tuple[Quote, ...], str | None]:
        """Of the next page the other process read, the quotes not in ``held`` yet, now
        held; and the id after it (that process keeps its own place)."""
        quotes, position_after = process.read()
        return tuple(held.add_new(quotes)), position_after

    async def _stream_on(self) -> Snapshot | Page | Changes:
        """The next page of the stream, or the catch-up that ends it.

        After the first page the rest is read a few pages ahead of the loop
        (``PagesAhead``); a page read for a stream given up adds only to that
        stream's ``held``."""
        streaming = self._streaming
        assert streaming is not None
        newest = self._stream == "newest"
        held = self._held()
        assert isinstance(held, QuotesById)  # what a stream fills (``_start_streaming``)
        if streaming.first:
            first_size = min(self._page, FIRST_PAGE)
            fresh, position = await self._call(self._read_page, held, True, None, first_size)
            streaming.first = False
            if position is not None:
                # In id order the rest starts from the first id (the first page's
                # quotes come again there, and are dropped as held).
                rest: Callable[[Any], Any] = functools.partial(self._rest_page, held, newest)
                if not newest and PageProcess.usable(self.repo):  # read by another process
                    streaming.process = PageProcess(self.repo, self._page)
                    rest = functools.partial(self._process_page, held, streaming.process)
                streaming.pages = PagesAhead(self._executor, rest, position if newest else "")
            streaming.done = position is None
            return Snapshot(fresh, complete=False, total=streaming.total)
        while not streaming.done:
            assert streaming.pages is not None
            fresh, position = await streaming.pages.next()
            streaming.done = position is None
            if fresh:
                return Page(fresh, newest_first=newest)
        streaming.stop()  # read whole: a process reading it ends
        index = held.twin()  # as the stream brought them: the catch-up changes ``held``
        caught = await self._catch_up(streaming.cursor)
        self._streaming = None
        return Changes(
            caught.inserted, caught.updated, caught.deleted, caught.records_read, completes=True, index=index
        )

    def _rest_page(
        self, held: QuotesById, newest: bool, position: bytes | str
    ) -> tuple[tuple[Quote, ...], bytes | str | None]:
        """A page after the first (id order starts from ``""``: before every id)."""
        return self._read_page(held, newest, position or None, self._page)

    async def _catch_up(self, cursor: Cursor) -> Changes:
        """What changed since ``cursor`` (as many bounded catch-ups as it takes
        to reach the end of the log), watched from there on; when the log
        cannot say (trimmed past the cursor, another epoch), the whole
        collection read again and compared with what we hold.
        ``UnknownTenant`` once the tenant's return is watched, if it is gone."""
        found: dict[str, Quote] = {}
        ids: dict[str, None] = {}
        while True:
            try:
                caught = await self._call(self.repo.catch_up, cursor, watch=True)
            except Trimmed:
                log.info("change log cannot say what changed since the cursor: reading it whole")
                whole = await self._read_whole()
                return self._diff(whole, set(whole) | set(self._held()), len(whole))
            if caught.deleted:
                assert caught.watch is not None
                self._arm(caught.watch)
                self._return_watched = self._streaming is None
                raise UnknownTenant(self.repo.tenant, [])
            for quote_id in caught.ids:
                ids[quote_id] = None
                if quote_id in caught.found:
                    found[quote_id] = caught.found[quote_id]
                else:
                    found.pop(quote_id, None)
            self._cursor = cursor = caught.cursor
            if not caught.more:
                break
        assert caught.watch is not None
        self._arm(caught.watch)
        return self._diff(found, set(ids), len(ids))

    async def _read_whole(self) -> dict[str, Quote]:
        """The whole collection, in pages (each a step on the executor), caught
        up and watched at the end."""
        steps = self.repo.read_whole(self._page, watch=True)
        while not isinstance(step := await self._call(next, steps), Whole):
            pass
        self._cursor = step.cursor
        assert step.watch is not None
        self._arm(step.watch)
        return step.quotes

    def _held(self) -> MutableMapping[str, Quote]:
        assert self.quotes is not None
        return self.quotes

    def _apply(self, changes: Changes) -> None:
        held = self._held()
        for quote in changes.inserted + changes.updated:
            held[quote.id] = quote
        for quote_id in changes.deleted:
            held.pop(quote_id, None)

    def _diff(self, found: dict[str, Quote], candidates: set[str], read: int) -> Changes:
        """Changes turning what we hold into ``found`` for the ids in ``candidates``."""
        held = self._held()
        inserted = tuple(q for i, q in found.items() if i not in held)
        updated = tuple(q for i, q in found.items() if i in held and held[i] != q)
        deleted = tuple(i for i in candidates if i in held and i not in found)
        return Changes(inserted, updated, deleted, records_read=read)


class _Streaming:
    """Where a streamed first read has got to."""

    def __init__(self, cursor: Cursor, total: int) -> None:
        self.cursor = cursor  # taken before the first page
        self.total = total  # quotes in the collection then
        self.first = True
        #: The pages after the first, read ahead: positions are the index key a page
        #: ends before, or the id it comes after ("": from the start).
        self.pages: PagesAhead[Any, tuple[Quote, ...]] | None = None
        #: The process reading them, if another process does.
        self.process: PageProcess | None = None
        self.done = False

    def stop(self) -> None:
        """The stream is given up (or read whole): read no more pages ahead."""
        if self.pages is not None:
            self.pages.close()
        if self.process is not None:
            self.process.close()


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
            try:
                if self._last is not None or self._failures:
                    await self._wait()
                    if self._closed:
                        break
                quote, watch = await self._call(self.repo.follow, self.quote_id)
            except StoreError as exc:
                return self._offline(exc)
            self._arm(watch)
            recovered = self._recovered()
            event = RecordState(quote)
            if event != self._last or recovered:
                self._last = event
                return event
        raise StopAsyncIteration
