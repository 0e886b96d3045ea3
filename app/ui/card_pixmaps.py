"""Pictures drawn once into a pixmap, then copied until something shown on them changes.

Why: a card is laid out and drawn in Python (text wrapping, rounded rectangles,
the Like button), about half a millisecond each; a row inserted above the
viewport, a scroll or a flash repaints every card in sight, a few milliseconds
a time, many times a second while changes stream in. Copying a pixmap costs
microseconds. The delegate keeps whole cards here, keyed by everything a card
shows (text, likes, states, font, palette), and, in a second one, the cards'
antialiased rounded frames, keyed by size and colours (most of the cost of
drawing a card anew, and shared by all cards of a height). The size and the
pixel density are part of every key. Bounded: the least recently drawn go first.

A budget per paint: under a burst of changes a paint may find many cards to
draw anew (counts and flashes changed since the last frame). Once a paint has
spent its budget drawing, a picture of the same *family* (the same card, only
its count, flash or age differs) stands in for the one asked for, and
``owed`` says so: the caller paints again next frame, with a new budget, until
every card is as it should be. A card never seen before, or one whose text,
selection, font or colours changed, is always drawn at once.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable
from time import perf_counter

from PySide6.QtCore import QPointF, QSize, QSizeF, Qt
from PySide6.QtGui import QPainter, QPixmap

#: Cards kept: about four screens' worth. A card's picture is some 300 KB in a
#: window of common size (four times that at twice the pixel density): 256 of
#: them made a search grow the window's memory by 17 %, each answer showing
#: cards not drawn before.
LIMIT = 36


class CardPixmaps:
    def __init__(self, limit: int = LIMIT) -> None:
        self._limit = limit
        self._pixmaps: OrderedDict[Hashable, QPixmap] = OrderedDict()
        #: The key last drawn for each family (with size and pixel density).
        self._latest: dict[Hashable, Hashable] = {}
        self._budget = math.inf
        self._drawn_anew = 0  # since ``begin``
        #: A stand-in was drawn since ``begin``: paint again.
        self.owed = False

    def __len__(self) -> int:
        return len(self._pixmaps)

    def begin(self, budget_s: float) -> None:
        """A paint starts: the pictures it draws anew may take ``budget_s`` in all."""
        self._budget = budget_s
        self._drawn_anew = 0
        self.owed = False

    def draw(
        self,
        painter: QPainter,
        at: QPointF,
        size: QSizeF,
        key: Hashable,
        render: Callable[[QPainter], None],
        family: Hashable | None = None,
    ) -> None:
        """Draw the picture ``key`` names, ``size`` big, with its top left at ``at``;
        ``render`` draws it anew (into a pixmap, its top left at the origin)
        when it is not kept, or a picture of the same ``family`` stands in for
        it if the budget is spent."""
        ratio = painter.device().devicePixelRatioF()
        shape = (size.width(), size.height(), ratio)
        key = (key, *shape)
        pixmap = self._pixmaps.get(key)
        spent = self._budget <= 0 and self._drawn_anew > 0  # each paint draws one, at least
        if pixmap is None and family is not None and spent:
            pixmap = self._pixmaps.get(self._latest.get((family, *shape)))
            if pixmap is not None:
                self.owed = True
                painter.drawPixmap(at, pixmap)
                return
        if pixmap is None:
            started = perf_counter()
            pixmap = self._add(key, shape, render, family)
            self._budget -= perf_counter() - started
            self._drawn_anew += 1
        else:
            self._pixmaps.move_to_end(key)
            if family is not None:
                self._latest[(family, *shape)] = key
        painter.drawPixmap(at, pixmap)

    def prepare(
        self,
        size: QSizeF,
        ratio: float,
        key: Hashable,
        render: Callable[[QPainter], None],
        family: Hashable | None = None,
    ) -> bool:
        """Draw the picture ``key`` names ahead of a paint, if it is not kept; True if it
        was drawn now."""
        shape = (size.width(), size.height(), ratio)
        key = (key, *shape)
        if key in self._pixmaps:
            return False
        self._add(key, shape, render, family)
        return True

    def _add(
        self, key: Hashable, shape: tuple, render: Callable[[QPainter], None], family: Hashable | None
    ) -> QPixmap:
        """Draw ``key`` anew and keep it (as the latest picture of ``family``)."""
        width, height, ratio = shape
        pixmap = self._render(QSizeF(width, height), ratio, render)
        self._pixmaps[key] = pixmap
        if len(self._pixmaps) > self._limit:
            self._pixmaps.popitem(last=False)
        if family is not None:
            if len(self._latest) > 4 * self._limit:
                self._latest.clear()  # families whose pictures have long gone
            self._latest[(family, *shape)] = key
        return pixmap

    @staticmethod
    def _render(size: QSizeF, ratio: float, render: Callable[[QPainter], None]) -> QPixmap:
        pixmap = QPixmap(QSize(math.ceil(size.width() * ratio), math.ceil(size.height() * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        try:
            render(painter)
        finally:
            painter.end()
        return pixmap
