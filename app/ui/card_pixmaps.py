"""Cards drawn once into a pixmap, then copied until something shown on them changes.

Why: a card is laid out and drawn in Python (text wrapping, rounded rectangles,
the Like button), about half a millisecond each; a row inserted above the
viewport, a scroll or a flash repaints every card in sight, a few milliseconds
a time, many times a second while changes stream in. Copying a pixmap costs
microseconds. The key holds everything a card shows (text, likes, states,
size, font, palette, pixel density), so a stale card cannot be shown.
Bounded: the least recently drawn go first.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QStyleOptionViewItem

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
        option: QStyleOptionViewItem,
        key: Hashable,
        render: Callable[[QPainter, QStyleOptionViewItem], None],
    ) -> None:
        """Draw the card ``key`` names at ``option.rect``; ``render`` draws it anew
        (into a pixmap, with the rect moved to the origin) when it is not kept."""
        ratio = painter.device().devicePixelRatioF()
        size = option.rect.size()
        key = (key, size.width(), size.height(), ratio)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = self._render(option, ratio, render)
            self._pixmaps[key] = pixmap
            if len(self._pixmaps) > self._limit:
                self._pixmaps.popitem(last=False)
        else:
            self._pixmaps.move_to_end(key)
        painter.drawPixmap(option.rect.topLeft(), pixmap)

    @staticmethod
    def _render(option: QStyleOptionViewItem, ratio: float, render) -> QPixmap:
        size = option.rect.size()
        pixmap = QPixmap(
            QSize(math.ceil(size.width() * ratio), math.ceil(size.height() * ratio))
        )
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        local = QStyleOptionViewItem(option)
        local.rect = QRect(0, 0, size.width(), size.height())
        painter = QPainter(pixmap)
        try:
            render(painter, local)
        finally:
            painter.end()
        return pixmap
