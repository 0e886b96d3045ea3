"""The card list view: it keeps the reader's place while the list changes.

A list view keeps its scroll offset in pixels, so a quote inserted, removed
or moved above the viewport would shift everything the reader is looking at.
Before such a change this view remembers the card at the top of the viewport
and where it was; after it (once per event-loop turn, however many rows a
batch touched) it scrolls so that card is back where it was. At the very top
of the list it stays at the top, so new quotes come into view.

A like must not cost a relayout: ``QListView`` (list mode) lays out every row
again on any ``dataChanged``, asking the delegate for each row's size, which
is O(rows) per like. Changes confined to roles a card's size does not depend
on (``REPAINT_ONLY_ROLES``) only repaint the card.

The cards sit on the window colour, and an empty list says what to do.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QFrame, QListView

from app.ui.delegate import REPAINT_ONLY_ROLES


class QuoteListView(QListView):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalScrollBar().setSingleStep(24)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.setViewportMargins(0, 6, 0, 6)
        self._placeholder = ""
        self._anchor = QPersistentModelIndex()
        self._anchor_top = 0
        self._follow = QPersistentModelIndex()
        self._restore = QTimer(self, singleShot=True, interval=0)
        self._restore.timeout.connect(self._restore_place)

    def setModel(self, model) -> None:
        # Connected before the view's own slots, so the place is noted while the
        # view's layout still matches the model.
        for before in (
            model.rowsAboutToBeInserted,
            model.rowsAboutToBeRemoved,
            model.rowsAboutToBeMoved,
        ):
            before.connect(self._hold_place)
        for after in (model.rowsInserted, model.rowsRemoved, model.rowsMoved):
            after.connect(self._restore.start)
        super().setModel(model)

    def dataChanged(self, topLeft, bottomRight, roles=()) -> None:
        """Repaint only, when no changed role can alter a card's size; else relayout.

        ``QAbstractItemView.dataChanged`` repaints the changed cards (and keeps
        accessibility informed); ``QListView.dataChanged`` adds a delayed
        relayout of every row, needed only if a card may have changed height.
        An empty ``roles`` means any role may have changed.
        """
        if roles and REPAINT_ONLY_ROLES.issuperset(roles):
            QAbstractItemView.dataChanged(self, topLeft, bottomRight, roles)
        else:
            super().dataChanged(topLeft, bottomRight, roles)

    def follow(self, index: QModelIndex) -> None:
        """After the pending changes, scroll ``index`` into view instead of holding the place."""
        self._follow = QPersistentModelIndex(index)
        self._restore.start()

    def setPlaceholderText(self, text: str) -> None:
        self._placeholder = text
        self.viewport().update()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        model = self.model()
        if self._placeholder and model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._placeholder,
            )

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
            bar.setValue(
                bar.value() + self.visualRect(QModelIndex(anchor)).top() - self._anchor_top
            )
