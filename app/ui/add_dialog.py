"""The Add Quote dialog (and, filled in, Edit Quote): validates as you type.

OK stays disabled until ``validate_fields`` accepts the quote, and once the
user has typed, the hint line says, in the schema's words, what is still
wrong (nothing is wrong before anyone typed). OK does not close the
dialog: it emits ``submitted`` and waits; the window calls ``saved()`` once
the store has the quote, or ``not_saved(reason)``, which keeps everything the
user typed so they can try again.

Editing, it holds the quote as it opened it (``seen``); when the live feed
brings a newer version (``changed_elsewhere``), a notice with a Review button
replaces "Ready to save." at once, and ``load`` puts their version in the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.client import MAX_AUTHOR, MAX_CONTENT, InvalidQuote, Quote
from app.ui.colours import recede

if TYPE_CHECKING:
    from app.client import QuoteFields


class _Counter(QLabel):
    """ "12 / 200", in the error colour once over the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._limit = limit
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        recede(self)
        self.show_count(0)

    def show_count(self, count: int) -> None:
        self.setText(f"{count} / {self._limit}")
        over = count > self._limit
        self.setStyleSheet("color: #d64545; font-weight: 600;" if over else "")


class QuoteDialog(QDialog):
    #: The validated QuoteFields the user asked to save.
    submitted = Signal(object)
    #: The user asked to compare their text with the newer version (``theirs``).
    review = Signal()

    def __init__(self, author: str = "", content: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editing = bool(author or content)
        #: What the form was filled with: editing, Save waits for a change to it.
        self._original = (author.strip(), content.strip())
        self.setWindowTitle("Edit Quote" if self._editing else "Add Quote")
        self.setMinimumWidth(460)
        self._fields: QuoteFields | None = None
        self._saving = False
        self._touched = False
        #: The id of the quote being edited (None: a new quote).
        self.quote_id: str | None = None
        #: The quote as the form was filled from it (editing only).
        self.seen: Quote | None = None
        #: A newer version saved by someone else since (None: none seen).
        self.theirs: Quote | None = None

        self.content = QPlainTextEdit()
        self.content.setPlaceholderText("What was said?")
        self.content.setTabChangesFocus(True)
        self.content_count = _Counter(MAX_CONTENT)
        self.author = QLineEdit()
        self.author.setPlaceholderText("Who said it?")
        self.author_count = _Counter(MAX_AUTHOR)
        self.hint = QLabel()
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")
        self.notice = QLabel("Changed by someone else since you opened it.")
        self.notice.setWordWrap(True)
        self.notice.setObjectName("notice")
        self.review_button = QPushButton("&Review…")
        self.review_button.setAutoDefault(False)
        self.review_button.setToolTip("Compare their version with yours, then choose")
        self.notice_box = QWidget()
        notice_row = QHBoxLayout(self.notice_box)
        notice_row.setContentsMargins(0, 0, 0, 0)
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.review_button)
        self.notice_box.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Save" if self._editing else "&Add")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Cancel")
        self.content.setPlainText(content)
        self.author.setText(author)

        form = QFormLayout()
        form.addRow("&Quote:", _with_counter(self.content, self.content_count))
        form.addRow("&Author:", _with_counter(self.author, self.author_count))
        layout = QVBoxLayout(self)
        # No layout-imposed minimum on the window: size hints are set once, before it shows.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.notice_box)
        layout.addWidget(self.buttons)

        self.content.textChanged.connect(self._typed)
        self.author.textChanged.connect(self._typed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.review_button.clicked.connect(self.review)
        self._validate()

    def fields(self) -> QuoteFields | None:
        """The validated quote, or None while something is wrong."""
        return self._fields

    def accept(self) -> None:
        if self._fields is not None and not self._saving:
            self._saving = True
            self.ok.setEnabled(False)
            self.hint.setText("Saving…")
            self.submitted.emit(self._fields)

    def saved(self) -> None:
        """The store has the quote: close."""
        self._saving = False
        super().accept()

    def not_saved(self, reason: str) -> None:
        """The store refused or is offline: say so, keep the text, allow a retry."""
        self._saving = False
        self.ok.setEnabled(self._fields is not None)
        self.hint.setText(f"Not saved: {reason}. Your text is kept: try again.")

    def not_saved_conflict(self, theirs: Quote) -> None:
        """The save was refused: someone else changed the quote. Keep the text, offer Review."""
        self._saving = False
        self.changed_elsewhere(theirs)
        self.hint.setText("Not saved: someone else changed this quote. Your text is kept.")

    @property
    def saving(self) -> bool:
        return self._saving

    def typed(self) -> tuple[str, str]:
        """The author and text in the form now, as typed."""
        return self.author.text(), self.content.toPlainText()

    def changed_elsewhere(self, theirs: Quote) -> None:
        """Someone else saved ``theirs``, a newer version than the form's: say so now."""
        self.theirs = theirs
        self.notice_box.show()
        self._validate()

    def load(self, quote: Quote) -> None:
        """Fill the form from ``quote`` (their version), dropping what was typed."""
        self.seen, self.theirs = quote, None
        self._saving = False
        self._original = (quote.author, quote.content)
        self.notice_box.hide()
        self.content.setPlainText(quote.content)
        self.author.setText(quote.author)
        self.hint.setText("Their version is loaded: edit it, or Cancel to keep it.")

    def gone(self) -> None:
        """The quote being edited was deleted elsewhere: nothing left to save it to."""
        self._saving = False
        self.ok.setEnabled(False)
        self.hint.setText("Not saved: someone deleted this quote. Copy your text if you need it.")

    def _typed(self) -> None:
        self._touched = True
        self._validate()

    def _validate(self) -> None:
        content, author = self.content.toPlainText(), self.author.text()
        self.content_count.show_count(len(content.strip()))
        self.author_count.show_count(len(author.strip()))
        # Validation (pydantic) loads when the first dialog opens, not with the window.
        from app.client import validate_fields

        try:
            self._fields = validate_fields(content=content, author=author)
        except InvalidQuote as exc:
            self._fields = None
            message = str(exc).replace("content", "the quote", 1)
            self.hint.setText(message[0].upper() + message[1:] + "." if self._touched else "")
        else:
            if self.unchanged:
                ready = "Nothing changed yet." if self._touched else ""
            else:
                ready = "Ready to save." if self._editing else "Ready to add."
            self.hint.setText("" if self.theirs is not None else ready)
        self.ok.setEnabled(self._fields is not None and not self._saving and not self.unchanged)

    @property
    def unchanged(self) -> bool:
        """Editing, and the form says what it was filled with (nothing to save)."""
        author, content = self.typed()
        return self._editing and (author.strip(), content.strip()) == self._original


def _with_counter(editor: QWidget, counter: QLabel) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(editor)
    row = QHBoxLayout()
    row.addStretch()
    row.addWidget(counter)
    layout.addLayout(row)
    return box
