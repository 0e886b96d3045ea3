"""Which quotes changed a moment ago, so their cards can light up briefly.

One coarse timer ends every flash that is due (a burst of changes costs one
timer, not one each); ``ended`` names the quotes whose flash is over, all at
once, so their cards are painted once more, plain. It ticks often, so each
tick ends few: at 1,000 changes a second, a tick every 250 ms ended about 250
flashes, one signal each, a 17 ms stall.
"""

from __future__ import annotations

from time import monotonic

from PySide6.QtCore import QObject, QTimer, Signal

#: How long a changed card stays highlighted (seconds).
FLASH_S = 1.5
#: How often flashes that are due end (ms).
SWEEP_MS = 50


class Flashes(QObject):
    ended = Signal(list)

    def __init__(self, parent: QObject | None = None, seconds: float = FLASH_S) -> None:
        super().__init__(parent)
        self._seconds = seconds
        self._until: dict[str, float] = {}
        self._timer = QTimer(self, interval=SWEEP_MS)
        self._timer.timeout.connect(self._sweep)

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
        if due:
            self.ended.emit(due)
        if not self._until:
            self._timer.stop()
