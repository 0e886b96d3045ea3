"""The "N new ↑" pill: quotes that arrived above the part of the list being read.

The view keeps the reader's place when quotes are added above it (it does
not jump), so this pill says how many arrived up there; clicking it scrolls
to the top, where they are. Scrolling to the top by hand also clears it.
Near the top (scrolled to 0) new quotes simply come into view: no pill.

The pill is a child of the view, laid over its viewport, not a child of the
viewport: a scroll area scrolls its viewport's children with the content, so
the view's keeping the reader's place (it scrolls right after an insert)
would drag a viewport child off screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QPushButton

from app.client import counted

MARGIN = 10


class NewQuotesPill(QPushButton):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self.count = 0
        self._top_row = -1
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Scroll to the newest quotes")
        self.setStyleSheet(
            "QPushButton { border-radius: 13px; padding: 4px 14px; font-weight: 600;"
            " background: palette(highlight); color: palette(highlighted-text); }"
        )
        self.hide()
        model = view.model()
        model.rowsAboutToBeInserted.connect(self._note_top)
        model.rowsInserted.connect(self._inserted)
        model.modelReset.connect(self.clear)
        view.verticalScrollBar().valueChanged.connect(self._scrolled)
        view.viewport().installEventFilter(self)
        self.clicked.connect(self._go)

    def _note_top(self, *_: object) -> None:
        bar = self._view.verticalScrollBar()
        self._top_row = self._view.rowAt(0) if bar.value() > 0 else -1

    def _inserted(self, _parent, first: int, last: int) -> None:
        if 0 <= first <= self._top_row:
            self.count += last - first + 1
            self.setText(f"{self.count} new ↑")
            self.setAccessibleName(f"{counted(self.count, 'new quote')} above; scroll to them")
            self.adjustSize()
            self._place()
            self.show()
            self.raise_()

    def clear(self) -> None:
        self.count = 0
        self.hide()

    def _scrolled(self, value: int) -> None:
        if value == 0:
            self.clear()

    def _go(self) -> None:
        self._view.scrollToTop()
        self.clear()

    def _place(self) -> None:
        area = self._view.viewport().geometry()
        self.move(area.left() + (area.width() - self.width()) // 2, area.top() + MARGIN)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._place()
        return False
