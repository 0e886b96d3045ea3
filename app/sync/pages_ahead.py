"""The pages of a streamed read, read on the executor a few pages ahead of the loop.

Why: a live collection hands each page to the event loop, and the window
applies it there. Reading the next page only once the loop asks for it left
the reading thread idle for every turn of the loop in between (1.3 s of a
million quotes, read in 500 pages). Here each page read, once done, starts the
next one on the executor itself, up to ``AHEAD`` pages not yet taken; the loop
takes them in order (``next``). Each page is still a transaction of its own.

A read that fails ends the reading ahead; its error comes when its page is
taken. ``close`` stops it (a stream given up): a page being read is still
read, and nothing after it.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Generic, TypeVar

P = TypeVar("P")
T = TypeVar("T")

#: Pages read and not taken yet, at most.
AHEAD = 4


class PagesAhead(Generic[P, T]):
    """Pages read by ``read(position) -> (page, position after, or None at the end)``."""

    def __init__(
        self, executor: Executor, read: Callable[[P], tuple[T, P | None]], position: P, ahead: int = AHEAD
    ) -> None:
        self._executor = executor
        self._read = read
        self._ahead = ahead
        self._lock = threading.Lock()
        self._position: P = position
        #: Pages asked for, in order, not taken yet (the last may be being read).
        self._pages: deque[Future[tuple[T, P | None]]] = deque()
        self._reading = False
        self._stopped = False
        with self._lock:
            self._go_on()

    async def next(self) -> tuple[T, P | None]:
        """The next page and the position after it (None: it was the last).
        Not to be called again after the last page."""
        with self._lock:
            self._go_on()
            page = self._pages.popleft()
        try:
            return await asyncio.wrap_future(page)
        finally:
            with self._lock:
                self._go_on()

    def close(self) -> None:
        with self._lock:
            self._stopped = True

    def _go_on(self) -> None:
        """Ask for the next page, if none is being read and there is room (lock held)."""
        if self._reading or self._stopped or len(self._pages) >= self._ahead:
            return
        try:
            page = self._executor.submit(self._read_one, self._position)
        except RuntimeError:  # the executor was shut down: the stream is over
            self._stopped = True
            return
        self._reading = True
        self._pages.append(page)

    def _read_one(self, position: P) -> tuple[T, P | None]:
        """On the executor: one page, then the next one asked for."""
        try:
            result = self._read(position)
        except BaseException:
            with self._lock:
                self._reading, self._stopped = False, True
            raise
        with self._lock:
            self._reading = False
            after = result[1]
            if after is None:
                self._stopped = True
            else:
                self._position = after
                self._go_on()
        return result
