"""The quote list model: a thin Qt adapter over ``app.client.QuoteList``.

The list keeps the rules (sort, pending likes, the stream's backlog, own
edits, which quotes flash) and reports each row it changes; this model turns
each report into Qt's signal (insert, remove, move, dataChanged, reset, a
layout change that keeps persistent indexes on their quotes) and times the
flashes. It also drives the list's new orders: a slice of ordering in each
of the window's idle turns (``QuoteList.order_some``, ``app.ui.idle_work``), so
a sort of a million quotes never holds the window for more than a slice.
"""

from __future__ import annotations

from time import perf_counter
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.client import Changed, Changes, Page, Quote, QuoteList, Snapshot, Sort, counted
from app.ui.dates import relative
from app.ui.flash import Flashes
from app.ui.idle_work import ORDER, IdleJob
from app.ui.roles import (
    ROLE_NAMES,
    AuthorRole,
    Card,
    CardRole,
    ContentRole,
    FlashRole,
    IdRole,
    InsertedAtRole,
    LikesRole,
    PendingRole,
)

_INT64_MAX = 2**63 - 1
_Index = QModelIndex | QPersistentModelIndex

#: What a like (or a fresh copy with the same text) changes: the count, the
#: pending mark, and the accessible text that reads the count out. Views may
#: repaint for these without measuring the card again (see QuoteListView).
LIKE_ROLES = (LikesRole, PendingRole, Qt.ItemDataRole.AccessibleTextRole)
#: The least time a turn of ordering gets, even when other idle work spent the turn's budget.
MIN_ORDER_S = 0.001
_ROLES = {Changed.ANY: [], Changed.LIKES: list(LIKE_ROLES), Changed.FLASH: [FlashRole]}
#: Each role's value, from the quote, the likes shown, pending, flashing.
_FIELDS = {
    Qt.ItemDataRole.DisplayRole: lambda q, n, p, f: f"{q.content} — {q.author}",
    Qt.ItemDataRole.AccessibleTextRole: lambda q, n, p, f: (
        f"{q.content}, by {q.author}, {counted(n, 'like')}, added {relative(q.inserted_at)}"
    ),
    CardRole: lambda q, n, p, f: Card(q.id, q.author, q.content, q.inserted_at, n, p, f),
    # A Qt variant holds at most a 64-bit int: beyond it, a float (never in practice:
    # the repository stops at 2**53 - 1).
    LikesRole: lambda q, n, p, f: n if n <= _INT64_MAX else float(n),
    PendingRole: lambda q, n, p, f: p,
    FlashRole: lambda q, n, p, f: f,
    IdRole: lambda q, n, p, f: q.id,
    AuthorRole: lambda q, n, p, f: q.author,
    ContentRole: lambda q, n, p, f: q.content,
    InsertedAtRole: lambda q, n, p, f: q.inserted_at,
}

__all__ = ["LIKE_ROLES", "QuoteListModel", "Sort"]


class QuoteListModel(QAbstractListModel):
    """The quotes of one tenant, in the chosen sort, with optimistic likes."""

    #: A new sort is shown (after ``set_sort``, once worked out; the rows were reordered).
    sort_shown = Signal()

    def __init__(self, parent: Any = None, sort: Sort = Sort.NEWEST) -> None:
        super().__init__(parent)
        #: The rows and their rules; this model reports its events to Qt.
        self.quotes = QuoteList(self, sort)
        self._ordering = IdleJob(self._order_some, ORDER, self)
        self.quotes.on_ordering = self._ordering.start
        self._flashes = Flashes(self)
        self._flashes.ended.connect(self.quotes.end_flashes)
        self._moved: list[tuple[QPersistentModelIndex | QModelIndex, Quote]] = []

    def rowCount(self, parent: _Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.quotes)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        field = _FIELDS.get(role)
        if field is None or not index.isValid() or index.parent().isValid():
            return None
        if index.row() >= len(self.quotes):
            return None
        quote, quotes = self.quotes[index.row()], self.quotes
        shown = quotes.shown_likes(quote)
        return field(quote, shown, quotes.is_pending(quote.id), quotes.is_flashing(quote.id))

    def roleNames(self) -> dict[int, bytes]:
        return {**super().roleNames(), **ROLE_NAMES}

    # -- what the window asks (the list's rules: ``quotes``) --------------------

    def index_of(self, quote_id: str) -> QModelIndex:
        """The index showing ``quote_id``, or an invalid index."""
        row = self.quotes.row_of(quote_id)
        return QModelIndex() if row is None else self.index(row)

    def apply(self, event: Snapshot | Page | Changes) -> None:
        self.quotes.apply(event)

    def set_sort(self, sort: Sort) -> None:
        """Re-sort in place, once the order is worked out (``sort_shown``); persistent
        indexes (selection, current) follow their quotes."""
        self.quotes.set_sort(sort)

    def stop_ordering(self) -> None:
        """Give up the order under way, if any (the window closes)."""
        self._ordering.stop()
        self.quotes.stop_ordering()

    def _order_some(self, deadline: float) -> bool:
        budget = min(self.quotes.order_slice_s, max(deadline - perf_counter(), MIN_ORDER_S))
        return not self.quotes.order_some(budget)

    # -- the list's row events, as Qt's signals (app.client.quote_list.RowEvents) --

    def inserting(self, first: int, last: int) -> None:
        self.beginInsertRows(QModelIndex(), first, last)

    def inserted(self) -> None:
        self.endInsertRows()

    def removing(self, first: int, last: int) -> None:
        self.beginRemoveRows(QModelIndex(), first, last)

    def removed(self) -> None:
        self.endRemoveRows()

    def moving(self, row: int, destination: int) -> None:
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)

    def moved(self) -> None:
        self.endMoveRows()

    def resetting(self) -> None:
        self.beginResetModel()

    def was_reset(self) -> None:
        self._flashes.clear()
        self.endResetModel()

    def reordering(self) -> None:
        self.layoutAboutToBeChanged.emit()
        self._moved = [(index, self.quotes[index.row()]) for index in self.persistentIndexList()]

    def reordered(self) -> None:
        moved, self._moved = self._moved, []
        rows = [self.quotes.row_of(quote.id) or 0 for _, quote in moved]  # none came or went
        self.changePersistentIndexList([index for index, _ in moved], list(map(self.index, rows)))
        self.layoutChanged.emit()
        self.sort_shown.emit()

    def changed(self, first: int, last: int, what: Changed) -> None:
        self.dataChanged.emit(self.index(first), self.index(last), _ROLES[what])

    def flashing(self, quote_id: str) -> None:
        self._flashes.start(quote_id)
