"""The window's idle jobs: one budget a turn, in order of priority, none starved."""

from __future__ import annotations

from time import perf_counter

from PySide6.QtCore import QObject
from support.waiting import WAIT_MS

from app.ui.idle_work import ANSWER, MEASURE, IdleJob


class _Job:
    """A job that records its turns: ``spends`` of them use the whole budget."""

    def __init__(self, name: str, log: list[str], turns: int, spends: bool) -> None:
        self.name, self.log, self.left, self.spends = name, log, turns, spends

    def __call__(self, deadline: float) -> bool:
        self.log.append(self.name)
        while self.spends and perf_counter() < deadline:
            pass
        self.left -= 1
        return self.left > 0


def test_a_job_runs_until_it_says_it_is_done(qtbot):
    owner, log = QObject(), []
    job = IdleJob(_Job("a", log, turns=3, spends=False), MEASURE, owner)
    job.start()
    qtbot.waitUntil(lambda: not job.isActive(), timeout=WAIT_MS)
    assert log == ["a", "a", "a"]


def test_a_job_that_spends_the_turn_leaves_the_next_one_first_to_the_job_it_kept_waiting(qtbot):
    owner, log = QObject(), []
    first = IdleJob(_Job("first", log, turns=3, spends=True), ANSWER, owner)
    later = IdleJob(_Job("later", log, turns=1, spends=False), MEASURE, owner)
    first.start()
    later.start()
    qtbot.waitUntil(lambda: not first.isActive() and not later.isActive(), timeout=WAIT_MS)
    # The first turn is the higher priority's alone (it spent the budget); the job it
    # kept waiting goes first in the next.
    assert log[:3] == ["first", "later", "first"]
    assert log.count("first") == 3 and log.count("later") == 1


def test_a_stopped_job_and_the_job_of_a_deleted_owner_get_no_more_turns(qtbot):
    log: list[str] = []
    kept, deleted = QObject(), QObject()
    stopped = IdleJob(_Job("stopped", log, turns=1000, spends=False), ANSWER, kept)
    orphan = IdleJob(_Job("orphan", log, turns=1000, spends=False), ANSWER, deleted)
    sentinel = IdleJob(_Job("sentinel", log, turns=3, spends=False), MEASURE, kept)
    stopped.start()
    orphan.start()
    stopped.stop()
    deleted.deleteLater()
    qtbot.waitUntil(lambda: not orphan.isActive(), timeout=WAIT_MS)
    log.clear()
    sentinel.start()
    qtbot.waitUntil(lambda: not sentinel.isActive(), timeout=WAIT_MS)
    assert log == ["sentinel"] * 3


def test_a_job_with_a_pause_waits_it_out_while_other_jobs_take_their_turns(qtbot):
    owner, log = QObject(), []
    paused = IdleJob(_Job("paused", log, turns=2, spends=False), ANSWER, owner)
    paused.pause_s = 60.0
    busy = IdleJob(_Job("busy", log, turns=50, spends=False), MEASURE, owner)
    paused.start()
    busy.start()
    qtbot.waitUntil(lambda: not busy.isActive(), timeout=WAIT_MS)
    assert log.count("paused") == 1 and log[0] == "paused"
    assert paused.isActive()  # its second turn is still to come
