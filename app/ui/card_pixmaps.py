"""Pictures drawn once into a pixmap, then copied until something shown on them changes.

Why: a card is laid out and drawn in Python (text wrapping, rounded rectangles,
the Like button), about half a millisecond each; a row inserted above the
viewport, a scroll or a flash repaints every card in sight, a few milliseconds
a time, many times a second while changes stream in. Copying a pixmap costs
microseconds. The delegate keeps whole cards here, keyed by everything a card
shows (text, likes, states, font, palette), and, in a second one, the cards'
antialiased rounded frames, keyed by size and colours (most of the cost of
drawing a card anew, and shared by all cards of a height). The size and the
pixel density are part of every key, so a stale picture cannot be shown.
Bounded: the least recently drawn go first.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable

from PySide6.QtCore import QPointF, QSize, QSizeF, Qt
from PySide6.QtGui import QPainter, QPixmap

#: Cards kept: several screens' worth at any window size.
LIMIT = 256


class CardPixmaps:
    def __init__(self, limit: int = LIMIT) -> None:
        self._limit = limit
        self._pixmaps: OrderedDict[Hashable, QPixmap] = OrderedDict()

    def __len__(self) -> int:
        return len(self._pixmaps)

    def draw(
        self,
        painter: QPainter,
        at: QPointF,
        size: QSizeF,
        key: Hashable,
        render: Callable[[QPainter], None],
    ) -> None:
        """Draw the picture ``key`` names, ``size`` big, with its top left at ``at``;
        ``render`` draws it anew (into a pixmap, its top left at the origin)
        when it is not kept."""
        ratio = painter.device().devicePixelRatioF()
        key = (key, size.width(), size.height(), ratio)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = self._render(size, ratio, render)
            self._pixmaps[key] = pixmap
            if len(self._pixmaps) > self._limit:
                self._pixmaps.popitem(last=False)
        else:
            self._pixmaps.move_to_end(key)
        painter.drawPixmap(at, pixmap)

    @staticmethod
    def _render(size: QSizeF, ratio: float, render: Callable[[QPainter], None]) -> QPixmap:
        pixmap = QPixmap(
            QSize(math.ceil(size.width() * ratio), math.ceil(size.height() * ratio))
        )
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        try:
            render(painter)
        finally:
            painter.end()
        return pixmap
