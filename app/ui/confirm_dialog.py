"""Asks before a quote is deleted, showing which quote it is."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from app.ui import icons
from app.ui.colours import recede

EXCERPT = 200


class ConfirmDeleteDialog(QDialog):
    def __init__(self, author: str, content: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Delete Quote")
        self.setMinimumWidth(420)

        icon = QLabel()
        icon.setPixmap(icons.themed("delete").pixmap(QSize(32, 32), self.devicePixelRatioF()))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        question = QLabel()
        question.setTextFormat(Qt.TextFormat.PlainText)
        question.setText(f"Delete this quote by {author}?")
        bold = QFont(question.font())
        bold.setBold(True)
        question.setFont(bold)
        question.setWordWrap(True)

        excerpt = content if len(content) <= EXCERPT else content[: EXCERPT - 1].rstrip() + "…"
        quote = QLabel(f"“{excerpt}”")
        quote.setWordWrap(True)
        quote.setTextFormat(Qt.TextFormat.PlainText)
        quote.setFrameShape(QFrame.Shape.StyledPanel)
        quote.setBackgroundRole(QPalette.ColorRole.Base)
        quote.setAutoFillBackground(True)
        quote.setMargin(10)
        note = QLabel("It disappears for everyone who shares this store.")
        recede(note)
        note.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = buttons.addButton("Delete", QDialogButtonBox.ButtonRole.AcceptRole)
        self.delete_button.setIcon(icons.themed("delete"))
        self.delete_button.setAutoDefault(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.gone_note = QLabel("Someone deleted this quote meanwhile: nothing left to delete.")
        self.gone_note.setWordWrap(True)
        self.gone_note.hide()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        text = QVBoxLayout()
        text.addWidget(question)
        text.addWidget(quote)
        text.addWidget(note)
        text.addWidget(self.gone_note)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addLayout(text, 1)
        layout = QVBoxLayout(self)
        # No layout-imposed minimum on the window: size hints are set once, before it shows.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addLayout(row)
        layout.addWidget(buttons)
        #: The id of the quote it asks about.
        self.quote_id: str | None = None

    def gone(self) -> None:
        """The quote was deleted elsewhere: say so; only Cancel (now Close) is left."""
        self.gone_note.show()
        self.delete_button.setEnabled(False)
