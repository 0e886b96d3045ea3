"""What a window keeps on this computer for a store that can be out of reach.

``OfflineSupport`` is the session's door to the outbox (``app.client.outbox``,
sent by ``app.client.outgoing``) and to the cache of the collection shown
(``app.client.offline_cache``). The outbox is there for every store: a write
goes there only when the store does not answer (``StoreUnreachable``). The
cache is kept for stores that can be out of reach (a FoundationDB cluster;
the embedded store only under the ``unreachable_file`` fault): an embedded
store is a file on this computer already.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.client import offline_cache
from app.client.offline_cache import Cached, CacheWriter, Head
from app.client.outbox import Outbox
from app.client.outgoing import Outgoing, Runner
from app.repo import Cursor, Quote, Store
from app.sync.events import Changes, Page, Snapshot


def store_key(store: Store) -> str:
    """What names a store in the outbox and the caches: its file, or its cluster file."""
    path = getattr(store, "path", None)
    return f"embedded store {Path(path).resolve()}" if isinstance(path, Path) else store.description


@dataclass(frozen=True)
class OpenedOn:
    """A window opened on a cached collection while the store was out of reach."""

    #: The newest quotes of the cache, shown at once (the rest is read meanwhile).
    head: Head
    #: Why the store could not be reached.
    reason: str

    @property
    def snapshot(self) -> Snapshot:
        return Snapshot(self.head.newest, complete=False, total=self.head.total)


class OfflineSupport:
    """The outbox and cache of one session (see the module's docstring)."""

    def __init__(self, store: Store, opened_on: OpenedOn | None = None) -> None:
        self.store = store_key(store)
        self.outbox = Outbox(self.store)
        self.opened_on = opened_on
        #: The store can be out of reach (a cluster): writes made meanwhile wait in
        #: the outbox and the collection is cached. An embedded file that is gone or
        #: broken is not "out of reach": writes fail until it is reopened.
        self.can_be_unreachable = store.silent_when_down
        self._resume: tuple[MutableMapping[str, Quote], Cursor] | None = None
        self._writer: CacheWriter | None = None
        #: When what the window shows was last known to be the store's (None: live).
        self.as_of: datetime | None = None if opened_on is None else opened_on.head.saved_at.astimezone()

    def outgoing(
        self,
        run: Runner,
        spawn: Callable[[Coroutine[Any, Any, Any]], object],
        show: Callable[[Changes], None],
        known: Callable[[str], Quote | None],
    ) -> Outgoing:
        return Outgoing(self.outbox, run, spawn, show, known)

    def cache_pages(self, tenant: str, size: int) -> Iterator[tuple[Quote, ...]]:
        """The cache of ``tenant``, newest first, ``size`` quotes at a time."""
        return offline_cache.pages(self.store, tenant, size)

    def resume_from(self, tenant: str, quotes: MutableMapping[str, Quote]) -> None:
        """The next live view of ``tenant`` starts from ``quotes``, read from its cache,
        at the cache's cursor (none: it reads the collection afresh)."""
        cursor = offline_cache.cursor(self.store, tenant)
        self._resume = None if cursor is None else (quotes, cursor)

    def follow(self, tenant: str) -> tuple[MutableMapping[str, Quote], Cursor] | None:
        """A live view of ``tenant`` starts: cache it from now on; what it resumes from
        (the cache given to ``resume_from``, once)."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self.can_be_unreachable:
            self._writer = CacheWriter(self.store, tenant)
        resume, self._resume = self._resume, None
        return resume

    def saw(self, event: Snapshot | Page | Changes, cursor: Cursor | None) -> None:
        """The live view delivered ``event`` (the store's own, before the outbox's overlay)."""
        if self._writer is not None:
            self._writer.saw(event, cursor)

    def connection_changed(self, before: str | None, now: str | None) -> None:
        if now == "":
            self.as_of = None
        elif now and before == "":
            self.as_of = datetime.now().astimezone()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self.outbox.close()


def load_cached(store: Store, tenant: str) -> Cached | None:
    """The cache of ``tenant`` on ``store`` (None: none)."""
    return offline_cache.load(store_key(store), tenant)


def cache_head(store: Store, tenant: str, count: int) -> Head | None:
    """The ``count`` newest quotes of the cache of ``tenant`` on ``store`` (None: no cache)."""
    return offline_cache.head(store_key(store), tenant, count)
