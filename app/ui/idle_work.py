"""Work the window does between events, a bounded slice each turn of the event loop, shared.

Why: answering the rows below a search's top, ordering a collection just
read, measuring cards and drawing cards ahead of a paint each ran on a zero
timer of its own, with a slice of its own of 2 to 4 ms. In one turn of its
event loop Qt runs every timer that is due, so the slices added up: with a
keystroke and the paint of a new answer the GUI thread was away 20 to 28 ms
at a time, more than a frame (16 ms), though each slice kept to its limit.
Here one timer runs every job that has work, in order of priority, within
one budget for the turn (``BUDGET_S``, less right after a long paint: the
view says when it painted); a job that had no turn goes first next time, so
none starves. What the user waits for (a search's top) has
the highest priority; the rest fills the time left.

A job is ``work(deadline) -> bool``: it works until ``time.perf_counter()``
passes ``deadline`` (finishing the step it is in) and says whether it has
more. ``IdleJob`` is its handle, used as a timer would be (``start``,
``stop``, ``isActive``); ``pause_s`` keeps it waiting that long after each
slice (cards measured while a collection streams in leave the thread reading
the store the interpreter most of the time).
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer

#: Time all jobs share in one turn of the event loop (seconds): with a keystroke and
#: the paint of a new answer's cards (up to about 10 ms), a turn stays within a frame.
#: Short turns cost little: a turn with nothing else to do follows at once (a search
#: over a million rows took as long in 2 ms turns as in 4 ms ones).
BUDGET_S = 0.002
#: Right after a paint (within ``AFTER_PAINT_S``: the same turn of the event loop),
#: the paint and the jobs together take at most this, and the jobs at least ``MIN_BUDGET_S``.
PAINT_AND_JOBS_S = 0.010
AFTER_PAINT_S = 0.002
MIN_BUDGET_S = 0.001

#: Priorities: a lower number goes first.
ANSWER, ORDER, DRAW_AHEAD, MEASURE, FOLD = range(5)


class IdleJob:
    """One job's place in the shared turn (see the module docstring)."""

    def __init__(self, work: Callable[[float], bool], priority: int, parent: QObject) -> None:
        self._work = work
        self.priority = priority
        self.pause_s = 0.0
        #: Not before this (``perf_counter``): the pause after a slice.
        self.ready_at = 0.0
        self.active = False
        self._runner = IdleWork.shared()
        parent.destroyed.connect(self.stop)

    def start(self) -> None:
        """The job has work: give it turns until it says it has none (or ``stop``)."""
        if not self.active:
            self.active = True
            self._runner.add(self)

    def stop(self) -> None:
        self.active = False

    def isActive(self) -> bool:  # noqa: N802 - the name QTimer gives it
        return self.active

    def run(self, deadline: float) -> None:
        more = self._work(deadline)
        if self.active:
            self.active = more
            self.ready_at = perf_counter() + self.pause_s if more else 0.0


class IdleWork(QObject):
    """The one runner of the application's idle jobs (``shared``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[IdleJob] = []
        #: Jobs that had no turn last time: first next time.
        self._owed: set[IdleJob] = set()
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._turn)
        self._painted_at = float("-inf")
        self._paint_s = 0.0

    @staticmethod
    def shared() -> IdleWork:
        """The runner shared by everything on the application's thread."""
        app = QCoreApplication.instance()
        runner = app.findChild(IdleWork, options=_DIRECT) if app is not None else None
        if runner is None:
            runner = IdleWork(app)
        return runner

    def add(self, job: IdleJob) -> None:
        if job not in self._jobs:
            self._jobs.append(job)
        self._schedule()

    def painted(self, took_s: float) -> None:
        """A view has just painted, in ``took_s``."""
        self._painted_at, self._paint_s = perf_counter(), took_s

    def _turn(self) -> None:
        now = perf_counter()
        budget = BUDGET_S
        if now - self._painted_at < AFTER_PAINT_S:
            budget = min(BUDGET_S, max(MIN_BUDGET_S, PAINT_AND_JOBS_S - self._paint_s))
        deadline = now + budget
        self._jobs = [job for job in self._jobs if job.active]
        ready = [job for job in self._jobs if job.ready_at <= now]
        ready.sort(key=lambda job: (job not in self._owed, job.priority))
        self._owed.clear()
        try:
            for n, job in enumerate(ready):
                if n and perf_counter() >= deadline:
                    self._owed.update(ready[n:])
                    break
                if job.active:  # not stopped by a job before it
                    job.run(deadline)
        finally:
            self._jobs = [job for job in self._jobs if job.active]
            self._schedule()

    def _schedule(self) -> None:
        """The timer set for the next job ready, if any."""
        if not self._jobs:
            self._timer.stop()
            return
        wait = min(job.ready_at for job in self._jobs) - perf_counter()
        interval = max(0, round(wait * 1000)) if wait > 0 else 0
        if not self._timer.isActive() or self._timer.remainingTime() > interval:
            self._timer.start(interval)


_DIRECT = Qt.FindChildOption.FindDirectChildrenOnly
