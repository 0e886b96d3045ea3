"""The card list view: it measures only the cards it shows, and keeps the reader's place.

Why not ``QListView``: it keeps no per-row layout it could update, so every
insert, remove or move lays out *all* rows again, asking the Python delegate
for each row's size, and it paints nothing before that layout is done
(100,000 quotes: about 3 s before the first card). This view is a one-column
``QTableView`` dressed as a list: no grid, no headers, whole-row single
selection, the column as wide as the viewport and list keys (Home and End go
to the first and last card). Row heights live in its vertical ``QHeaderView``,
in C++, so inserts, removes and moves shift them without Python.

Measuring. A row starts at an estimated height (the mean of the cards
measured so far, or a typical two-line card) and is *not measured*; the header
keeps that mark per row (its resize mode: ``Interactive`` not measured,
``Fixed`` measured), so the mark moves with the row. Rows are measured:

- the rows in sight, before every paint, scroll, resize and layout;
- the rows around one that is scrolled to, before scrolling, so the scroll
  lands on measured positions;
- inserted and changed rows, at once (a few at a time in a live burst);
- all the others a few milliseconds at a time while the window is idle
  (in the idle runner's turns, ``app.ui.idle_work``, starting after the next
  paint, so it delays none), so the scroll bar becomes exact soon after a load.

A new width or font marks every row not measured again, and so does a
re-sort (``_HeaderRows``: the header would otherwise carry every measured
height through it, and through every move, at O(rows) a time).

Keeping the place. A row measured above the viewport would shift the cards
below it; the scroll position moves by the same amount, so what starts at or
below the viewport's top stays where it is. Before an insert, remove or move
this view also remembers the card at the top of the viewport and where it
was; after it (once per event-loop turn, however many rows a batch touched) it
scrolls so that card is back where it was. At the very top of the list it
stays at the top, so new quotes come into view.

Paced: while changes stream in, the cards are painted at most once a frame
(``paint_pacing.py``); the model itself changes at once.

A like must not cost more than a repaint: changes confined to roles a card's
size does not depend on (``REPAINT_ONLY_ROLES``) only repaint the card; other
changes measure the changed cards again.

Accessibility: assistive tools are told the view's name and what it holds,
and see a list of cards with a Like action each (``accessible.py``), not
the table of one column Qt would describe.

The cards sit on the window colour, and an empty list says what to do.
"""

from __future__ import annotations

from time import perf_counter

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QFrame, QProxyStyle, QStyle, QTableView

from app.ui import accessible
from app.ui.cards_ahead import CardsAhead
from app.ui.colours import secondary
from app.ui.delegate import REPAINT_ONLY_ROLES, QuoteDelegate
from app.ui.idle_work import MEASURE, IdleJob, IdleWork
from app.ui.measuring import (
    DEFAULT_ESTIMATE,
    MEASURE_AT_ONCE,
    NOT_MEASURED,
    RowMeasuring,
)
from app.ui.paint_pacing import PaintPacer


class _HeaderRows(QAbstractListModel):
    """What the view's row header sees of the model: as many rows, no data.

    Why: a header keeps a row's height through a move or a re-sort by making a
    persistent index for *every* row whose height is not the default, which is
    every measured row (a like that moves a card cost 128 ms at 100,000 rows).
    Here a move is a remove and an insert (the moved row is measured again at
    once, from the delegate's cache) and a re-sort or a reset empties the
    header first (the rows are measured again while idle).
    """

    def __init__(self, model: QAbstractItemModel, parent: QObject) -> None:
        super().__init__(parent)
        self._count = model.rowCount()
        self._model = model
        model.rowsAboutToBeInserted.connect(self._inserting)
        model.rowsInserted.connect(self._inserted)
        model.rowsAboutToBeRemoved.connect(self._removing)
        model.rowsRemoved.connect(self._removed)
        model.rowsMoved.connect(self._moved)
        model.modelAboutToBeReset.connect(self._empty)
        model.modelReset.connect(self._refill)
        model.layoutAboutToBeChanged.connect(self._empty)
        model.layoutChanged.connect(self._refill)

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else self._count

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        return None

    def _inserting(self, parent, first: int, last: int) -> None:
        if not parent.isValid():
            self.beginInsertRows(QModelIndex(), first, last)

    def _inserted(self, parent, first: int, last: int) -> None:
        if not parent.isValid():
            self._count += last - first + 1
            self.endInsertRows()

    def _removing(self, parent, first: int, last: int) -> None:
        if not parent.isValid():
            self.beginRemoveRows(QModelIndex(), first, last)

    def _removed(self, parent, first: int, last: int) -> None:
        if not parent.isValid():
            self._count -= last - first + 1
            self.endRemoveRows()

    def _moved(self, parent, start: int, end: int, destination, row: int) -> None:
        if parent.isValid() or destination.isValid():
            return
        count = end - start + 1
        self.beginRemoveRows(QModelIndex(), start, end)
        self._count -= count
        self.endRemoveRows()
        first = row - count if row > end else row
        self.beginInsertRows(QModelIndex(), first, first + count - 1)
        self._count += count
        self.endInsertRows()

    def _empty(self, *_: object) -> None:
        self.beginResetModel()
        self._count = 0
        self.endResetModel()

    def _refill(self, *_: object) -> None:
        self.beginResetModel()
        self._count = self._model.rowCount()
        self.endResetModel()


