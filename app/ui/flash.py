"""Which quotes changed a moment ago, so their cards can light up briefly.

One coarse timer ends every flash that is due (a burst of changes costs one
timer, not one each); ``ended`` names each quote whose flash is over, so its
card is painted once more, plain.
"""

from __future__ import annotations

from time import monotonic

from PySide6.QtCore import QObject, QTimer, Signal

#: How long a changed card stays highlighted (seconds).
FLASH_S = 1.5


class Flashes(QObject):
    ended = Signal(str)

    def __init__(self, parent: QObject | None = None, seconds: float = FLASH_S) -> None:
        super().__init__(parent)
        self._seconds = seconds
        self._until: dict[str, float] = {}
        self._timer = QTimer(self, interval=250)
        self._timer.timeout.connect(self._sweep)

    def __contains__(self, quote_id: str) -> bool:
        return quote_id in self._until

    def start(self, quote_id: str) -> None:
        self._until[quote_id] = monotonic() + self._seconds
        if not self._timer.isActive():
            self._timer.start()

    def clear(self) -> None:
        self._until.clear()
        self._timer.stop()

    def _sweep(self) -> None:
        now = monotonic()
        due = [quote_id for quote_id, until in self._until.items() if until <= now]
        for quote_id in due:
            del self._until[quote_id]
            self.ended.emit(quote_id)
        if not self._until:
            self._timer.stop()
