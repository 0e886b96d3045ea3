"""Asking the user about a conflict, and saying what their answer did.

Opens the conflict view (``ConflictDialog``) over the window or over the
edit dialog whose save was refused, carries out the choice through the
session (``QuoteSession.resolve``) and says what happened. An overwrite
refused again (the quote moved again meanwhile) asks again, with the newer
version. For an edit dialog, Reload loads their version into the form, and
a choice that saved something closes it.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from app.client import Action, Choice, InvalidQuote, NotFound, Quote, QuoteSession, StoreError, WriteConflict
from app.ui.add_dialog import QuoteDialog
from app.ui.conflict_dialog import ConflictDialog
from app.ui.status import StatusArea

_OVERWRITTEN = {
    Action.EDIT: "Quote edited: your version replaced theirs.",
    Action.UNDO_EDIT: "Undone: your earlier version replaced theirs.",
    Action.RESTORE: "Undone: your version replaced theirs.",
    Action.DELETE: "Quote deleted.",
}


class Resolver:
    """The conflict view and its outcome, for one window."""

    def __init__(
        self, parent: QWidget, session: QuoteSession, status: StatusArea, select: Callable[[str], None]
    ) -> None:
        self._parent = parent
        self._session = session
        self._status = status
        self._select = select

    def ask(self, conflict: WriteConflict, editor: QuoteDialog | None = None) -> ConflictDialog:
        """Show ``conflict`` (over ``editor``, the edit dialog it came from, if any)."""
        view = ConflictDialog(conflict, editor if editor is not None else self._parent)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.chosen.connect(lambda choice: self._chosen(conflict, choice, editor))
        view.open()
        return view

    def _chosen(self, conflict: WriteConflict, choice: Choice, editor: QuoteDialog | None) -> None:
        if choice is Choice.RELOAD:  # nothing to write: at once
            self._done(conflict, choice, conflict.theirs, editor)
        else:
            self._session.spawn(self._carry_out(conflict, choice, editor))

    async def _carry_out(self, conflict: WriteConflict, choice: Choice, editor: QuoteDialog | None) -> None:
        open_editor = editor if editor is not None and still_open(editor) else None
        try:
            quote = await self._session.resolve(conflict, choice)
        except WriteConflict as again:
            self._status.say("Not saved: the quote changed again meanwhile. Have another look.")
            if editor is None or still_open(editor):
                self.ask(again, editor)
            return
        except NotFound:
            self._status.say("Not saved: someone deleted that quote.")
            if open_editor is not None:
                open_editor.gone()
            return
        except (InvalidQuote, StoreError) as exc:
            self._status.say(f"Not saved: {exc}")
            if open_editor is not None:
                open_editor.not_saved(str(exc))
            return
        self._done(conflict, choice, quote, open_editor)

    def _done(
        self, conflict: WriteConflict, choice: Choice, quote: Quote | None, editor: QuoteDialog | None
    ) -> None:
        if choice is Choice.RELOAD:
            self._status.say("Kept their version.")
            if editor is not None:
                editor.load(conflict.theirs)
            return
        if editor is not None:
            editor.saved()
        if choice is Choice.SAVE_AS_NEW:
            self._status.say("Your version was added as a new quote.")
        elif conflict.action is Action.EDIT or conflict.action is Action.DELETE:
            self._status.notice(_OVERWRITTEN[conflict.action])  # with its Undo button
        else:
            self._status.say(_OVERWRITTEN[conflict.action])
        if quote is not None:
            self._select(quote.id)


def still_open(dialog: QDialog) -> bool:
    """False once the user closed it (it deletes itself on close)."""
    return shiboken6.isValid(dialog) and dialog.isVisible()
