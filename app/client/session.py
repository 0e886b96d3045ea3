"""A window's session with the store: the repository, the work in flight, the live feed.

Qt-free. It owns the repository (and the tenant shown), a bounded thread pool
for store calls (never the loop's default executor, which qasync joins at
close), every task it started, the live collection of the current tenant and
a watch on the tenant registry. The commands (like, add, edit, delete, undo,
switch collection) are coroutines that raise the repository's errors; the
window decides what to say. What happens in the store reaches listeners:
``subscribe`` for the live collection's Snapshot / Page / Changes, ``on_connection``
when the store goes offline or comes back, ``on_tenants`` when the registry
changes, ``on_undo`` when what Undo and Redo would do changes.

Offline (``app.client.offline``): given an outbox, a write that finds the
store unreachable waits there (``Queued``) and is sent once it answers
(``outgoing``); given a cache writer, the collection is cached as the live
view changes; opened on a cached collection, it shows it at once and the
live view catches up from the cached cursor.

Every repository and store call the window makes goes through here (and
``app.client.opening``), so a change of the repository's API changes the
client only.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from time import perf_counter
from typing import Any, TypeVar

from app.client import runtime
from app.client.conflicts import Change, Choice, WriteConflict
from app.client.offline import OfflineSupport
from app.client.outbox import Kind
from app.client.undo_history import UndoHistory
from app.client.writes import Writes
from app.repo import (
    CollectionReplaced,
    InvalidTenant,
    Quote,
    QuoteFields,
    QuoteRepo,
    StoreError,
    StoreUnavailable,
    StoreUnreachable,
    UnknownTenant,
    open_repo,
    tenants,
)
from app.repo.paged_read import PAGE
from app.repo.schema import new_version, now
from app.sync.events import Changes, Offline, Page, RecordState, Snapshot
from app.sync.live import RECHECK_SECONDS, LiveCollection, LiveRecord, Stream, wait_for_watch

log = logging.getLogger(__name__)

#: Store calls in flight at once; more wait their turn in the pool's queue.
WORKERS = 4
#: Changes handed to the window at a time: a fraction of a millisecond of the
#: model's work on a quiet machine, one to three under a burst.
SLICE = 8
#: Longest the window applies slices of one batch before the event loop runs
#: (a paint, a key press): a quarter of a frame at 120 Hz.
APPLY_BUDGET_S = 0.002
#: Seconds between attempts to follow the tenant registry while the store is away.
_TENANT_RETRY = 2.0

Listener = Callable[[Snapshot | Page | Changes], None]
T = TypeVar("T")
#: A task the session started; what it returns is not used.
Task = asyncio.Task[Any]


class QuoteSession:
    """What one window does with the store (see the module's docstring)."""

    def __init__(
        self, repo: QuoteRepo, owns_store: bool = False, offline: OfflineSupport | None = None
    ) -> None:
        """``owns_store``: the session closes ``repo``'s store when it closes;
        ``offline``: its outbox and caches (None: writes fail while the store is away)."""
        self._root = repo  # the repo we were opened with; other tenants derive from it
        self.repo = repo
        self._executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="quotes-ui")
        self._tasks: set[Task] = set()
        self._live: LiveCollection | None = None
        #: The live collection is streaming its first read in.
        self._streaming = False
        self._live_task: Task | None = None
        self._tenants_task: Task | None = None
        self._followers: set[Task] = set()
        #: Tenants whose insertion-time index this session has checked.
        self._indexed: set[str] = set()
        self._opened = [repo] if owns_store else []  # stores this session closes
        self._closing = False
        self._undo = UndoHistory(lambda undo, redo: self.on_undo(undo, redo))
        self._writes = Writes(self._write, self._undo)
        self._listeners: list[Listener] = []
        self.on_connection: Callable[[str | None], None] = lambda problem: None
        self.on_tenants: Callable[[list[str]], None] = lambda names: None
        #: What Undo and Redo would do now ("Undo Delete “…”"; None: nothing).
        self.on_undo: Callable[[str | None, str | None], None] = lambda undo, redo: None
        self.on_failure: Callable[[BaseException], None] = lambda exc: None
        #: None: connecting; "": connected; else why the store is offline.
        self.connection: str | None = None
        self.tenant_names = [repo.tenant]
        #: How the live collection streams its first read (None: whole).
        self.stream: Stream | None = None
        self.offline = offline
        #: Changes waiting to be sent (None: no outbox).
        self.outgoing = (
            None if offline is None else offline.outgoing(self._run, self.spawn, self._show, self.known)
        )

    # -- what it shows --------------------------------------------------------

    @property
    def tenant(self) -> str:
        return self.repo.tenant

    @property
    def store_description(self) -> str:
        return self.repo.store.description

    @property
    def store_path(self) -> Path | None:
        """The embedded store's file (None on FoundationDB)."""
        return getattr(self._root.store, "path", None)

    def store_missing(self) -> bool:
        """True if the embedded store's file is no longer where it was opened."""
        path = self.store_path
        return path is not None and not path.exists()

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` with every Snapshot, Page and Changes of the live collection."""
        self._listeners.append(listener)

    # -- running --------------------------------------------------------------

    def start(self) -> None:
        """Follow the store; call with the asyncio loop running."""
        if self.outgoing is not None:
            self.outgoing.load(self.tenant)
        opened_on = None if self.offline is None else self.offline.opened_on
        if opened_on is not None:  # on its cache: the newest quotes at once, then the rest
            self._set_connection(opened_on.reason)
            self._present(opened_on.snapshot)
            self._live_task = self.spawn(self._open_cached())
        else:
            self._follow()
        self._tenants_task = self.spawn(self._follow_tenants())

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> Task | None:
        """Run ``coro`` as a task awaited before the session closes (none once closing)."""
        if self._closing:
            coro.close()
            return None
        return self._track(coro)

    def _track(self, coro: Coroutine[Any, Any, Any]) -> Task:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: Task) -> None:
        self._tasks.discard(task)
        failure = None if task.cancelled() else task.exception()
        if failure is not None:
            self.on_failure(failure)

    async def _run(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """Run a blocking store call on the pool; an unreachable store shows as offline."""
        try:
            return await self._call(fn, *args, **kwargs)
        except StoreUnavailable as exc:
            self._set_connection(str(exc))
            raise
        except CollectionReplaced as exc:  # the collection shown was deleted and made again:
            if exc.name == self.repo.tenant:  # this write is refused, the next ones go to the new one
                self.repo = QuoteRepo(self._root.store, exc.name)
            raise

    async def run_job(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """Run a long blocking job (an import, an export, a backup: ``file_jobs``) on the pool."""
        return await self._run(fn, *args, **kwargs)

    async def _call(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """Run a blocking call on the pool."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    async def close(self) -> None:
        """Stop following, await everything started, then release the pool."""
        self._closing = True
        self._stop_following()
        for follower in (self._tenants_task, *self._followers):
            if follower is not None:
                follower.cancel()
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.offline is not None:
            self.offline.close()
        self.release()

    def release(self) -> None:
        """Release the pool of a session with nothing running (never started, or closed)."""
        self._closing = True
        self._executor.shutdown(wait=True)
        for repo in self._opened:
            repo.close()

    # -- the store ------------------------------------------------------------------

    def reconnect(self) -> None:
        """Read the store again now (say, after its file came back), not at the next retry."""
        if self._closing:
            return
        self._set_connection(None)
        self._follow()

    def pause(self) -> None:
        """Stop following the collection until ``reconnect``: while this window
        imports a file, its list waits and is read again at the end, rather than
        apply every quote of the file (and a cancel's deletes) a slice at a time."""
        self._stop_following()

    async def reopen(self) -> None:
        """Open the store again from its file, as if for the first time: a file put
        back at its path (a backup copied there, say) is a new file, which the
        store opened before cannot read. The collection shown stays if the file
        has it. On FoundationDB, or while the file is missing, read it again."""
        path = self.store_path
        if path is None or not path.exists():
            self.reconnect()
            return
        tenant = self.tenant
        await self.open_store(path)
        if tenant in self.tenant_names or await self._run(tenants.exists, self._root.store, tenant):
            self.switch_tenant(tenant)

    async def open_store(self, path: Path | None = None, cluster_file: str | None = None) -> None:
        """Show another store, an embedded one at ``path`` or a FoundationDB cluster
        (the session closes it when it closes); raises StoreError if it cannot,
        and the store shown stays (not shown offline for another store's failure)."""
        if path is None and cluster_file is None:
            raise ValueError("open_store needs a path or a cluster file")
        repo = await self._call(open_repo, path, cluster_file)
        self._opened.append(repo)
        self._root = self.repo = repo
        self._undo.clear()
        self.tenant_names = [repo.tenant]
        self.reconnect()
        if self._tenants_task is not None:
            self._tenants_task.cancel()
        self._tenants_task = self.spawn(self._follow_tenants())

    # -- the live collection ----------------------------------------------------

    async def _open_cached(self) -> None:
        """Show the rest of the cache the window opened on, then follow the store from it."""
        offline = self.offline
        assert offline is not None and offline.opened_on is not None
        held = {quote.id: quote for quote in offline.opened_on.head.newest}
        pages = offline.cache_pages(self.tenant, PAGE)
        while (page := await self._run(next, pages, None)) is not None:  # as a stream: paints between
            fresh = tuple(quote for quote in page if quote.id not in held)
            held.update((quote.id, quote) for quote in fresh)
            if fresh:
                self._present(Page(fresh))
        self._present(Changes(completes=True))
        await self._run(offline.resume_from, self.tenant, held)
        if not self._closing:
            self._live_task = None  # this task: not to be cancelled by the follow it starts
            self._follow()

    def _follow(self) -> None:
        self._stop_following()
        resume = None if self.offline is None else self.offline.follow(self.repo.tenant)
        self._live = LiveCollection(self.repo, stream=self.stream, resume=resume)
        self._live_task = self.spawn(self._feed(self._live))

    def _stop_following(self) -> None:
        self._loaded(whole=False)
        if self._live_task is None:
            return
        self._live_task.cancel()
        # Also close the collection: it then ends by itself even if the cancellation
        # is lost (asyncio.wait_for on Python 3.11 can swallow one).
        if self._live is not None:
            self._track(self._live.aclose())
        self._live_task = self._live = None

    async def _feed(self, live: LiveCollection) -> None:
        try:
            async for event in live:
                if self.offline is not None and not isinstance(event, Offline):
                    self.offline.saw(event, live.cursor)
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
        self._present(event)
        if isinstance(event, Snapshot) and not event.complete:
            self._loaded(whole=False)  # a stream that starts again ends its first load
            self._streaming = True
            runtime.collection_loading()
        if isinstance(event, Page) or (isinstance(event, Snapshot) and not event.complete):
            return  # connected once the whole collection is read and watched
        if isinstance(event, Snapshot) or event.completes:
            self._loaded(whole=True)
        if self.repo.tenant not in self._indexed:
            self._indexed.add(self.repo.tenant)
            self._cancel_on_close(self.spawn(_complete_index(self.repo, self._executor)))
        self._set_connection("")

    def _loaded(self, whole: bool) -> None:
        """A collection is in (or its stream was given up): see ``app.client.runtime``."""
        if self._streaming or whole:
            runtime.collection_loaded(whole)
        self._streaming = False

    def _present(self, event: Snapshot | Page | Changes) -> None:
        """Show an event of the store's collection, with the changes waiting applied over it."""
        self._show(event if self.outgoing is None else self.outgoing.overlay.event(event))

    def _show(self, event: Snapshot | Page | Changes) -> None:
        for listener in self._listeners:
            listener(event)

    def known(self, quote_id: str) -> Quote | None:
        """The store's copy of a quote as the live view last read it (None: none)."""
        quotes = None if self._live is None else self._live.quotes
        return None if quotes is None else quotes.get(quote_id)

    def _set_connection(self, problem: str | None) -> None:
        if problem != self.connection:
            if self.offline is not None:
                self.offline.connection_changed(self.connection, problem)
            self.connection = problem
            self.on_connection(problem)
        if problem == "" and self.outgoing is not None:
            self.outgoing.send(self.repo)

    def follow_quote(self, quote_id: str, show: Callable[[Quote | None], None]) -> Task | None:
        """Call ``show`` with the quote now and whenever it changes (None: deleted),
        until the task returned is cancelled or the session closes."""
        return self._cancel_on_close(
            self.spawn(_follow_quote(LiveRecord(self.repo, quote_id, executor=self._executor), show))
        )

    def _cancel_on_close(self, task: Task | None) -> Task | None:
        """A task that runs until cancelled (at the latest when the session closes)."""
        if task is not None:
            self._followers.add(task)
            task.add_done_callback(self._followers.discard)
        return task

    # -- commands -----------------------------------------------------------------

    async def like(self, quote_id: str) -> int:
        """Add one like; the count read right after it committed (it includes it).
        ``Queued`` (here and in add, edit, delete) when it waits in the outbox instead."""
        return await self._or_queue(self._write(self.repo.like, quote_id), Kind.LIKE, quote_id)

    async def add(self, fields: QuoteFields) -> Quote:
        """Add a quote (its id, times and version made here, so a queued add shows as it will be)."""
        at = now()
        new = Quote(str(uuid.uuid4()), fields.author, fields.content, 0, at, at, fields.as_of, new_version())
        return await self._or_queue(self._added(new), Kind.ADD, new.id, new)

    async def _added(self, new: Quote) -> Quote:
        await self._write(self.repo.restore, new)
        return new

    async def edit(self, seen: Quote, fields: QuoteFields) -> Quote:
        """Save the fields the user changed from ``seen`` (likes and id stay); NotFound
        if it is gone, ``WriteConflict`` if it changed since ``seen``."""
        change = Change.between(seen, fields)
        if not change:
            return seen
        edited = self._writes.edit(self.repo, seen, fields)
        return await self._or_queue(edited, Kind.EDIT, seen.id, seen, change)

    async def delete(self, seen: Quote) -> Quote:
        """Delete a quote unless it changed since ``seen``; it as it was, so undo can put it back."""
        return await self._or_queue(self._writes.delete(self.repo, seen), Kind.DELETE, seen.id, seen)

    async def _or_queue(
        self,
        write: Coroutine[Any, Any, T],
        kind: Kind,
        quote_id: str,
        quote: Quote | None = None,
        change: Change | None = None,
    ) -> T:
        """Make ``write``, or, when the store is unreachable or changes wait before it,
        queue it in the outbox and raise ``Queued``."""
        outgoing = self.outgoing
        if outgoing is not None and outgoing.waiting:  # behind the changes waiting, in order
            write.close()
            queued = await outgoing.queue(self.repo, kind, quote_id, quote, change)
            if self.connection == "":
                outgoing.send(self.repo)
            raise queued
        try:
            return await write
        except StoreUnreachable:
            if outgoing is None:
                raise
            raise await outgoing.queue(self.repo, kind, quote_id, quote, change) from None

    async def undo(self) -> Quote | None:
        """Undo this session's last delete or edit (``Writes.undo``)."""
        return await self._writes.undo()

    @property
    def queues_while_offline(self) -> bool:
        """Whether a like, add, edit or delete made while the store is offline waits
        in the outbox (a store that can be out of reach), rather than failing."""
        return self.outgoing is not None and self.offline is not None and self.offline.can_be_unreachable

    @property
    def undo_labels(self) -> tuple[str | None, str | None]:
        """What Undo and Redo would do now (None: nothing)."""
        return self._undo.label, self._undo.redo_label

    @property
    def redo_deletes(self) -> str | None:
        """The id of the quote Redo would delete (None: Redo deletes nothing)."""
        step = self._undo.next_redo
        return step.quote.id if step is not None and step.change is None else None

    async def redo(self) -> Quote | None:
        """Do again this session's last undone delete or edit (``Writes.redo``)."""
        return await self._writes.redo()

    async def resolve(self, conflict: WriteConflict, choice: Choice) -> Quote | None:
        """Carry out the user's answer to a conflict (``Writes.resolve``)."""
        return await self._writes.resolve(conflict, choice)

    async def _write(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """Run a write; while the window shows the store offline, only once it answers
        again (else ``StoreUnavailable`` at once, nothing sent)."""
        if self.connection:
            await self._run(self._root.store.ping)
            self.reconnect()
        return await self._run(fn, *args, **kwargs)

    # -- collections (tenants) --------------------------------------------------------

    def switch_tenant(self, name: str) -> None:
        """Show another collection: listeners get its Snapshot once it is read."""
        if name == self.repo.tenant:
            return
        self.repo = QuoteRepo(self._root.store, name)
        if self.outgoing is not None:
            self.outgoing.load(name)
        self._set_connection(None)
        self._follow()

    async def create_tenant(self, name: str) -> None:
        """Create a collection and switch to it."""
        await self._run(tenants.create, self._root.store, name)
        self.switch_tenant(tenants.validate(name))

    async def delete_tenant(self, name: str) -> None:
        """Delete a collection and every quote in it; the window moves to "default" if on it."""
        if name == tenants.DEFAULT:
            raise InvalidTenant("the default collection cannot be deleted")
        await self._run(tenants.delete, self._root.store, name)
        if self.tenant == name:
            self.switch_tenant(tenants.DEFAULT)

    async def _follow_tenants(self) -> None:
        """Report the tenant list now and whenever the registry changes."""
        failing = False
        while True:
            try:
                names, watch = await self._run(tenants.follow, self._root.store)
            except StoreError as exc:
                # Said once per outage; the window shows Offline meanwhile.
                (log.debug if failing else log.warning)("could not list the collections: %s", exc)
                failing = True
                await asyncio.sleep(_TENANT_RETRY)
                continue
            failing = False
            try:
                if names != self.tenant_names:
                    self.tenant_names = names
                    self.on_tenants(names)
                await wait_for_watch(watch, RECHECK_SECONDS)
            finally:
                watch.cancel()


async def _follow_quote(live: LiveRecord, show: Callable[[Quote | None], None]) -> None:
    try:
        async for event in live:
            if isinstance(event, RecordState):
                show(event.quote)
    finally:
        await live.aclose()


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
