"""The quotes that match a search: a thin Qt proxy over the quote list model.

The work is Qt-free (``app.client``): ``FoldedRows`` keeps the folded text of
every row beside the list, and a ``SearchRun`` answers which rows match, as
one byte a row. This proxy only maps rows (the k-th match and back) and
turns the list's row signals into its own.

A keystroke (``set_text``) starts a new run and drops the one under way, if
any; the run tests a few thousand rows at a time for at most ``SLICE_S`` of
the GUI thread, the first slice at once (a small list is answered before
``set_text`` returns), the rest in the window's idle turns
(``app.ui.idle_work``, first among the jobs there), so typing and painting go
on. Until it has found the top of its answer (``FIRST_ROWS`` matches, more
than a window shows, or all of them) the view keeps showing the last answer,
still live; then the new answer replaces it with one model reset
(``resultShown`` follows) and is painted at once. The rows below the top
are answered in the following slices and come in below the ones shown, as
inserted rows (the view's place does not move); ``answerComplete`` says when
the answer is whole. So a query that matches much of a million quotes shows
its first cards after a few thousand rows tested, and a rare one after one
pass over the rows: either way in about one pass of ``query in text``.

Live: a quote added, edited or deleted by anyone, or moved by a like, enters,
leaves or moves in the proxy as the list's signals say, in the answer shown
and in the run under way alike. The proxy follows the list from the first
search on; while no run is under way, rows not folded yet are folded a slice
at a time in the idle turns, after every other job, so the next search finds them ready.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QAbstractProxyModel, QModelIndex, QPersistentModelIndex, Signal

from app.client import FoldedRows, SearchRun, fold_query
from app.ui.idle_work import ANSWER, FOLD, IdleJob
from app.ui.model import QuoteListModel

_Index = QModelIndex | QPersistentModelIndex
#: The most of the GUI thread a keystroke's own slice of searching takes, in seconds: a
#: few thousand rows, enough to find the top of a common query's answer, and short,
#: as the answer's reset and its paint follow it within the frame (the slices after
#: it share the idle turns' budget, ``app.ui.idle_work.BUDGET_S``).
SLICE_S = 0.002
#: Rows tested between looks at the clock (a fraction of a millisecond).
CHUNK_ROWS = 4096
#: Rows folded between looks at the clock (text that is not ASCII folds slower).
FOLD_ROWS = 1024
#: Matches found from the top that are enough to show a new answer (more than a window shows).
FIRST_ROWS = 64


class SearchModel(QAbstractProxyModel):
    #: A run's answer replaced the one shown (after the model's reset): its top, at least.
    resultShown = Signal()
    #: The answer shown is whole: every row is answered.
    answerComplete = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._folded = FoldedRows(lambda first, stop: [])
        #: The answer shown (done), and the run under way, if any, with the texts they answer.
        self._shown = SearchRun(None, self._folded)
        self._shown_text = ""
        #: False while ``_shown`` only stands in for an answer (after a reset).
        self._answered = True
        self._running: SearchRun | None = None
        #: A run a key dropped that the run under way narrows down (kept live for it).
        self._helper: SearchRun | None = None
        self._running_text = ""
        self._text = ""
        self._removing = 0
        self._moving = False
        self._timer = IdleJob(self._work, ANSWER, self)

    # -- what the window asks ------------------------------------------------------

    @property
    def text(self) -> str:
        """The text asked for last."""
        return self._text

    @property
    def shown_text(self) -> str:
        """The text whose matches are shown (``text`` once ``busy`` is over)."""
        return self._shown_text

    @property
    def busy(self) -> bool:
        """The answer to ``text`` is not whole yet: a newer search than the one
        shown is under way, or the rows below the ones shown are still answered."""
        return self._running is not None or not self._shown.done

    @property
    def current(self) -> bool:
        """The list shows the answer to ``text`` (its top, at least: see ``busy``)."""
        return self._running is None

    def set_text(self, text: str) -> None:
        """Search for ``text`` (blank: no search, no rows), dropping any search under way."""
        self._text = text
        query = fold_query(text) or None
        if self._running is not None and query == self._running.query:
            self._running_text = text
            return
        if query == self._shown.query and self._answered:  # back to what is shown
            self._running, self._helper, self._shown_text = None, None, text
            return
        dropped, self._helper = self._running, None
        if query is None:  # no search: the proxy shows nothing, so follows the list for nothing
            self._running, self._running_text = SearchRun(None, self._folded), text
        else:
            self._running, self._running_text = (
                SearchRun(query, self._folded, within=self._within(query, dropped)),
                text,
            )
        if self._work(time.perf_counter() + SLICE_S):  # the key's own slice, at once
            self._timer.start()

    def _within(self, query: str, dropped: SearchRun | None) -> SearchRun | None:
        """What narrows a search for ``query`` (typing on): the answer shown if it is for a
        query ``query`` contains, else the run just dropped if it is (kept live from now on)."""
        shown = self._shown.query
        if self._answered and shown is not None and shown in query:
            return self._shown
        if dropped is not None and dropped.query is not None and dropped.query in query:
            self._helper = dropped
            return dropped
        return None

    def index_of(self, quote_id: str) -> QModelIndex:
        """The index showing ``quote_id``, or an invalid index if it does not match."""
        model = self.sourceModel()
        if not isinstance(model, QuoteListModel):
            return QModelIndex()
        return self.mapFromSource(model.index_of(quote_id))

    # -- QAbstractProxyModel ---------------------------------------------------------

    def setSourceModel(self, model: QuoteListModel) -> None:
        """Follow ``model`` (once: the search follows the window's list from then on)."""
        self.beginResetModel()
        super().setSourceModel(model)
        quotes = model.quotes
        self._folded = FoldedRows(quotes.between, len(quotes))
        model.rowsInserted.connect(self._inserted)
        model.rowsAboutToBeRemoved.connect(self._removing_rows)
        model.rowsRemoved.connect(self._removed)
        model.rowsAboutToBeMoved.connect(self._moving_row)
        model.rowsMoved.connect(self._moved)
        model.dataChanged.connect(self._data_changed)
        for before in (model.modelAboutToBeReset, model.layoutAboutToBeChanged):
            before.connect(self.beginResetModel)
        for after in (model.modelReset, model.layoutChanged):
            after.connect(self._all_changed)
        self._all_changed()

    def index(self, row: int, column: int = 0, parent: _Index | None = None) -> QModelIndex:
        if (parent is not None and parent.isValid()) or column != 0 or not 0 <= row < self.rowCount():
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: _Index | None = None) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def rowCount(self, parent: _Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else self._shown.matches.total

    def columnCount(self, parent: _Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else 1

    def hasChildren(self, parent: _Index | None = None) -> bool:
        return (parent is None or not parent.isValid()) and self.rowCount() > 0

    def mapToSource(self, index: _Index) -> QModelIndex:
        model = self.sourceModel()
        if model is None or not index.isValid() or index.row() >= self.rowCount():
            return QModelIndex()
        return model.index(self._shown.matches.row_of_rank(index.row()), 0)

    def mapFromSource(self, index: _Index) -> QModelIndex:
        matches = self._shown.matches
        if not index.isValid() or index.row() >= len(matches) or not matches[index.row()]:
            return QModelIndex()
        return self.createIndex(matches.count_before(index.row()), 0)

    # -- running ----------------------------------------------------------------------

    def _work(self, deadline: float) -> bool:
        """One slice, until ``deadline``: of the run under way, of the rows below an
        answer shown, or else of folding rows ahead of the next search (once the list
        is whole, and only in time no other work wants: ``FOLD``). True if more is left."""
        run = self._running
        self._timer.priority = ANSWER
        if run is not None:
            run.step(CHUNK_ROWS)
            while not run.done and run.matches.total < FIRST_ROWS and time.perf_counter() < deadline:
                run.step(CHUNK_ROWS)
            if run.done or run.matches.total >= FIRST_ROWS:
                self._show(run)
            return True
        if not self._shown.done:
            self._grow(deadline)
            return True
        model = self.sourceModel()
        if not isinstance(model, QuoteListModel) or not model.quotes.complete or model.quotes.ordering:
            return False  # folding waits for the whole list in its order (which starts the job)
        self._timer.priority = FOLD
        while self._folded.fold_some(FOLD_ROWS):
            if time.perf_counter() >= deadline:
                return True
        return False

    def _show(self, run: SearchRun) -> None:
        """``run``'s answer (its top, at least) replaces the one shown."""
        self.beginResetModel()
        self._shown, self._shown_text, self._running, self._helper = run, self._running_text, None, None
        self._answered = True
        self.endResetModel()
        self.resultShown.emit()
        if run.done:
            self.answerComplete.emit()

    def _grow(self, deadline: float) -> None:
        """Answer rows below those shown until ``deadline``; their matches come in as inserted rows."""
        shown = self._shown
        while not shown.done:
            first, stop, bits = shown.next_answers(CHUNK_ROWS)
            old = shown.matches.get(first, stop)
            count = bits.count(1)
            if old.count(1):  # rows shown there already (moved in, or changed): row by row
                shown.answered(first, stop, old)
                self._rematch(first, stop - 1, bits)
            elif count:  # matches after the last one shown before ``first``: one block of ranks
                rank = shown.matches.count_before(first)
                self.beginInsertRows(QModelIndex(), rank, rank + count - 1)
                shown.answered(first, stop, bits)
                self.endInsertRows()
            else:
                shown.answered(first, stop, bits)
            if time.perf_counter() >= deadline:
                break
        if shown.done:
            self.answerComplete.emit()

    # -- the list's signals ------------------------------------------------------------

    def _inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        self._folded.inserted(first, last)
        for run in self._runs():
            run.inserted(first, last)
        shown = self._shown
        if first >= shown.cursor:  # below the rows answered: answered by later slices
            shown.inserted(first, last)
            self._timer.start()
            return
        bits = shown.test(first, last + 1)
        # First as rows that do not match, so the proxy maps onto the list as it is now.
        shown.inserted(first, last, bytes(len(bits)))
        count = bits.count(1)
        if count:
            rank = shown.matches.count_before(first)
            self.beginInsertRows(QModelIndex(), rank, rank + count - 1)
            shown.matches.set(first, bits)
            self.endInsertRows()
        self._timer.start()

    def _removing_rows(self, parent: QModelIndex, first: int, last: int) -> None:
        matches = self._shown.matches
        self._removing = matches.get(first, last + 1).count(1)
        if self._removing:
            rank = matches.count_before(first)
            self.beginRemoveRows(QModelIndex(), rank, rank + self._removing - 1)

    def _removed(self, parent: QModelIndex, first: int, last: int) -> None:
        self._folded.removed(first, last)
        for run in self._runs():
            run.removed(first, last)
        self._shown.removed(first, last)
        if self._removing:
            self._removing = 0
            self.endRemoveRows()

    def _moving_row(self, parent: QModelIndex, start: int, end: int, _: QModelIndex, row: int) -> None:
        matches = self._shown.matches
        self._moving = False
        if matches[start]:  # the list moves one row at a time
            rank, destination = matches.count_before(start), matches.count_before(row)
            if destination not in (rank, rank + 1):
                self._moving = self.beginMoveRows(QModelIndex(), rank, rank, QModelIndex(), destination)

    def _moved(self, parent: QModelIndex, start: int, end: int, _: QModelIndex, row: int) -> None:
        final = row - 1 if row > start else row
        self._folded.moved(start, final)
        for run in self._runs():
            if run.moved(start, final):
                run.changed(final, final)
        unanswered = self._shown.moved(start, final)
        if self._moving:
            self._moving = False
            self.endMoveRows()
        if unanswered:  # moved up into the rows answered so far: is it a match?
            self._rematch(final, final)

    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles=()) -> None:
        first, last = top_left.row(), bottom_right.row()
        if not roles:  # any role, the text too: the rows may start or stop matching
            self._folded.changed(first, last)
            for run in self._runs():
                run.changed(first, last)
            self._rematch(first, last)
        ranks = self._shown.matches.count_before(first), self._shown.matches.count_before(last + 1) - 1
        if ranks[1] >= ranks[0]:
            self.dataChanged.emit(self.index(ranks[0]), self.index(ranks[1]), roles)

    def _runs(self) -> list[SearchRun]:
        """The runs besides the answer shown that follow the list's changes."""
        return [run for run in (self._running, self._helper) if run is not None]

    def _rematch(self, first: int, last: int, new: bytes | None = None) -> None:
        """Rows ``first`` to ``last`` enter or leave the matches shown as their new
        text (or ``new``, their answers) says."""
        shown = self._shown
        old = shown.matches.get(first, last + 1)
        if new is None:
            new = shown.test(first, last + 1)
        for row in (first + i for i, (was, now) in enumerate(zip(old, new, strict=True)) if was != now):
            rank = shown.matches.count_before(row)
            if new[row - first]:
                self.beginInsertRows(QModelIndex(), rank, rank)
                shown.matches.set(row, b"\x01")
                self.endInsertRows()
            else:
                self.beginRemoveRows(QModelIndex(), rank, rank)
                shown.matches.set(row, b"\x00")
                self.endRemoveRows()

    def _all_changed(self) -> None:
        """Every row may be another quote (a reset, a new sort): search them all again."""
        model = self.sourceModel()
        self._folded.reset(model.rowCount() if model is not None else 0)
        self._shown = SearchRun(self._shown.query, self._folded, empty=True)
        self._answered = not self._shown.query
        self.endResetModel()
        query = self._running.query if self._running is not None else self._shown.query
        text = self._running_text if self._running is not None else self._shown_text
        self._running = self._helper = None
        if query:
            self._running, self._running_text = SearchRun(query, self._folded), text
        self._timer.start()
