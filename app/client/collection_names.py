"""The names of a store's collections (tenants), followed live. Qt-free.

A watch on the tenant registry: ``on_change`` hears the names whenever they
change. While the store is away the registry is retried every
``_RETRY_S`` seconds, and the failure is logged once per outage.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from app.client.outgoing import Runner
from app.client.work import Task, Work
from app.repo import StoreError, tenants
from app.store import Store
from app.sync.live import RECHECK_SECONDS, wait_for_watch

log = logging.getLogger(__name__)

#: Seconds between attempts to follow the tenant registry while the store is away.
_RETRY_S = 2.0


class CollectionNames:
    """The collections of the store a session shows (see the module's docstring)."""

    def __init__(self, work: Work, run: Runner, first: str, on_change: Callable[[list[str]], None]) -> None:
        """``run``: a store call on the pool that shows an unreachable store as offline;
        ``first``: the names known until the registry is read."""
        self._work = work
        self._run = run
        self._on_change = on_change
        self._task: Task | None = None
        self.names = [first]

    def follow(self, store: Store) -> None:
        """Follow the registry of ``store`` (and no longer the one followed before)."""
        if self._task is not None:
            self._task.cancel()
        self._task = self._work.cancel_on_close(self._work.spawn(self._follow(store)))

    async def _follow(self, store: Store) -> None:
        """Report the names now and whenever the registry changes."""
        failing = False
        while True:
            try:
                names, watch = await self._run(tenants.follow, store)
            except StoreError as exc:
                # Said once per outage; the window shows Offline meanwhile.
                (log.debug if failing else log.warning)("could not list the collections: %s", exc)
                failing = True
                await asyncio.sleep(_RETRY_S)
                continue
            failing = False
            try:
                if names != self.names:
                    self.names = names
                    self._on_change(names)
                await wait_for_watch(watch, RECHECK_SECONDS)
            finally:
                watch.cancel()
