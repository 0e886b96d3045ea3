"""A session's work in flight: a bounded thread pool for blocking store calls and
every task the session started. Qt-free.

The pool is the session's own, never the loop's default executor (which qasync
joins at close). Every task is awaited before the session closes; a task that
runs until cancelled (a watch followed) is cancelled then. A task's failure
goes to ``on_failure`` (the window's status bar).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

#: Store calls in flight at once; more wait their turn in the pool's queue.
WORKERS = 4

T = TypeVar("T")
#: A task the session started; what it returns is not used.
Task = asyncio.Task[Any]


class Work:
    """The store calls and tasks of one session (see the module's docstring)."""

    def __init__(self, on_failure: Callable[[BaseException], None]) -> None:
        self.executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="quotes-ui")
        self._on_failure = on_failure
        self._tasks: set[Task] = set()
        self._followers: set[Task] = set()
        self._closing = False

    @property
    def closing(self) -> bool:
        """The session is closing (or closed): no new task starts."""
        return self._closing

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> Task | None:
        """Run ``coro`` as a task awaited before the session closes (none once closing)."""
        if self._closing:
            coro.close()
            return None
        return self.track(coro)

    def track(self, coro: Coroutine[Any, Any, Any]) -> Task:
        """Run ``coro`` as a task awaited before the session closes, even once closing."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: Task) -> None:
        self._tasks.discard(task)
        failure = None if task.cancelled() else task.exception()
        if failure is not None:
            self._on_failure(failure)

    def cancel_on_close(self, task: Task | None) -> Task | None:
        """A task that runs until cancelled (at the latest when the session closes)."""
        if task is not None:
            self._followers.add(task)
            task.add_done_callback(self._followers.discard)
        return task

    async def call(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """Run a blocking call on the pool."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(fn, *args, **kwargs))

    async def close(self) -> None:
        """Start no more tasks, cancel those that run until cancelled, await them all."""
        self._closing = True
        for follower in tuple(self._followers):
            follower.cancel()
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def release(self) -> None:
        """Release the pool, once nothing runs (never started, or closed)."""
        self._closing = True
        self.executor.shutdown(wait=True)
