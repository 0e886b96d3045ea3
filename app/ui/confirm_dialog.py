"""Asks before a quote is deleted, showing which quote it is.

It follows the quote while it is open: an edit made elsewhere shows at once
(and the delete then names that version), a delete made elsewhere leaves
only Close. Cancel is the default button; Tab to Delete makes Return delete
(both buttons are auto-default, as in any dialog); Alt+D and Alt+C work too.
"""

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

from app.client import Quote
from app.ui import icons
from app.ui.colours import recede

EXCERPT = 200


class ConfirmDeleteDialog(QDialog):
    def __init__(self, quote: Quote, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The version of the quote the dialog shows (and a Delete deletes).
        self.seen = quote
        self.setWindowTitle("Delete Quote")
        self.setMinimumWidth(420)

        icon = QLabel()
        icon.setPixmap(icons.themed("delete").pixmap(QSize(32, 32), self.devicePixelRatioF()))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.question = question = QLabel()
        question.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(question.font())
        bold.setBold(True)
        question.setFont(bold)
        question.setWordWrap(True)

        self.excerpt = excerpt = QLabel()
        excerpt.setWordWrap(True)
        excerpt.setTextFormat(Qt.TextFormat.PlainText)
        excerpt.setFrameShape(QFrame.Shape.StyledPanel)
        excerpt.setBackgroundRole(QPalette.ColorRole.Base)
        excerpt.setAutoFillBackground(True)
        excerpt.setMargin(10)
        self.edited_note = QLabel("Someone edited this quote meanwhile: this is it now.")
        self.edited_note.setWordWrap(True)
        self.edited_note.hide()
        note = QLabel("It disappears for everyone who shares this store.")
        recede(note)
        note.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = buttons.addButton("&Delete", QDialogButtonBox.ButtonRole.AcceptRole)
        self.delete_button.setIcon(icons.themed("delete"))
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("&Cancel")
        for button in (self.delete_button, self.cancel_button):
            button.setAutoDefault(True)  # the focused button is the one Return presses
        self.cancel_button.setDefault(True)
        self.gone_note = QLabel("Someone deleted this quote meanwhile: nothing left to delete.")
        self.gone_note.setWordWrap(True)
        self.gone_note.hide()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        text = QVBoxLayout()
        text.addWidget(question)
        text.addWidget(excerpt)
        text.addWidget(self.edited_note)
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
        self.quote_id: str | None = quote.id
        self._show(quote)
        self.cancel_button.setFocus()

    def _show(self, quote: Quote) -> None:
        self.seen = quote
        self.question.setText(f"Delete this quote by {quote.author}?")
        content = quote.content
        self.excerpt.setText(
            f"“{content if len(content) <= EXCERPT else content[: EXCERPT - 1].rstrip() + '…'}”"
        )

    def changed_elsewhere(self, quote: Quote) -> None:
        """Someone edited the quote: show what it says now (a Delete deletes that)."""
        self._show(quote)
        self.edited_note.show()

    def gone(self) -> None:
        """The quote was deleted elsewhere: say so; only Close is left."""
        self.gone_note.show()
        self.edited_note.hide()
        self.delete_button.setEnabled(False)
        self.cancel_button.setText("&Close")
        self.cancel_button.setFocus()
