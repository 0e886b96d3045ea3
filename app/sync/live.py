"""Live queries: a collection or a record that follows the store by itself.

A live collection reads a snapshot and arms a watch on the ``changes``
counter in the same transaction; when the watch fires it reads the change log
after its cursor, fetches only the touched records, and re-arms, again in one
transaction, so no change can slip between the read and the re-arm.
Everything read at one database version becomes one ``Changes`` batch.

Mode ``"reread"`` keeps the seed's strategy (re-read everything on every
change) so benchmarks can compare the two in one run.

Store calls block, so they run on an executor; watch firings arrive on other
threads and are handed to the event loop with ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Literal

from app.repo.quotes import QuoteRepo
from app.repo.schema import Quote
from app.store.base import Transaction, Watch
from app.store.errors import NotAStore, StoreError, StoreGone
from app.sync.events import Changes, Event, Offline, RecordState, Snapshot

log = logging.getLogger(__name__)

Mode = Literal["incremental", "reread"]

#: Re-check this often even if no watch fires: a lost watch cannot leave us stale.
RECHECK_SECONDS = 30.0
_RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0)


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

    def __aiter__(self):
        return self

    async def _wait(self) -> None:
        """Until the next read: a back-off while offline, else the watch."""
        if self._failures:
            await asyncio.sleep(_RETRY_SECONDS[min(self._failures, len(_RETRY_SECONDS)) - 1])
        elif self._watch is not None:
            await wait_for_watch(self._watch, self._recheck)

    async def _read(self, fn):
        """Run ``fn`` in a transaction; returns (result, recovered) or (Offline, False)."""
        loop = asyncio.get_running_loop()
        replaced = self._watch
        try:
            result, self._watch = await loop.run_in_executor(
                self._executor, self.repo.store.transact, fn
            )
        except StoreError as exc:
            self._failures += 1
            gone = isinstance(exc, (StoreGone, NotAStore))
            # A store that is gone is the consumer's to report (quotes watch ends on it).
            log.log(logging.INFO if gone else logging.WARNING, "live query offline: %s", exc)
            return Offline(str(exc), gone=gone), False
        log.debug("watch armed after a read by %s", type(self).__name__)
        if replaced is not None and not replaced.done():
            replaced.cancel()  # e.g. a recheck timeout: don't leave it pending (watch limit)
        recovered, self._failures = self._failures > 0, 0
        return result, recovered

    async def aclose(self) -> None:
        self._closed = True
        if self._watch is not None:
            self._watch.cancel()
        if self._own_executor:
            self._executor.shutdown(wait=False, cancel_futures=True)


class LiveCollection(_LiveQuery):
    """An async iterator of ``Snapshot`` (first) then ``Changes`` / ``Offline``.

    After an outage the first batch comes even if it is empty, so a consumer
    knows the store is back.
    """

    def __init__(
        self,
        repo: QuoteRepo,
        mode: Mode = "incremental",
        executor: Executor | None = None,
        recheck: float = RECHECK_SECONDS,
    ) -> None:
        super().__init__(repo, executor, recheck)
        if mode not in ("incremental", "reread"):
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self.quotes: dict[str, Quote] | None = None
        self._cursor = b""

    async def __anext__(self) -> Event:
        while not self._closed:
            if self.quotes is not None or self._failures:
                await self._wait()
                if self._closed:
                    break
            if self.quotes is None:
                fn = self._snapshot_tx
            elif self.mode == "reread":
                fn = self._reread_tx
            else:
                fn = self._incremental_tx
            result, recovered = await self._read(fn)
            if isinstance(result, Offline):
                return result
            event, self._cursor = result
            if isinstance(event, Snapshot):
                self.quotes = {q.id: q for q in event.quotes}
                return event
            self._apply(event)
            if event or recovered:
                log.debug(
                    "sync batch applied: %d inserted, %d updated, %d deleted (%d records read)",
                    len(event.inserted), len(event.updated), len(event.deleted), event.records_read,
                )
                return event
        raise StopAsyncIteration

    def _apply(self, changes: Changes) -> None:
        for quote in changes.inserted + changes.updated:
            self.quotes[quote.id] = quote
        for quote_id in changes.deleted:
            self.quotes.pop(quote_id, None)

    def _snapshot_tx(self, tr: Transaction):
        quotes = self.repo.all_tx(tr)
        cursor = self.repo.cursor_tx(tr)
        return (Snapshot(tuple(quotes)), cursor), self.repo.watch_counter_tx(tr, "changes")

    def _reread_tx(self, tr: Transaction):
        """The seed's way: read everything, then diff against what we hold."""
        (snapshot, cursor), watch = self._snapshot_tx(tr)
        found = {q.id: q for q in snapshot.quotes}
        return (self._diff(found, set(self.quotes), len(found)), cursor), watch

    def _incremental_tx(self, tr: Transaction):
        since = self.repo.log_since_tx(tr, self._cursor)
        if since is None:  # the log was trimmed past our cursor: full re-read
            log.info("change log trimmed past the cursor: full re-read")
            return self._reread_tx(tr)
        ids, cursor = since
        found = {}
        for quote_id in ids:
            quote = self.repo.get_tx(tr, quote_id)
            if quote is not None:
                found[quote_id] = quote
        watch = self.repo.watch_counter_tx(tr, "changes")
        return (self._diff(found, set(ids), len(ids)), cursor), watch

    def _diff(self, found: dict[str, Quote], candidates: set[str], read: int) -> Changes:
        """Changes turning what we hold into ``found`` for the ids in ``candidates``."""
        held = self.quotes
        inserted = tuple(q for i, q in found.items() if i not in held)
        updated = tuple(q for i, q in found.items() if i in held and held[i] != q)
        deleted = tuple(i for i in candidates if i in held and i not in found)
        return Changes(inserted, updated, deleted, records_read=read)


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
            event, recovered = await self._read(self._read_tx)
            if isinstance(event, Offline) or event != self._last or recovered:
                if isinstance(event, RecordState):
                    self._last = event
                return event
        raise StopAsyncIteration

    def _read_tx(self, tr: Transaction):
        quote = self.repo.get_tx(tr, self.quote_id)
        return RecordState(quote), self.repo.watch_record_tx(tr, self.quote_id)
