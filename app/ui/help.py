"""Help: the keyboard shortcuts (F1) and About (version, store, engine, links)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

import app
from app.ui import plain_text

HOMEPAGE = "https://quotesapp.org/"
#: Keys that are not actions of the window's menus.
LIST_KEYS = (
    ("Up, Down, Page Up, Page Down", "Move between quotes"),
    ("Home, End", "First, last quote"),
    ("Enter", "Show the whole quote beside the list"),
    ("A letter", "Search for it (L likes a selected quote instead)"),
    ("Down in the search", "Into the list of matches"),
    ("Esc", "Close the search"),
    ("Right click", "What you can do with a quote"),
)


class ShortcutsDialog(QDialog):
    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        grid = QGridLayout()
        rows = [
            (
                action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
                action.text().replace("&", "").rstrip("…"),
            )
            for action in actions
            if not action.shortcut().isEmpty()
        ]
        for row, (keys, what) in enumerate([*rows, *LIST_KEYS]):
            key_label = plain_text.label(keys)
            key_label.setStyleSheet("font-weight: 600")
            grid.addWidget(key_label, row, 0)
            grid.addWidget(plain_text.label(what), row, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # No layout-imposed minimum on the window: size hints are set once, before it shows.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addLayout(grid)
        layout.addWidget(buttons)


def about_text(store: str) -> str:
    """About's text as rich text, the store's description escaped (it holds a path)."""
    engine = "FoundationDB" if store.startswith("FoundationDB") else "SQLite (embedded)"
    return (
        f"<h3>Quotes {html.escape(app.__version__)}</h3>"
        "<p>A live list of quotes: every window sees every change as it happens.</p>"
        f"<p><b>Store:</b> {html.escape(store)}<br><b>Engine:</b> {engine}</p>"
        f"<p><a href='{HOMEPAGE}'>{HOMEPAGE}</a> · Run <code>quotes --help</code> "
        "for the command line.</p>"
    )


def show_about(store: str, parent: QWidget) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle("About Quotes")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text(store))
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    for label in box.findChildren(QLabel):
        label.setOpenExternalLinks(True)
    box.open()
    return box
