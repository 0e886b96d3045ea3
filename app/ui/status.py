"""The status bar: which store, which collection, connected or not, how fresh.

Every text here may hold user text (a path, a collection's name), so every
label shows plain text. The coloured dot beside "Connected" is decoration:
assistive tools read only the word.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QColor, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStatusBar, QToolButton, QWidget

from app.client import counted
from app.ui.elided_label import ElidedLabel
from app.ui.plain_text import label as _plain

MESSAGE_MS = 10_000

_STATES = {
    # problem: None (connecting), "" (connected), else offline
    None: ("Connecting…", "#b58a00", "Reading the store"),
    "": ("Connected", "#2f9e63", "Live: changes show as they happen"),
}


def _dot(colour: str, ratio: float) -> QPixmap:
    """A filled circle: an image, so assistive tools do not read it out."""
    size = 10
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return pixmap


class StatusArea:
    """The labels of the window's status bar."""

    def __init__(self, bar: QStatusBar, store: str, undo: QAction) -> None:
        self._bar = bar
        self.notice_box = QWidget()
        self.notice_label = _plain()
        self.undo_button = QToolButton()
        self.undo_button.setText("Undo")
        self.undo_button.setToolTip(undo.toolTip())
        self.undo_button.clicked.connect(undo.trigger)
        layout = QHBoxLayout(self.notice_box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.undo_button)
        self.notice_box.hide()
        self._notice_timer = QTimer(singleShot=True, interval=MESSAGE_MS)
        self._notice_timer.timeout.connect(self.notice_box.hide)
        self.store_label = ElidedLabel(store)
        self.collection_label = _plain()
        self.connection = ""
        self._dot = QLabel()
        self._word = _plain()
        connection = QWidget()
        layout = QHBoxLayout(connection)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._dot)
        layout.addWidget(self._word)
        self.connection_widget = connection
        self.sync_label = _plain("Not synced yet")
        bar.addWidget(self.notice_box)
        bar.addWidget(self.store_label, 1)
        for widget in (self.collection_label, connection, self.sync_label):
            bar.addPermanentWidget(widget)
        self.show_connection(None)

    def say(self, message: str) -> None:
        self.notice_box.hide()
        self._bar.showMessage(message, MESSAGE_MS)

    def notice(self, message: str) -> None:
        """A short notice with an Undo button (mail and file managers do this)."""
        self._bar.clearMessage()
        self.notice_label.setText(message)
        self.notice_box.show()
        self._notice_timer.start()

    def show_collection(self, name: str) -> None:
        self.collection_label.setText(f"Collection: {name}")

    def show_connection(self, problem: str | None, as_of: datetime | None = None) -> None:
        """None: connecting; "": connected; else offline, for that reason (``as_of``: when
        the list shown was last the store's)."""
        offline = f"Offline — as of {as_of:%H:%M}" if as_of is not None else "Offline"
        text, colour, tip = _STATES.get(problem) or (offline, "#d64545", f"Offline, retrying: {problem}")
        self.connection = text
        self._word.setText(text)
        if problem:  # what was read may be stale now: never "Up to date" while offline
            self.sync_label.setText("Not up to date")
            self.sync_label.setToolTip("Offline: changes made elsewhere show once the store is back")
        self._dot.setPixmap(_dot(colour, self._bar.devicePixelRatioF()))
        self.connection_widget.setToolTip(tip)

    def show_loading(self, loaded: int, total: int | None) -> None:
        """A collection streaming in: how much of it is shown so far."""
        if total is not None and total >= loaded:
            self.sync_label.setText(f"Loading… {loaded:,} of {counted(total, 'quote')}")
        else:
            self.sync_label.setText(f"Loading… {counted(loaded, 'quote')}")
        self.sync_label.setToolTip("The newest quotes are shown; older ones are still arriving")

    def show_synced(self, changed: bool) -> None:
        """The store was read: 'Up to date', and when something last changed."""
        if changed:
            self.sync_label.setText(f"Last change {datetime.now():%H:%M}")
            self.sync_label.setToolTip(f"Up to date; the last change arrived at {datetime.now():%H:%M:%S}")
        elif not self.sync_label.text().startswith("Last change"):
            self.sync_label.setText("Up to date")
            self.sync_label.setToolTip("Up to date: the list shows what the store holds")
