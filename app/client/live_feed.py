"""A session's live feed: the live collection of the tenant shown, handed to the
window's listeners. Qt-free.

Every event of the live collection (``Snapshot``, ``Page``, ``Changes``) reaches
the listeners with the changes waiting in the outbox laid over it (``outgoing``,
given an outbox); ``Offline`` is said through ``connection`` instead. A big batch
of changes is handed over a slice at a time, and the event loop runs between
slices. Opened on a cached collection, the feed shows the cache first and the
live collection catches up from the cached cursor. The first time a collection
is whole, its insertion-time index is filled in if it was written before it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from time import perf_counter

from app.client import runtime
from app.client.offline import OfflineSupport, OpenedOn
from app.client.outgoing import Runner
from app.client.work import Task, Work
from app.repo import Quote, QuoteRepo, StoreError, UnknownTenant
from app.repo.paged_read import PAGE
from app.sync.events import Changes, Offline, Page, Snapshot
from app.sync.live import LiveCollection, Stream
from app.sync.quotes_by_id import QuotesById

log = logging.getLogger(__name__)

#: Changes handed to the window at a time: a fraction of a millisecond of the
#: model's work on a quiet machine, one to three under a burst.
SLICE = 8
#: Longest the window applies slices of one batch before the event loop runs
#: (a paint, a key press): a quarter of a frame at 120 Hz.
APPLY_BUDGET_S = 0.002

Listener = Callable[[Snapshot | Page | Changes], None]


class LiveFeed:
    """The live collection a session shows (see the module's docstring)."""

    def __init__(
        self,
        work: Work,
        run: Runner,
        repo: Callable[[], QuoteRepo],
        connection: Callable[[str | None], None],
        offline: OfflineSupport | None,
    ) -> None:
        """``run``: a store call on the pool that shows an unreachable store as offline;
        ``repo``: the repository shown now; ``connection``: the store is offline (the
        reason), connecting (None) or connected (""); ``offline``: the outbox and caches."""
        self._work = work
        self._run = run
        self._repo = repo
        self._set_connection = connection
        self._offline = offline
        self._listeners: list[Listener] = []
        self._live: LiveCollection | None = None
        self._live_task: Task | None = None
        #: The live collection is streaming its first read in.
        self._streaming = False
        #: Tenants whose insertion-time index this feed has checked.
        self._indexed: set[str] = set()
        #: How the live collection streams its first read (None: whole).
        self.stream: Stream | None = None
        #: Changes waiting to be sent (None: no outbox).
        self.outgoing = None if offline is None else offline.outgoing(run, work.spawn, self.show, self.known)

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` with every Snapshot, Page and Changes of the live collection."""
        self._listeners.append(listener)

    def open_cached(self, opened_on: OpenedOn) -> None:
        """Show the newest quotes of the cache the window opened on at once, then the
        rest of it, then follow the store from it."""
        self.present(opened_on.snapshot)
        self._live_task = self._work.spawn(self._rest_of_cache(opened_on))

    async def _rest_of_cache(self, opened_on: OpenedOn) -> None:
        offline = self._offline
        assert offline is not None
        held = QuotesById(opened_on.head.newest)
        pages = offline.cache_pages(self._repo().tenant, PAGE)
        while (page := await self._run(next, pages, None)) is not None:  # as a stream: paints between
            fresh = tuple(held.add_new(page))
            if fresh:
                self.present(Page(fresh))
        self.present(Changes(completes=True, index=held.twin()))
        await self._run(offline.resume_from, self._repo().tenant, held)
        if not self._work.closing:
            self._live_task = None  # this task: not to be cancelled by the follow it starts
            self.follow()

    def follow(self) -> None:
        """Follow the collection of the repository shown (afresh, if following one)."""
        self.stop()
        repo = self._repo()
        resume = None if self._offline is None else self._offline.follow(repo.tenant)
        self._live = LiveCollection(repo, stream=self.stream, resume=resume)
        self._live_task = self._work.spawn(self._relay(self._live))

    def stop(self) -> None:
        """Stop following the collection."""
        self._loaded(whole=False)
        if self._live_task is None:
            return
        self._live_task.cancel()
        # Also close the collection: it then ends by itself even if the cancellation
        # is lost (asyncio.wait_for on Python 3.11 can swallow one).
        if self._live is not None:
            self._work.track(self._live.aclose())
        self._live_task = self._live = None

    async def _relay(self, live: LiveCollection) -> None:
        try:
            async for event in live:
                if self._offline is not None and not isinstance(event, Offline):
                    self._offline.saw(event, live.cursor)
                if not isinstance(event, Changes):
                    self.deliver(event)
                    continue
                # A big batch (a catch-up after a pause, an import elsewhere, a backlog
                # from a busy moment) is applied a slice at a time, and the event loop
                # runs whenever the slices have taken APPLY_BUDGET_S.
                started = perf_counter()
                for part in event.split(SLICE):
                    if perf_counter() - started >= APPLY_BUDGET_S:
                        await asyncio.sleep(0)
                        started = perf_counter()
                    self.deliver(part)
        finally:
            await live.aclose()

    def deliver(self, event: Snapshot | Page | Changes | Offline) -> None:
        """Hand one event of the live collection to the listeners."""
        if isinstance(event, Offline):
            self._set_connection(event.reason)
            return
        self.present(event)
        if isinstance(event, Snapshot) and not event.complete:
            self._loaded(whole=False)  # a stream that starts again ends its first load
            self._streaming = True
            runtime.collection_loading()
        if isinstance(event, Page) or (isinstance(event, Snapshot) and not event.complete):
            return  # connected once the whole collection is read and watched
        if isinstance(event, Snapshot) or event.completes:
            self._loaded(whole=True)
        repo = self._repo()
        if repo.tenant not in self._indexed:
            self._indexed.add(repo.tenant)
            self._work.cancel_on_close(self._work.spawn(_complete_index(repo, self._work.executor)))
        self._set_connection("")

    def _loaded(self, whole: bool) -> None:
        """A collection is in (or its stream was given up): see ``app.client.runtime``."""
        if self._streaming or whole:
            runtime.collection_loaded(whole)
        self._streaming = False

    def present(self, event: Snapshot | Page | Changes) -> None:
        """Show an event of the store's collection, with the changes waiting applied over it."""
        self.show(event if self.outgoing is None else self.outgoing.overlay.event(event))

    def show(self, event: Snapshot | Page | Changes) -> None:
        """Hand an event to the listeners as it is."""
        for listener in self._listeners:
            listener(event)

    def known(self, quote_id: str) -> Quote | None:
        """The store's copy of a quote as the live view last read it (None: none)."""
        quotes = None if self._live is None else self._live.quotes
        return None if quotes is None else quotes.get(quote_id)


async def _complete_index(repo: QuoteRepo, executor: ThreadPoolExecutor) -> None:
    """Fill in the insertion-time index of a collection written before it, so
    windows stream it newest first from then on. Best effort (a read-only
    store cannot), a batch at a time, never shown as the store going offline."""
    loop = asyncio.get_running_loop()
    batches = repo.index_insertion_times()
    visited = 0
    try:
        while (count := await loop.run_in_executor(executor, next, batches, None)) is not None:
            visited += count
    except (StoreError, UnknownTenant) as exc:
        log.info("insertion-time index of %r not filled in: %s", repo.tenant, exc)
        return
    if visited:
        log.info("insertion-time index of %r filled in: %d quotes", repo.tenant, visited)