class _CardsOnly(QProxyStyle):
    """The app's style, but a selected row gets no full-width band: the card shows it."""

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        if element != QStyle.PrimitiveElement.PE_PanelItemViewRow:
            super().drawPrimitive(element, option, painter, widget)


class QuoteListView(RowMeasuring, QTableView):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTabKeyNavigation(False)  # Tab leaves the list, as it does a list
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        columns, rows = self.horizontalHeader(), self.verticalHeader()
        columns.hide()
        columns.setStretchLastSection(True)
        columns.setMinimumSectionSize(0)
        rows.hide()
        rows.setMinimumSectionSize(1)
        rows.setSectionResizeMode(NOT_MEASURED)  # what every new row starts as
        rows.setDefaultSectionSize(DEFAULT_ESTIMATE)
        self.verticalScrollBar().setSingleStep(24)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self._style = _CardsOnly()
        self._style.setParent(self)
        self.setStyle(self._style)
        self.setViewportMargins(0, 6, 0, 6)
        self.setAccessibleName("Quotes")
        self.announced_as_list = True
        accessible.install()
        self.setAccessibleDescription(
            "List of quotes, one card each. Up, Down, Page Up, Page Down, Home and End "
            "move between quotes; L likes the selected quote."
        )
        self._placeholder = ""
        self._anchor = QPersistentModelIndex()
        self._anchor_top = 0
        self._follow = QPersistentModelIndex()
        self._restore = QTimer(self, singleShot=True, interval=0)
        self._restore.timeout.connect(self._restore_place)
        self._measured_sum = 0  # of the heights measured, for the next estimate
        self._measured_count = 0
        self._busy = False  # measuring: a scroll it causes measures nothing more
        self._scan: int | None = None  # rows from here on may not be measured yet
        self._idle = IdleJob(self._measure_some, MEASURE, self)
        self._header_rows: _HeaderRows | None = None
        self._pacer = PaintPacer(self.viewport())
        self._ahead = CardsAhead(self)

    # -- the model --------------------------------------------------------------

    def setModel(self, model) -> None:
        # Connected before the view's own slots, so the place is noted while the
        # view's layout still matches the model, and the repaint is paced.
        for before in (
            model.rowsAboutToBeInserted,
            model.rowsAboutToBeRemoved,
            model.rowsAboutToBeMoved,
        ):
            before.connect(self._hold_place)
            before.connect(self._pacer.changing)
        for before in (model.modelAboutToBeReset, model.layoutAboutToBeChanged):
            before.connect(self._pacer.changing)
        for after in (model.rowsInserted, model.rowsRemoved, model.rowsMoved):
            after.connect(self._restore.start)
        for after in (
            model.rowsInserted,
            model.rowsRemoved,
            model.rowsMoved,
            model.modelReset,
            model.layoutChanged,
        ):
            after.connect(self._ahead.start)
        super().setModel(model)
        if self._header_rows is not None:
            self._header_rows.deleteLater()
        self._header_rows = _HeaderRows(model, self)
        self.verticalHeader().setModel(self._header_rows)
        # Connected after the header's rows: the header has the rows by now (and
        # none while a reset is under way, so the estimate costs nothing to set).
        model.modelAboutToBeReset.connect(self._set_estimate)
        model.rowsInserted.connect(self._rows_inserted)
        model.rowsRemoved.connect(self._rows_removed)
        model.rowsMoved.connect(self._rows_moved)
        model.modelReset.connect(self._measure_all)
        model.layoutChanged.connect(self._layout_changed)
        self._measure_all()

    def setItemDelegate(self, delegate) -> None:
        super().setItemDelegate(delegate)
        self._measure_all()

    def dataChanged(self, topLeft, bottomRight, roles=()) -> None:
        """Repaint the changed cards; measure them again unless their size cannot have changed.

        An empty ``roles`` means any role may have changed.
        """
        self._pacer.changing()
        super().dataChanged(topLeft, bottomRight, roles)
        self._ahead.changed(topLeft.row(), bottomRight.row())
        if roles and REPAINT_ONLY_ROLES.issuperset(roles):
            return
        first, last = topLeft.row(), bottomRight.row()
        if last - first < MEASURE_AT_ONCE:
            self._measure(range(first, last + 1), force=True)
        else:
            header = self.verticalHeader()
            for row in range(first, last + 1):
                header.setSectionResizeMode(row, NOT_MEASURED)
            self._scan_from(first)

    # -- what the window asks -----------------------------------------------------

    def follow(self, index: QModelIndex) -> None:
        """After the pending changes, scroll ``index`` into view instead of holding the place."""
        self._follow = QPersistentModelIndex(index)
        self._restore.start()

    def setPlaceholderText(self, text: str) -> None:
        self._placeholder = text
        self.viewport().update()

    # -- a list, not a table --------------------------------------------------------

    def keyboardSearch(self, search: str) -> None:
        """No type-ahead: a letter typed in the list starts a search (``QuoteLists``)."""

    def moveCursor(self, action, modifiers):
        """Home and End go to the first and last card (a table wants Ctrl for that)."""
        model = self.model()
        if model is not None and model.rowCount() > 0:
            if action == QAbstractItemView.CursorAction.MoveHome:
                return model.index(0, 0)
            if action == QAbstractItemView.CursorAction.MoveEnd:
                return model.index(model.rowCount() - 1, 0)
        return super().moveCursor(action, modifiers)

    def scrollTo(self, index, hint=QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        """Measure the cards around ``index`` first, so the scroll lands where it should."""
        if index.isValid() and not self._busy:
            self._measure(self._around(index.row()))
        super().scrollTo(index, hint)
        if (
            index.isValid()
            and hint == QAbstractItemView.ScrollHint.EnsureVisible
            and not self.viewport().rect().contains(self.visualRect(index))
        ):
            # The table placed it by the scroll range it had; the range the measured
            # cards give comes after (the last card ended 30-odd pixels short). Again, exact.
            super().scrollTo(index, hint)

    # -- measuring ----------------------------------------------------------------

    def doItemsLayout(self) -> None:
        """Lay the rows out, keep the row header's updates off, measure the rows in sight.

        The row header is never painted. With its updates off, resizing a row
        skips finding where the row is on screen, which walks every row's height
        (40 µs a row at 100,000 rows, 2 µs without; measuring resizes rows all
        the time). ``QTableView.doItemsLayout`` turns them on (on show, for one).
        """
        super().doItemsLayout()
        self.verticalHeader().setUpdatesEnabled(False)
        self._measure_shown()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._forget_measured()
            self._measure_all()  # every card wraps anew
        else:
            self._measure_shown()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._forget_measured()
            self._measure_all()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if dy:
            self._measure_shown()
            self._ahead.start()

    def paintEvent(self, event) -> None:
        started = perf_counter()
        self._measure_shown()  # normally done already: scrolls, resizes and layouts measure
        delegate = self.itemDelegate()
        if isinstance(delegate, QuoteDelegate):
            delegate.begin_paint()
        super().paintEvent(event)
        model = self.model()
        if self._placeholder and model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            palette = self.palette()
            painter.setPen(
                secondary(
                    palette.color(QPalette.ColorRole.WindowText),
                    palette.color(QPalette.ColorRole.Window),
                )
            )
            painter.drawText(
                self.viewport().rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._placeholder,
            )
        if self._scan is not None and not self._idle.isActive():
            self._idle.start()
        self._pacer.painted()
        IdleWork.shared().painted(perf_counter() - started)
        if isinstance(delegate, QuoteDelegate) and delegate.owes_paint:
            self._pacer.changing()  # the rest next frame
            self.viewport().update()

    # -- keeping the place --------------------------------------------------------

    def _hold_place(self) -> None:
        if self._anchor.isValid() or self.verticalScrollBar().value() == 0:
            return
        self.executeDelayedItemsLayout()  # measure the layout the reader sees, not a stale one
        top = self.indexAt(QPoint(self.viewport().width() // 2, 0))
        if top.isValid():
            self._anchor = QPersistentModelIndex(top)
            self._anchor_top = self.visualRect(top).top()

    def _restore_place(self) -> None:
        anchor, self._anchor = self._anchor, QPersistentModelIndex()
        follow, self._follow = self._follow, QPersistentModelIndex()
        self.executeDelayedItemsLayout()
        if follow.isValid():
            self.scrollTo(QModelIndex(follow))
        elif anchor.isValid():
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + self.visualRect(QModelIndex(anchor)).top() - self._anchor_top)
