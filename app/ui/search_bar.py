"""The search field above the list (Ctrl+F): type to filter, Esc or × to close."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QWidget

from app.ui import plain_text


class SearchBar(QWidget):
    #: The text to search for ("" when the bar closes).
    changed = Signal(str)
    #: Down in the field: the user moves into the list.
    down = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Search authors and quotes")
        self.field.setAccessibleName("Search")
        self.field.setClearButtonEnabled(True)
        self.count = plain_text.label()
        close = QToolButton()
        close.setText("×")
        close.setAccessibleName("Close search")
        close.setToolTip("Close the search (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 0)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(close)
        self.field.textChanged.connect(self.changed)
        close.clicked.connect(self.close_search)
        self.field.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.field
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Down)
        ):
            if event.key() == Qt.Key.Key_Escape:
                self.close_search()
            else:
                self.down.emit()
            return True
        return super().eventFilter(watched, event)

    def open_search(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        self.changed.emit(self.field.text())

    def type_to_search(self, text: str) -> None:
        """A key typed in the list: a new search starting with it (or more of the open one)."""
        if self.isVisible():
            self.field.setFocus()
            self.field.insert(text)
            return
        self.show()
        self.field.setFocus()
        if self.field.text() == text:
            self.changed.emit(text)  # no textChanged for the same text: search again
        else:
            self.field.setText(text)

    def close_search(self) -> None:
        self.hide()
        self.changed.emit("")

    def show_count(self, shown: int, total: int, more: bool = False) -> None:
        """``more``: the search is still answering, ``shown`` may grow ("1,024… of 1,000,000")."""
        self.count.setText(f"{shown:,}{'…' if more else ''} of {total:,}")
