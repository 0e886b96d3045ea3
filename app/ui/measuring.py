"""Measuring the card list's rows: only those in sight at once, the others while idle.

A mixin of ``QuoteListView`` (see its docstring for the why): the methods
here read and set row heights in the view's vertical header and keep what
starts at or below the viewport's top in place while rows above it change
height. The state they use (``_measured_sum``, ``_measured_count``,
``_busy``, ``_scan``, ``_idle``) is set up by the view.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from time import perf_counter

from PySide6.QtWidgets import QHeaderView, QStyleOptionViewItem

#: A row's height before any card has been measured and without a delegate that can guess.
DEFAULT_ESTIMATE = 120
#: How long one idle slice of measuring may take (seconds).
IDLE_SLICE_S = 0.002
#: Inserted or changed rows measured at once; more are left to the idle measuring.
MEASURE_AT_ONCE = 64
#: While the collection is still streaming in, idle slices come this far apart
#: (seconds), so the thread reading the store gets the interpreter most of the time.
LOADING_PAUSE_S = 0.040
IDLE_PAUSE_S = 0.006

NOT_MEASURED = QHeaderView.ResizeMode.Interactive
MEASURED = QHeaderView.ResizeMode.Fixed


class RowMeasuring:
    def _measure(self, rows: Iterable[int], force: bool = False) -> bool:
        """Give ``rows`` (not measured yet, or all if ``force``) their measured height.

        What starts at or below the viewport's top stays in place: a row
        above it that changes height moves the scroll position as much.
        True if a row changed height.
        """
        model, delegate = self.model(), self.itemDelegate()
        if model is None or delegate is None or self._busy:
            return False
        header = self.verticalHeader()
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        top = self.rowAt(0)
        top_above = top >= 0 and header.sectionViewportPosition(top) < 0
        bottom = self.rowAt(self.viewport().height() - 1)
        shift, changed, in_sight = 0, False, False
        self._busy = True
        # The view would schedule a repaint for each row resized: it is done once, below.
        header.blockSignals(True)
        try:
            for row in rows:
                if not force and header.sectionResizeMode(row) == MEASURED:
                    continue
                height = delegate.sizeHint(option, model.index(row, 0)).height()
                self._measured_sum += height
                self._measured_count += 1
                old = header.sectionSize(row)
                if height != old:
                    header.resizeSection(row, height)
                    changed = True
                    if 0 <= row < top or (row == top and top_above):
                        shift += height - old
                    elif bottom < 0 or row <= bottom:
                        in_sight = True
                header.setSectionResizeMode(row, MEASURED)
        finally:
            header.blockSignals(False)
        try:
            bar = self.verticalScrollBar()
            # Where the reader's place is now, taken before the range changes: a range
            # that shrinks below the position moves it already (at the end of the list),
            # and moving it by ``shift`` again put the last cards below the viewport.
            place = bar.value() + shift
            if changed:
                self.updateGeometries()  # the scroll range, before the position moves
            if shift:
                # The content moved as much as the position: no pixel is where a
                # scroll would move it, so everything in sight is painted again.
                bar.setValue(place)
            if shift or in_sight:
                self.viewport().update()
        finally:
            self._busy = False
        return changed

    def _measure_shown(self) -> None:
        """Measure the rows in sight, until measuring brings no other row into sight."""
        model = self.model()
        if model is None or self._busy:
            return
        for _ in range(20):
            first = self.rowAt(0)
            if first < 0:
                return
            last = self.rowAt(self.viewport().height() - 1)
            if last < 0:
                last = model.rowCount() - 1
            if not self._measure(range(first, last + 1)):
                return

    def _around(self, row: int) -> Iterator[int]:
        """``row``, then the rows a viewport's height above and below it."""
        header, reach = self.verticalHeader(), self.viewport().height()
        count = self.model().rowCount()
        yield row
        seen, above = 0, row - 1
        while above >= 0 and seen < reach:
            yield above  # measured before the next step reads its height
            seen += header.sectionSize(above)
            above -= 1
        seen, below = header.sectionSize(row), row + 1
        while below < count and seen < reach:
            yield below
            seen += header.sectionSize(below)
            below += 1

    def _measure_all(self) -> None:
        """Every row may have another height now (new rows, width, font or delegate)."""
        self.verticalHeader().setSectionResizeMode(NOT_MEASURED)
        self._scan = None
        self._scan_from(0)
        self._measure_shown()

    def _scan_from(self, row: int) -> None:
        """Measure the rows from ``row`` on while idle, starting after the next paint."""
        self._scan = row if self._scan is None else min(self._scan, row)
        if not self._idle.isActive():
            self.viewport().update()  # the paint starts the idle measuring: it delays no paint

    def _measure_some(self, deadline: float) -> bool:
        """One idle slice: measure rows after ``_scan`` until ``deadline`` (at most
        ``IDLE_SLICE_S``); True if rows are left. A hidden list (the full list while
        a search shows, or the search list after it) measures nothing: its next paint
        starts again where it was."""
        model = self.model()
        count = model.rowCount() if model is not None else 0
        if self._scan is None or self._scan >= count:
            self._scan = None
            return False
        if not self.isVisible():
            return False
        self._idle.pause_s = IDLE_PAUSE_S if _complete(model) else LOADING_PAUSE_S
        deadline = min(deadline, perf_counter() + IDLE_SLICE_S)
        next_row = self._scan

        def rows() -> Iterator[int]:
            nonlocal next_row
            while next_row < count and (next_row % 4 or perf_counter() < deadline):
                yield next_row
                next_row += 1

        self._measure(rows())
        self._scan = next_row
        return True

    def _set_estimate(self) -> None:
        """Before a reset: new rows start at the mean measured height (or a typical card's)."""
        if self._measured_count:
            estimate = round(self._measured_sum / self._measured_count)
        else:
            option = QStyleOptionViewItem()
            self.initViewItemOption(option)
            typical = getattr(self.itemDelegate(), "typical_height", None)
            estimate = typical(option) if typical is not None else DEFAULT_ESTIMATE
        self.verticalHeader().setDefaultSectionSize(max(1, estimate))

    def _forget_measured(self) -> None:
        """Heights measured at another width or font predict nothing now."""
        self._measured_sum = self._measured_count = 0

    def _rows_inserted(self, _parent, first: int, last: int) -> None:
        count = last - first + 1
        if self._scan is not None and first <= self._scan:
            self._scan += count  # the rows not measured yet moved down
        if count <= MEASURE_AT_ONCE:
            self._measure(range(first, last + 1))
        if self.verticalHeader().sectionResizeMode(first) != MEASURED:  # too many, or busy
            self._scan_from(first)

    def _rows_removed(self, _parent, first: int, last: int) -> None:
        if self._scan is not None and first < self._scan:
            self._scan = max(first, self._scan - (last - first + 1))  # they moved up

    def _rows_moved(self, _parent, start: int, end: int, _destination, row: int) -> None:
        count = end - start + 1
        new_start = row - count if row > end else row
        self._measure(range(new_start, new_start + count))
        scan = self._scan
        if scan is not None and start < scan < new_start + count:
            # Moved down past the scan: the rows between moved up, over it.
            self._scan = scan - count if scan > end else start
        if self.verticalHeader().sectionResizeMode(new_start) != MEASURED:  # busy
            self._scan_from(new_start)

    def _layout_changed(self) -> None:
        self._measure_all()  # the header started again (see _HeaderRows)


def _complete(model) -> bool:
    """False while the list model's quotes (behind any proxy) are still streaming in."""
    source = getattr(model, "sourceModel", None)
    quotes = getattr(source() if source is not None else model, "quotes", None)
    return getattr(quotes, "complete", True)
