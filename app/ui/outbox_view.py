"""The changes waiting to be sent: a status-bar button saying how many, and a small list with Discard.

The button shows only while changes wait ("3 changes waiting to be sent");
it opens the list, one line per change, oldest first, which follows the
outbox as changes are queued and sent. Discard drops the selected changes
unsent (their quotes show as the store has them). A queued edit or delete
that finds the quote changed meanwhile opens the conflict view; a change
dropped because its quote was deleted says so in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStatusBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.client import OutboxEntry, QuoteSession, WriteConflict


def waiting_text(count: int) -> str:
    return f"{count:,} change{'' if count == 1 else 's'} waiting to be sent"


class OutboxList(QDialog):
    """The changes waiting, with Discard."""

    def __init__(self, parent: QWidget, discard: Callable[[list[OutboxEntry]], None]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Waiting to Be Sent")
        self.setMinimumWidth(420)
        self._discard = discard
        self.entries = QListWidget()
        self.entries.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.entries.setAccessibleName("Changes waiting to be sent")
        self.discard_button = QPushButton("Discard")
        self.discard_button.setToolTip("Drop the selected changes: they are never sent")
        self.discard_button.clicked.connect(self._discard_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.entries)
        layout.addWidget(buttons)
        self.entries.itemSelectionChanged.connect(self._selection_changed)
        self._selection_changed()

    def show_entries(self, entries: list[OutboxEntry]) -> None:
        self.entries.clear()
        for entry in entries:
            item = QListWidgetItem(f"{entry.queued_at.astimezone():%H:%M}  {entry.describe()}")
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.entries.addItem(item)
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.discard_button.setEnabled(bool(self.entries.selectedItems()))

    def _discard_selected(self) -> None:
        chosen = [item.data(Qt.ItemDataRole.UserRole) for item in self.entries.selectedItems()]
        if chosen:
            self._discard(chosen)


class OutboxPanel:
    """The window's view of its outbox (see the module's docstring)."""

    def __init__(
        self,
        parent: QWidget,
        session: QuoteSession,
        bar: QStatusBar,
        say: Callable[[str], None],
        ask: Callable[[WriteConflict], object],
    ) -> None:
        outgoing = session.outgoing
        assert outgoing is not None
        self.button = QToolButton()
        self.button.setAutoRaise(True)
        self.button.setToolTip("Made while the store was out of reach: show them")
        self.button.hide()
        bar.addPermanentWidget(self.button)
        self.list = OutboxList(parent, lambda entries: session.spawn(outgoing.discard(entries)))
        self.button.clicked.connect(self.open_list)
        self._entries: list[OutboxEntry] = []
        outgoing.on_count = self._count
        outgoing.on_note = say
        outgoing.on_conflict = ask

    def open_list(self) -> None:
        self.list.show_entries(self._entries)
        self.list.open()

    def _count(self, entries: list[OutboxEntry]) -> None:
        self._entries = entries
        self.button.setText(waiting_text(len(entries)))
        self.button.setVisible(bool(entries))
        if self.list.isVisible():  # filled when opened: a thousand likes sent are not a thousand refills
            self.list.show_entries(entries)
