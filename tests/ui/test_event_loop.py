"""The window's asyncio loop: callbacks run in order, and cancelled timers leave Qt."""

import asyncio

from PySide6.QtCore import QAbstractEventDispatcher
from support.waiting import WAIT_MS

from app.ui.event_loop import EventLoop


def qt_timers(loop: EventLoop) -> int:
    """The Qt timers the loop's callbacks hold in the event dispatcher."""
    return len(QAbstractEventDispatcher.instance().registeredTimers(loop._timer))


def test_callbacks_run_in_the_order_they_were_scheduled(qtbot, aio) -> None:
    ran = []
    for n in range(200):
        aio.call_soon(ran.append, n)
    aio.call_later(0.02, ran.append, "later")

    qtbot.waitUntil(lambda: len(ran) == 201, timeout=WAIT_MS)
    assert ran == [*range(200), "later"]
    assert qt_timers(aio) == 0


def test_waits_that_end_before_their_timeout_leave_no_timer_behind(qtbot, aio) -> None:
    async def wait_many() -> int:
        for _ in range(2_000):
            fired = aio.create_future()
            aio.call_soon(fired.set_result, None)
            await asyncio.wait([fired], timeout=30)  # as the live collection waits on a watch
        return qt_timers(aio)

    task = aio.create_task(wait_many())
    qtbot.waitUntil(task.done, timeout=WAIT_MS * 4)
    assert task.result() == 0  # qasync 0.28's loop holds 2,000 here, due 30 s later


def test_a_cancelled_callback_never_runs(qtbot, aio) -> None:
    ran = []
    cancelled = aio.call_later(0.01, ran.append, "cancelled")
    aio.call_later(0.05, ran.append, "sentinel")
    cancelled.cancel()
    cancelled.cancel()  # twice is harmless

    qtbot.waitUntil(lambda: bool(ran), timeout=WAIT_MS)
    assert ran == ["sentinel"]
    assert cancelled.cancelled()
