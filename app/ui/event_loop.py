"""The window's asyncio loop: qasync's, but a cancelled timer leaves Qt at once.

Why: qasync 0.28 starts a Qt timer for every ``call_later`` and, when the
handle is cancelled, leaves that timer registered until it is due.
``asyncio.wait(..., timeout=30)`` cancels its timeout whenever the awaited
future wins, so each watch the live collection waited for left a 30 s Qt
timer behind: under 1,000 changes a second, thousands at a time (5,000 waits
left 5,001 timers). Qt keeps a thread's timers in one list that every start,
kill and tick walks, and 30 s on they all came due, one Python call each:
the window stalled 10-25 ms at a time even once nothing changed any more.

Here ``call_later`` (and so ``call_soon`` and ``call_at``) returns a handle
whose ``cancel`` kills its Qt timer; the rest is qasync's loop as it is.
"""

from __future__ import annotations

import asyncio
from contextvars import Context

import qasync
from PySide6.QtCore import QObject, QTimerEvent
from PySide6.QtWidgets import QApplication


class EventLoop(qasync.QEventLoop):
    """qasync's event loop for the Qt application, with timers that can be cancelled."""

    def __init__(self, app: QApplication | None = None) -> None:
        super().__init__(app)
        self._timer = _Timers()  # replaces qasync's, which only its own methods use

    def call_later(self, delay, callback, *args, context: Context | None = None):
        if asyncio.iscoroutinefunction(callback) or not callable(callback):
            raise TypeError(f"callback must be a plain callable, not {callback!r}")
        return self._timer.start(delay, callback, args, self, context)


class _Timers(QObject):
    """One Qt timer per scheduled callback, killed when it runs or is cancelled."""

    def __init__(self) -> None:
        super().__init__()
        self._due: dict[int, _TimedHandle] = {}
        self._stopped = False

    def start(self, delay: float, callback, args, loop, context) -> _TimedHandle:
        timer_id = self.startTimer(int(max(0.0, delay) * 1000))
        handle = _TimedHandle(callback, args, loop, context, self, timer_id)
        self._due[timer_id] = handle
        return handle

    def forget(self, timer_id: int) -> None:
        """A handle was cancelled: its timer will never be wanted."""
        if self._due.pop(timer_id, None) is not None:
            self.killTimer(timer_id)

    def timerEvent(self, event: QTimerEvent) -> None:
        timer_id = event.timerId()
        self.killTimer(timer_id)
        handle = self._due.pop(timer_id, None)
        if handle is not None and not self._stopped and not handle.cancelled():
            handle._run()

    def stop(self) -> None:
        """The loop closed: nothing scheduled runs any more (as qasync's ``stop``)."""
        self._stopped = True

    def set_debug(self, enabled: bool) -> None:
        """qasync's loop passes its debug flag on; these timers log nothing."""


class _TimedHandle(asyncio.Handle):
    """A scheduled callback that takes its Qt timer away when cancelled."""

    __slots__ = ("_timers", "_timer_id")

    def __init__(self, callback, args, loop, context, timers: _Timers, timer_id: int) -> None:
        super().__init__(callback, args, loop, context=context)
        self._timers = timers
        self._timer_id = timer_id

    def cancel(self) -> None:
        if not self.cancelled():
            self._timers.forget(self._timer_id)
        super().cancel()
