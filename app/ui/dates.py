"""Moments as people say them: "just now", "5 minutes ago", "3 days ago", "12 Mar 2024".

"Now" is one clock for the whole application (``clock()``): it moves once a
minute, and everything that says how long ago something was (the cards, the
detail pane) reads it and is shown again when it ticks. Reading the system
time at each paint instead made a card and the detail pane disagree about
one quote ("5 minutes ago" beside "4 minutes ago") whenever they were drawn
on either side of a minute.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.client import counted

#: How often "now" moves.
TICK_MS = 60_000


class Clock(QObject):
    """The application's "now", moved every ``TICK_MS``; ``ticked`` after each move."""

    ticked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.now = datetime.now(UTC)
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self.tick)
        self._timer.start()

    def tick(self) -> None:
        """Move "now" to the present and tell whoever shows a time."""
        self.now = datetime.now(UTC)
        self.ticked.emit()


_clock: Clock | None = None


def clock() -> Clock:
    """The application's clock (made on first use, owned by the application)."""
    global _clock
    if _clock is None:
        _clock = Clock(QCoreApplication.instance())
    return _clock


def relative(moment: datetime, now: datetime | None = None) -> str:
    """How long ago ``moment`` was, in words (a date once it is a month or more ago)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    now = now or clock().now
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    for unit, size in (("minute", 60), ("hour", 3600), ("day", 86400)):
        limit = {"minute": 3600, "hour": 86400, "day": 30 * 86400}[unit]
        if seconds < limit:
            count = int(seconds // size)
            if unit == "day" and count == 1:
                return "yesterday"
            return f"{counted(count, unit)} ago"
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y}"


def exact(moment: datetime) -> str:
    """The moment in local time, to the minute."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"
