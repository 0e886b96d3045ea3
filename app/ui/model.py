"""The quote list model: a thin Qt adapter over a sorted Python list.

A live collection reports what changed; this model turns each change into the
smallest row-level signal (insert, remove, move, dataChanged), so views keep
their selection, current item and scroll position while other people edit.
Only a Snapshot (first load, resync, tenant switch) resets the model.

The list is always sorted by a total order (the sort key ends with the id), so
a quote's row is found by bisection and never by a linear search.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from app.repo.schema import Quote
from app.sync.events import Changes, Page, Snapshot
from app.sync.quotes_by_id import QuotesById
from app.ui.flash import Flashes
from app.ui.order import Sort, in_order, sort_key
from app.ui.pending_likes import PendingLikes
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
#: Quotes of a streamed page that may belong above the last row and still be
#: inserted one by one (a clock set back); a page with more waits for the rest.
_FEW = 16

#: What a like (or a fresh copy with the same text) changes: the count, the
#: pending mark, and the accessible text that reads the count out. Views may
#: repaint for these without measuring the card again (see QuoteListView).
LIKE_ROLES = (LikesRole, PendingRole, Qt.ItemDataRole.AccessibleTextRole)

__all__ = ["LIKE_ROLES", "QuoteListModel", "Sort"]


class QuoteListModel(QAbstractListModel):
    """The quotes of one tenant, in the chosen sort, with optimistic likes."""

    def __init__(self, parent=None, sort: Sort = Sort.NEWEST) -> None:
        super().__init__(parent)
        self._order_by(sort)
        self._rows: list[Quote] = []
        self._by_id = QuotesById()
        #: A streamed snapshot is still arriving (see ``apply``).
        self._loading = False
        #: Quotes held back (sorted by likes, or pages not newest first): shown
        #: once the collection is whole.
        self._backlog: list[Quote] = []
        #: The same by id, built a page at a time (at a million, at once would take 0.8 s).
        self._backlog_by_id = QuotesById()
        #: This window's likes not yet seen in a fresh copy of the quote, oldest first.
        self._pending = PendingLikes()
        #: Quotes this window is changing itself: their next new text is not news.
        self._own_edits: set[str] = set()
        #: Quotes someone else changed a moment ago.
        self._flashes = Flashes(self)
        self._flashes.ended.connect(self._flash_ended)

    # -- Qt's model interface -------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if not index.isValid() or index.parent().isValid() or index.row() >= len(self._rows):
            return None
        quote = self._rows[index.row()]
        if role == CardRole:
            return Card(
                quote.id, quote.author, quote.content, quote.inserted_at,
                self._shown_likes(quote), quote.id in self._pending, quote.id in self._flashes,
            )
        if role == IdRole:
            return quote.id
        if role == AuthorRole:
            return quote.author
        if role == ContentRole:
            return quote.content
        if role == LikesRole:
            likes = self._shown_likes(quote)
            # A Qt variant holds at most a 64-bit int: beyond it, a float (never in practice:
            # the repository stops at 2**53 - 1).
            return likes if likes <= _INT64_MAX else float(likes)
        if role == PendingRole:
            return quote.id in self._pending
        if role == InsertedAtRole:
            return quote.inserted_at
        if role == FlashRole:
            return quote.id in self._flashes
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{quote.content} — {quote.author}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            likes = self._shown_likes(quote)
            return f"{quote.content}, by {quote.author}, {likes:,} like{'s' * (likes != 1)}"
        return None

    def roleNames(self) -> dict[int, bytes]:
        return {**super().roleNames(), **ROLE_NAMES}

    # -- what the window asks -------------------------------------------------

    @property
    def sort(self) -> Sort:
        return self._sort

    @property
    def loaded(self) -> int:
        """Quotes read so far: the rows, and those held back until the collection is whole."""
        return len(self._rows) + len(self._backlog)

    @property
    def complete(self) -> bool:
        """False while a streamed snapshot is still arriving."""
        return not self._loading

    def quote_at(self, row: int) -> Quote:
        return self._rows[row]

    def index_of(self, quote_id: str) -> QModelIndex:
        """The index showing ``quote_id``, or an invalid index."""
        quote = self._by_id.get(quote_id)
        return QModelIndex() if quote is None else self.index(self._row(quote))

    # -- live updates ---------------------------------------------------------

    def apply(self, event: Snapshot | Page | Changes) -> None:
        """Apply one event of a live collection.

        A streamed snapshot (newest first) arrives as a Snapshot that is not
        complete, Pages appended below it, then a Changes that ``completes`` it.
        """
        if isinstance(event, Snapshot):
            self._loading = not event.complete
            self.reset(event.quotes)
            return
        if isinstance(event, Page):
            self._extend(event.quotes)
            return
        if event.completes:
            self._loading = False
            if self._backlog:
                self._show_backlog()
        for quote_id in event.deleted:
            self._remove(quote_id)
        for quote in (*event.updated, *event.inserted):
            self._upsert(quote)

    def _extend(self, quotes: tuple[Quote, ...]) -> None:
        """Add quotes new to the list: a page of a stream newest first goes below
        every row (one insert); any other is held back until the collection is
        whole (most liked needs every quote; pages in id order would land all
        over the list)."""
        if self._sort is not Sort.NEWEST or self._backlog:
            self._hold_back(quotes)
            return
        rows = self._sorted(quotes)
        below = 0
        if self._rows:
            below = bisect_left(rows, self._key(self._rows[-1]), key=self._key)
            if below > _FEW:
                self._hold_back(quotes)
                return
            for quote in rows[:below]:  # the few that belong higher up (a clock set back)
                self._insert(quote)
        if below < len(rows):
            end = len(self._rows)
            self.beginInsertRows(QModelIndex(), end, end + len(rows) - below - 1)
            self._rows.extend(rows[below:])
            self._by_id.add_all(rows[below:])
            self.endInsertRows()

    def _hold_back(self, quotes: tuple[Quote, ...]) -> None:
        self._backlog.extend(quotes)
        self._backlog_by_id.add_all(quotes)

    def reset(self, quotes: Iterable[Quote]) -> None:
        """Show exactly ``quotes``: fresh copies, so they settle the likes they include."""
        self.beginResetModel()
        self._backlog, self._backlog_by_id = [], QuotesById()
        quotes = list(quotes)
        self._by_id = QuotesById(quotes)
        if len(self._by_id) != len(quotes):  # an id twice: its last copy counts
            quotes = list(self._by_id.values())
        for quote_id in self._pending.ids():
            quote = self._by_id.get(quote_id)
            if quote is None:
                self._pending.forget(quote_id)
            else:
                self._pending.confirm(quote)
        self._rows = self._sorted(quotes)
        self._flashes.clear()
        self.endResetModel()

    def _show_backlog(self) -> None:
        """Show the quotes held back while the collection streamed in, with the rows."""
        self.beginResetModel()
        # The smaller index goes into the larger (a stream delivers each quote once):
        # at a million, a second dict of every quote would cost 40 MB and 0.1 s.
        smaller, larger = sorted((self._by_id, self._backlog_by_id), key=len)
        larger.update_from(smaller)
        quotes = [*self._rows, *self._backlog]
        self._by_id, self._backlog, self._backlog_by_id = larger, [], QuotesById()
        self._rows = self._sorted(quotes)
        self._flashes.clear()
        self.endResetModel()

    def set_sort(self, sort: Sort) -> None:
        """Re-sort in place; persistent indexes (selection, current) follow their quotes."""
        if sort is self._sort:
            return
        if self._backlog:  # rows waiting for the whole collection: show them now
            self._order_by(sort)
            self._show_backlog()
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        quotes = [self._rows[index.row()] for index in persistent]
        self._order_by(sort)
        self._rows = self._sorted(self._rows)
        self.changePersistentIndexList(persistent, [self.index(self._row(q)) for q in quotes])
        self.layoutChanged.emit()

    # -- optimistic likes -----------------------------------------------------

    def like_pending(self, quote_id: str) -> bool:
        """Show one more like at once, marked pending; False if the quote is gone."""
        quote = self._by_id.get(quote_id)
        if quote is None:
            return False
        row = self._row(quote)
        self._pending.add(quote_id)
        self._settle(row, LIKE_ROLES)
        return True

    def like_saved(self, quote_id: str, count: int) -> None:
        """The oldest pending like committed, and the store then counted ``count`` likes."""
        quote = self._by_id.get(quote_id)
        if quote is not None and self._pending.saved(quote_id, count) and self._pending.confirm(quote):
            self._settle(self._row(quote), LIKE_ROLES)

    def like_failed(self, quote_id: str) -> None:
        """Take back the newest pending like that could not be saved."""
        quote = self._by_id.get(quote_id)
        if quote is None:
            return
        row = self._row(quote)  # found while the like still counts (most liked first)
        if self._pending.failed(quote_id):
            self._settle(row, LIKE_ROLES)

    def editing(self, quote_id: str, mine: bool = True) -> None:
        """This window is saving new text for the quote (``mine=False``: it gave up)."""
        if mine:
            self._own_edits.add(quote_id)
        else:
            self._own_edits.discard(quote_id)

    # -- row-level edits ------------------------------------------------------

    def _upsert(self, quote: Quote) -> None:
        old = self._by_id.get(quote.id)
        if old is None:
            self._insert(quote)
            return
        row = self._row(old)
        ours = self._pending.count(quote.id)  # likes the new count may hold
        self._by_id[quote.id] = quote
        self._pending.confirm(quote)
        self._rows[row] = quote
        same_text = _same_text(old, quote)
        if not same_text and quote.id in self._own_edits:
            self._own_edits.discard(quote.id)  # our own edit: not news to us
        elif not same_text or not 0 <= quote.likes - old.likes <= ours:  # not just our likes
            self._flashes.start(quote.id)
        self._settle(row, LIKE_ROLES if same_text else ())

    def _flash_ended(self, quote_ids: list[str]) -> None:
        """Repaint the cards whose flash is over (one signal for the rows they span)."""
        rows = [self._row(quote) for quote in map(self._by_id.get, quote_ids) if quote is not None]
        if rows:
            self.dataChanged.emit(self.index(min(rows)), self.index(max(rows)), [FlashRole])

    def _insert(self, quote: Quote) -> None:
        row = bisect_left(self._rows, self._key(quote), key=self._key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, quote)
        self._by_id[quote.id] = quote
        self.endInsertRows()

    def _remove(self, quote_id: str) -> None:
        quote = self._by_id.get(quote_id)
        if quote is None:
            return
        row = self._row(quote)
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._by_id[quote_id]
        self._pending.forget(quote_id)
        self.endRemoveRows()

    def _settle(self, row: int, roles: tuple[int, ...]) -> None:
        """The quote at ``row`` changed: move it where the sort wants it, then repaint it.

        ``roles`` are the roles that changed (empty: any of them may have).
        """
        rows, key = self._rows, self._key
        wanted = key(rows[row])
        final = destination = row
        if row > 0 and wanted < key(rows[row - 1]):
            final = destination = bisect_left(rows, wanted, 0, row, key=key)
        elif row + 1 < len(rows) and key(rows[row + 1]) < wanted:
            destination = bisect_left(rows, wanted, row + 1, len(rows), key=key)
            final = destination - 1
        if final != row:
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
            rows.insert(final, rows.pop(row))
            self.endMoveRows()
        index = self.index(final)
        self.dataChanged.emit(index, index, list(roles))

    def _row(self, quote: Quote) -> int:
        """The row of a quote that is in the list (found by bisection)."""
        return bisect_left(self._rows, self._key(quote), key=self._key)

    def _order_by(self, sort: Sort) -> None:
        """From now on the rows are in ``sort``'s order (the caller puts them in it)."""
        self._sort = sort
        #: Orders quotes as shown, ascending: rows are found by bisection with it.
        self._key = sort_key(sort, self._shown_likes)

    def _sorted(self, quotes: Sequence[Quote]) -> list[Quote]:
        return in_order(quotes, self._sort, self._shown_likes if self._pending else None)

    def _shown_likes(self, quote: Quote) -> int:
        return quote.likes + self._pending.count(quote.id)


def _same_text(old: Quote, new: Quote) -> bool:
    """True if only the likes (or fields the list does not show) differ."""
    return (old.content, old.author, old.inserted_at) == (new.content, new.author, new.inserted_at)
