"""The detail pane: one quote in full, selectable, following the store live.

It shows the whole text (cards stop at a dozen lines), the author, the likes
and when the quote was added and last edited. It follows the quote with a
live record, so another person's like or edit shows at once, and when the
quote is deleted elsewhere it says so and keeps the text, to read or copy.
"""

from __future__ import annotations

import asyncio

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from app.client import Quote, QuoteSession, counted
from app.ui import plain_text
from app.ui.colours import recede
from app.ui.dates import clock, exact, relative
from app.ui.delegate import format_count

NOTHING = "Select a quote to read it whole."
GONE = "This quote was deleted elsewhere. Its text stays here until you select another."


class DetailPane(QWidget):
    def __init__(self, session: QuoteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._task: asyncio.Task | None = None
        self.quote_id: str | None = None
        self.quote: Quote | None = None

        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Quote")
        self.text.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        font = QFont(self.text.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.text.setFont(font)
        self.author = plain_text.label()
        self.author.setWordWrap(True)
        italic = QFont(self.author.font())
        italic.setItalic(True)
        self.author.setFont(italic)
        self.likes = plain_text.label()
        self.times = plain_text.label()
        self.times.setWordWrap(True)
        recede(self.times)
        self.state = plain_text.label(NOTHING)
        self.state.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.author)
        layout.addWidget(self.likes)
        layout.addWidget(self.times)
        self._show(None)
        clock().ticked.connect(self._show_times)

    def follow(self, quote_id: str | None) -> None:
        """Show ``quote_id`` and follow it (None: nothing selected, so nothing shown,
        unless the pane says its quote was deleted elsewhere: that stays)."""
        if quote_id is None:
            if self.state.text() != GONE:
                self.clear()
            return
        if quote_id == self.quote_id:
            return
        self.stop()
        self.quote_id = quote_id
        self._task = self._session.follow_quote(quote_id, self._show)

    def deleted_elsewhere(self, quote_id: str) -> None:
        """The list lost ``quote_id`` to someone else's delete: say so now (the live
        record may tell a moment later), and keep the text until another selection."""
        if quote_id == self.quote_id and self.quote is not None:
            self._show(None)

    def stop(self) -> None:
        """Stop following (the window hid the pane, or shows another collection)."""
        if self._task is not None:
            self._task.cancel()
        self._task = self.quote_id = None

    def clear(self) -> None:
        """Show nothing (no quote selected)."""
        self.stop()
        self.quote = None
        self._show(None)
        for label in (self.author, self.likes, self.times):
            label.clear()
        self.text.clear()

    def _show(self, quote: Quote | None) -> None:
        if quote is None:
            self.state.setText(GONE if self.quote is not None else NOTHING)
            self.state.setVisible(True)
            return
        self.quote = quote
        self.state.setVisible(False)
        if self.text.toPlainText() != quote.content:
            self.text.setPlainText(quote.content)
        self.author.setText(f"— {quote.author}")
        self.likes.setText(counted(quote.likes, "like", shown=format_count(quote.likes)))
        self._show_times()

    def _show_times(self) -> None:
        """When the quote was added and edited, as of the clock the cards read too."""
        quote = self.quote
        if quote is None:
            return
        added = f"Added {relative(quote.inserted_at)} ({exact(quote.inserted_at)})"
        if quote.updated_at != quote.inserted_at:
            added += f"\nEdited {relative(quote.updated_at)} ({exact(quote.updated_at)})"
        self.times.setText(added)
