"""User text shown as text: never as HTML that Qt would guess it to be.

A QLabel, a tooltip or a message box decides by itself whether a string is
rich text (``Qt::mightBeRichText``); a quote or a collection name holding
``<img src=...>`` would load a local image or dress itself up as part of the
question. Labels here are fixed to plain text, and tooltips, which cannot be,
get the text escaped inside a paragraph that keeps its line breaks.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

#: A tooltip wraps at about this many characters; longer text gets a shorter excerpt.
TOOLTIP_EXCERPT = 600


def label(text: str = "") -> QLabel:
    """A label that shows ``text`` (and everything later set) as plain text."""
    shown = QLabel()
    shown.setTextFormat(Qt.TextFormat.PlainText)
    shown.setText(text)
    return shown


def tooltip(text: str, limit: int = TOOLTIP_EXCERPT) -> str:
    """``text`` as a tooltip shows it, cut to ``limit`` characters with an ellipsis."""
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"
