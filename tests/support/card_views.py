"""A card list on its own (a ``QuoteListView`` over a model of made-up quotes),
and what it measured: which rows it asked the height of, and when."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView

from app.client import Quote, Snapshot, Sort
from app.ui.delegate import QuoteDelegate
from app.ui.model import QuoteListModel
from app.ui.view import QuoteListView
from support.quotes import make_quote


class MeasuringDelegate(QuoteDelegate):
    """Records the rows the view asks the size of."""

    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self.sized: list[int] = []
        self.measuring = False

    def sizeHint(self, option: Any, index: Any) -> Any:
        self.sized.append(index.row())
        self.measuring = True
        try:
            return super().sizeHint(option, index)
        finally:
            self.measuring = False


class FirstPaint(QObject):
    """Notes the rows measured before the viewport's first paint."""

    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self.view = view
        self.sized: list[int] | None = None
        view.viewport().installEventFilter(self)

    def eventFilter(self, obj: Any, event: Any) -> bool:
        if event.type() == QEvent.Type.Paint and self.sized is None:
            self.sized = list(self.view.itemDelegate().sized)
        return False


def quotes(n: int) -> tuple[Quote, ...]:
    """``n`` quotes of one to nine lines, so a row's estimate is rarely its height."""
    return tuple(
        make_quote(f"q{i:05d}", i % 5, i, content=f"Quote {i} " + "words " * (i % 9 * 12)) for i in range(n)
    )


def make_view(
    qtbot: Any, n: int, height: int = 700, first_paint: bool = False, sort: Sort = Sort.NEWEST
) -> tuple[QuoteListView, FirstPaint | None]:
    """A shown view of ``n`` cards with a ``MeasuringDelegate`` (and a ``FirstPaint``)."""
    model = QuoteListModel(sort=sort)
    view = QuoteListView()
    view.setModel(model)
    view.setItemDelegate(MeasuringDelegate(view))
    view.resize(520, height)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    probe = FirstPaint(view) if first_paint else None
    model.apply(Snapshot(quotes(n)))
    return view, probe


def rows_in_sight(view: Any) -> range:
    first = view.rowAt(0)
    last = view.rowAt(view.viewport().height() - 1)
    return range(first, (last if last >= 0 else view.model().rowCount() - 1) + 1)


def is_measured(view: Any, row: int) -> bool:
    """True if ``row`` has its own measured height (not an estimate)."""
    return view.verticalHeader().sectionResizeMode(row) == QHeaderView.ResizeMode.Fixed


def all_measured(view: Any) -> bool:
    """True once every row has its measured height (the scroll bar is exact)."""
    return all(is_measured(view, row) for row in range(view.model().rowCount()))


def all_measured_soon(view: Any) -> Callable[[], bool]:
    """``all_measured`` as a condition to wait on: each call goes on from the first
    row it found not measured, and only a call that reaches the end checks every
    row again, so polling a long list does not slow down the measuring it waits for."""
    next_row = 0

    def check() -> bool:
        nonlocal next_row
        count = view.model().rowCount()
        while next_row < count and is_measured(view, next_row):
            next_row += 1
        if next_row < count:
            return False
        next_row = 0
        return all_measured(view)

    return check
