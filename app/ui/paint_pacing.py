"""At most one paint of the card list a frame while changes stream in.

Why: Qt paints a widget as soon as the event loop is free after an
``update()``, however recently it painted. Under a burst of changes from
elsewhere (1,000 a second: rows inserted above the cards in sight, flashes
starting and ending) the list painted about 140 times a second, each paint
coming straight after the batch that caused it, so the two together held the
GUI thread past a frame. Paced, a change that comes within a frame of the
last paint holds the list's repaints until that frame is over and then paints
once, for everything that changed meanwhile, on a timer of its own: input and
the next batch are handled in between. A change after a quiet spell paints at
once, as before.

How: ``QWidget.setUpdatesEnabled(False)`` drops the widget's repaint
requests; enabling it again repaints the whole widget, so nothing that changed
in between is left unpainted. The model changes at once either way, so what
the window knows is never late; only the picture waits, at most one frame.
"""

from __future__ import annotations

from time import monotonic

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

#: The shortest time between two paints while changes stream in (seconds): 60 a second.
FRAME_S = 1 / 60


class PaintPacer(QObject):
    def __init__(self, widget: QWidget, frame_s: float = FRAME_S) -> None:
        super().__init__(widget)
        self._widget = widget
        self._frame_s = frame_s
        self._painted_at = float("-inf")
        self._resume = QTimer(self, singleShot=True)
        self._resume.timeout.connect(lambda: widget.setUpdatesEnabled(True))

    def painted(self) -> None:
        """The widget has just painted."""
        self._painted_at = monotonic()

    def changing(self) -> None:
        """Something the widget shows is about to change: hold its repaint to the frame's end
        if it painted less than a frame ago."""
        if self._resume.isActive():
            return
        wait = self._painted_at + self._frame_s - monotonic()
        if wait > 0 and self._widget.updatesEnabled():
            self._widget.setUpdatesEnabled(False)
            self._resume.start(max(1, round(wait * 1000)))
