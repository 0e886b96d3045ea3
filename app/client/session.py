"""A window's session with the store: the repository, the commands, the collections.

Qt-free. It owns the repository (and the tenant shown), its work in flight
(``app.client.work``: a thread pool for store calls and every task it
started), its live feed (``app.client.live_feed``: the live collection of the
current tenant) and the collections' names (``app.client.collection_names``:
a watch on the tenant registry). The commands (like, add, edit, delete,
undo, switch collection) are coroutines that raise the repository's errors;
the window decides what to say. What happens in the store reaches listeners:
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

import uuid
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.client.collection_names import CollectionNames
from app.client.conflicts import Change, Choice, WriteConflict
from app.client.live_feed import Listener, LiveFeed
from app.client.offline import OfflineSupport
from app.client.outbox import Kind
from app.client.undo_history import UndoHistory
from app.client.work import Task, Work
from app.client.writes import Writes
from app.repo import (
    CollectionReplaced,
    InvalidTenant,
    Quote,
    QuoteRepo,
    StoreUnavailable,
    StoreUnreachable,
    open_repo,
    tenants,
)
from app.repo.schema import new_version, now
from app.sync.events import Changes, Offline, Page, RecordState, Snapshot
from app.sync.live import LiveRecord, Stream

if TYPE_CHECKING:  # pydantic: loaded when a quote is first validated, not at start-up
    from app.repo import QuoteFields

T = TypeVar("T")


class QuoteSession:
    """What one window does with the store (see the module's docstring)."""

    def __init__(
        self, repo: QuoteRepo, owns_store: bool = False, offline: OfflineSupport | None = None
    ) -> None:
        """``owns_store``: the session closes ``repo``'s store when it closes;
        ``offline``: its outbox and caches (None: writes fail while the store is away)."""
        self._root = repo  # the repo we were opened with; other tenants derive from it
        self.repo = repo
        self._work = Work(lambda exc: self.on_failure(exc))
        self._opened = [repo] if owns_store else []  # stores this session closes
        self._undo = UndoHistory(lambda undo, redo: self.on_undo(undo, redo))
        self._writes = Writes(self._write, self._undo)
        self.on_connection: Callable[[str | None], None] = lambda problem: None
        self.on_tenants: Callable[[list[str]], None] = lambda names: None
        #: What Undo and Redo would do now ("Undo Delete “…”"; None: nothing).
        self.on_undo: Callable[[str | None, str | None], None] = lambda undo, redo: None
        self.on_failure: Callable[[BaseException], None] = lambda exc: None
        #: None: connecting; "": connected; else why the store is offline.
        self.connection: str | None = None
        self._collections = CollectionNames(self._work, self._run, repo.tenant, lambda n: self.on_tenants(n))
        self.offline = offline
        self._feed = LiveFeed(self._work, self._run, lambda: self.repo, self._set_connection, offline)
        #: Changes waiting to be sent (None: no outbox).
        self.outgoing = self._feed.outgoing

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

    @property
    def tenant_names(self) -> list[str]:
        """The store's collections, as last read."""
        return self._collections.names

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` with every Snapshot, Page and Changes of the live collection."""
        self._feed.subscribe(listener)

    def deliver(self, event: Snapshot | Page | Changes | Offline) -> None:
        """Hand one event of the live collection to the listeners (``LiveFeed.deliver``)."""
        self._feed.deliver(event)

    @property
    def stream(self) -> Stream | None:
        """How the live collection streams its first read (None: whole); set before ``start``."""
        return self._feed.stream

    @stream.setter
    def stream(self, stream: Stream | None) -> None:
        self._feed.stream = stream

    def follow_quote(self, quote_id: str, show: Callable[[Quote | None], None]) -> Task | None:
        """Call ``show`` with the quote now and whenever it changes (None: deleted),
        until the task returned is cancelled or the session closes."""
        record = LiveRecord(self.repo, quote_id, executor=self._work.executor)
        return self._work.cancel_on_close(self.spawn(_follow_quote(record, show)))

    # -- running --------------------------------------------------------------

    def start(self) -> None:
        """Follow the store; call with the asyncio loop running."""
        if self.outgoing is not None:
            self.outgoing.load(self.tenant)
        opened_on = None if self.offline is None else self.offline.opened_on
        if opened_on is not None:  # on its cache: the newest quotes at once, then the rest
            self._set_connection(opened_on.reason)
            self._feed.open_cached(opened_on)
        else:
            self._feed.follow()
        self._collections.follow(self._root.store)

    @property
    def busy(self) -> bool:
        return self._work.busy

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> Task | None:
        """Run ``coro`` as a task awaited before the session closes (none once closing)."""
        return self._work.spawn(coro)

    async def _run(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """Run a blocking store call on the pool; an unreachable store shows as offline."""
        try:
            return await self._work.call(fn, *args, **kwargs)
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

    async def close(self) -> None:
        """Stop following, await everything started, then release the pool."""
        self._feed.stop()
        await self._work.close()
        if self.offline is not None:
            self.offline.close()
        self.release()

    def release(self) -> None:
        """Release the pool of a session with nothing running (never started, or closed)."""
        self._work.release()
        for repo in self._opened:
            repo.close()

    # -- the store ------------------------------------------------------------------

    def reconnect(self) -> None:
        """Read the store again now (say, after its file came back), not at the next retry."""
        if self._work.closing:
            return
        self._set_connection(None)
        self._feed.follow()

    def pause(self) -> None:
        """Stop following the collection until ``reconnect``: while this window
        imports a file, its list waits and is read again at the end, rather than
        apply every quote of the file (and a cancel's deletes) a slice at a time."""
        self._feed.stop()

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
        repo = await self._work.call(open_repo, path, cluster_file)
        self._opened.append(repo)
        self._root = self.repo = repo
        self._undo.clear()
        self._collections.names = [repo.tenant]
        self.reconnect()
        self._collections.follow(repo.store)

    def _set_connection(self, problem: str | None) -> None:
        if problem != self.connection:
            if self.offline is not None:
                self.offline.connection_changed(self.connection, problem)
            self.connection = problem
            self.on_connection(problem)
        if problem == "" and self.outgoing is not None:
            self.outgoing.send(self.repo)

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
        self._feed.follow()

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


async def _follow_quote(live: LiveRecord, show: Callable[[Quote | None], None]) -> None:
    try:
        async for event in live:
            if isinstance(event, RecordState):
                show(event.quote)
    finally:
        await live.aclose()
