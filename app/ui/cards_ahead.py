"""Cards drawn ahead of the paint that shows them, in the window's idle turns.

Why: under a burst of changes from elsewhere, a paint of the list found two
to four cards to draw anew (a quote just added at the top, one that a delete
brought into sight at the bottom, counts and flashes), 0.5 to 2 ms each on a
busy machine, so one paint could hold the GUI thread past a frame. The list
paints at most once a frame (``paint_pacing``); in the time between, this
draws the cards in sight, and a row either side, that the delegate does not
keep yet, in the time the window's idle turns leave (``app.ui.idle_work``),
so the paint that follows copies them. What it cannot finish before the paint, the paint
draws itself, as it always did.

The option each card is drawn with is built as the view builds it for a paint
(the view's option, the row's rectangle, its selection), so the key the
delegate files it under is the one the paint looks for; a card whose option
differs (the mouse over it) is simply drawn again by the paint.
"""

from __future__ import annotations

from time import perf_counter

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyleOptionViewItem

from app.ui.idle_work import DRAW_AHEAD, IdleJob
from app.ui.measuring import MEASURED

#: Rows drawn ahead on each side of those in sight.
AHEAD = 1


class CardsAhead(QObject):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._timer = IdleJob(self._draw_some, DRAW_AHEAD, self)

    def start(self) -> None:
        """What the list shows has changed: draw what a paint would lack."""
        if not self._timer.isActive():
            self._timer.start()

    def changed(self, first: int, last: int) -> None:
        """Rows ``first`` to ``last`` changed: ``start`` if any of them is drawn ahead."""
        rows = self._rows()
        if rows and first < rows.stop and last >= rows.start:
            self.start()

    def _rows(self) -> range:
        """The rows in sight and ``AHEAD`` either side (none if nothing is in sight)."""
        view, model = self._view, self._view.model()
        first = view.rowAt(0)
        if model is None or first < 0:
            return range(0)
        last = view.rowAt(view.viewport().height() - 1)
        count = model.rowCount()
        last = count - 1 if last < 0 else min(count - 1, last + AHEAD)
        return range(max(0, first - AHEAD), last + 1)

    def _draw_some(self, deadline: float) -> bool:
        """Draw the cards in sight not kept yet until ``deadline``; True if some are left."""
        view = self._view
        prepare = getattr(view.itemDelegate(), "prepare", None)
        rows = self._rows()
        if prepare is None or not rows or not view.isVisible():
            return False
        model = view.model()
        header = view.verticalHeader()
        base = QStyleOptionViewItem()
        view.initViewItemOption(base)
        selection = view.selectionModel()
        ratio = view.viewport().devicePixelRatioF()
        for row in rows:
            if header.sectionResizeMode(row) != MEASURED:
                continue  # its height is a guess: the key would not match the paint's
            index = model.index(row, 0)
            option = QStyleOptionViewItem(base)
            option.rect = view.visualRect(index)
            if selection is not None and selection.isSelected(index):
                option.state |= QStyle.StateFlag.State_Selected
            if prepare(option, index, ratio) and perf_counter() >= deadline:
                return True
        return False
