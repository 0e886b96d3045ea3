"""The conflict view: someone else changed the quote; theirs and yours side by side.

Shown when the store refused an edit, an undo or a delete because the quote
moved on since the user saw it (``app.client.WriteConflict``), or when the
edit dialog's "Review" asks before saving. It never writes: it emits
``chosen`` with the user's ``Choice`` and closes; the window carries it out.
Reload (keep theirs) is the default button, so Enter never overwrites
anyone's work; Esc cancels. The two versions sit side by side, one above
the other when the dialog is narrow; every text in them can be selected
(mouse or keyboard) and copied.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.client import Action, Choice, Quote, WriteConflict
from app.ui.colours import recede

#: Narrower than this, theirs sits above yours.
SIDE_BY_SIDE_MIN = 560

_EXPLAINED = {
    Action.EDIT: "Someone else changed this quote after you opened it. Your edit is not saved yet.",
    Action.UNDO_EDIT: "Someone else changed this quote after your edit. Nothing was undone yet.",
    Action.RESTORE: "This quote is back, changed by someone else. Nothing was undone yet.",
    Action.DELETE: "Someone else changed this quote after you saw it. It was not deleted.",
}
_YOURS_TITLE = {
    Action.EDIT: "Yours — not saved",
    Action.UNDO_EDIT: "Yours — as before your edit",
    Action.RESTORE: "Yours — as you deleted it",
    Action.DELETE: "Yours — delete it",
}
_BUTTONS = {
    Choice.RELOAD: ("&Reload", "Keep their version and drop yours"),
    Choice.OVERWRITE: ("&Overwrite", "Write your version over theirs"),
    Choice.SAVE_AS_NEW: ("Save as &New", "Keep theirs and add yours as a new quote"),
}
_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard


class _Side(QFrame):
    """One version: a heading, the quote's text and its author, selectable."""

    def __init__(self, heading: str, quote: Quote | None, note: str = "") -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self.heading = QLabel(heading)
        bold = QFont(self.heading.font())
        bold.setBold(True)
        self.heading.setFont(bold)
        self.content = _text(f"“{quote.content}”" if quote is not None else note)
        self.author = _text(f"— {quote.author}" if quote is not None else "")
        recede(self.author, QPalette.ColorRole.Base)
        self.author.setVisible(quote is not None)
        body = QWidget()
        body.setBackgroundRole(QPalette.ColorRole.Base)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.content)
        column.addWidget(self.author)
        column.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMaximumHeight(260)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        self.setAccessibleName(heading)


class ConflictDialog(QDialog):
    #: The user's answer (a ``Choice``); not emitted when cancelled.
    chosen = Signal(object)

    def __init__(self, conflict: WriteConflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.setWindowTitle("Changed by Someone Else")
        self.setMinimumWidth(420)
        title = QLabel("This quote was changed by someone else")
        big = QFont(title.font())
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 1.15)
        title.setFont(big)
        title.setWordWrap(True)
        explained = QLabel(_EXPLAINED[conflict.action])
        explained.setWordWrap(True)

        self.theirs = _Side("Theirs — saved now", conflict.theirs)
        self.yours = _Side(
            _YOURS_TITLE[conflict.action], conflict.yours, note="Delete this quote for everyone."
        )
        self._sides = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._sides.addWidget(self.theirs, 1)
        self._sides.addWidget(self.yours, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.choice_buttons: dict[Choice, QPushButton] = {}
        for choice in conflict.choices:
            text, tip = _BUTTONS[choice]
            if choice is Choice.OVERWRITE and conflict.action is Action.DELETE:
                text, tip = "&Delete Anyway", "Delete their version"
            button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
            button.setToolTip(tip)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            self.choice_buttons[choice] = button
        self.reload_button = self.choice_buttons[Choice.RELOAD]
        self.reload_button.setAutoDefault(True)
        self.reload_button.setDefault(True)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        # No layout-imposed minimum on the window: size hints are set once, before it shows.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(title)
        layout.addWidget(explained)
        layout.addLayout(self._sides, 1)
        layout.addWidget(self.buttons)
        self.resize(640, self.sizeHint().height())

    def _choose(self, choice: Choice) -> None:
        self.chosen.emit(choice)
        self.accept()

    def showEvent(self, event: QShowEvent) -> None:
        self.reload_button.setFocus()
        super().showEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        narrow = event.size().width() < SIDE_BY_SIDE_MIN
        direction = QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        if self._sides.direction() != direction:
            self._sides.setDirection(direction)
        super().resizeEvent(event)


def _text(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(_SELECTABLE)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return label
