"""What the user asks for, and what the window says back.

Each command runs the session's coroutine as a task and turns its outcome
into a message in the status bar (or in the dialog that asked), in words the
user can act on. A like shows at once, marked pending, and is confirmed or
taken back; an edit and a delete can be undone (Ctrl+Z, or the notice's Undo
button) with the quote's id, likes and times.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QWidget

from app.client import DuplicateId, InvalidQuote, NotFound, QuoteFields, QuoteSession, StoreError
from app.ui.add_dialog import QuoteDialog
from app.ui.confirm_dialog import ConfirmDeleteDialog
from app.ui.model import QuoteListModel
from app.ui.roles import AuthorRole, ContentRole, IdRole
from app.ui.status import StatusArea


class Commands:
    """Like, add, edit, delete, undo and copy, for one window."""

    def __init__(
        self,
        parent: QWidget,
        session: QuoteSession,
        model: QuoteListModel,
        status: StatusArea,
        selected: Callable[[], QModelIndex],
        select: Callable[[str], bool],
        move_off: Callable[[str], None],
    ) -> None:
        self._parent = parent
        self._session = session
        self._model = model
        self._status = status
        self._selected = selected
        self._select = select
        self._move_off = move_off
        self._select_when_seen: str | None = None
        #: The open edit and delete dialogs, each about one quote.
        self._dialogs: list[QuoteDialog | ConfirmDeleteDialog] = []

    def batch_shown(self) -> None:
        """A batch was shown: select the quote just added once it is in the list,
        and tell the open dialogs about a quote that is no longer there."""
        if self._select_when_seen is not None and self._select(self._select_when_seen):
            self._select_when_seen = None
        for dialog in self._dialogs:
            if dialog.isVisible() and not self._model.index_of(dialog.quote_id).isValid():
                dialog.gone()

    def _about(self, dialog: QuoteDialog | ConfirmDeleteDialog, quote_id: str) -> None:
        """Open ``dialog`` about ``quote_id``, followed by ``batch_shown`` until it closes."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.quote_id = quote_id
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda _: self._dialogs.remove(dialog))
        dialog.open()

    def forget_pending_selection(self) -> None:
        self._select_when_seen = None

    # -- on the selected quote ----------------------------------------------------------

    def like_selected(self) -> None:
        index = self._selected()
        if index.isValid():
            self.like(index.data(IdRole))

    def edit_selected(self) -> QuoteDialog | None:
        index = self._selected()
        if not index.isValid():
            return None
        return self.open_editor(index.data(IdRole), index.data(AuthorRole), index.data(ContentRole))

    def delete_selected(self) -> ConfirmDeleteDialog | None:
        index = self._selected()
        if not index.isValid():
            return None
        return self.confirm_delete(index.data(IdRole), index.data(AuthorRole), index.data(ContentRole))

    def copy_selected(self) -> None:
        index = self._selected()
        if index.isValid():
            QGuiApplication.clipboard().setText(f"“{index.data(ContentRole)}”\n— {index.data(AuthorRole)}")

    # -- likes ------------------------------------------------------------------

    def like(self, quote_id: str) -> bool:
        """Show the like at once and save it; False if the quote is not shown."""
        if not self._model.quotes.like_pending(quote_id):
            return False
        self._session.spawn(self._save_like(quote_id))
        return True

    async def _save_like(self, quote_id: str) -> None:
        try:
            count = await self._session.like(quote_id)
        except NotFound:
            self._model.quotes.like_failed(quote_id)
            self._status.say("Your like was not saved: someone deleted that quote first.")
        except (InvalidQuote, StoreError) as exc:
            self._model.quotes.like_failed(quote_id)
            self._status.say(f"Your like was not saved: {exc}")
        else:
            self._model.quotes.like_saved(quote_id, count)

    # -- adding and editing -------------------------------------------------------------

    def add(self) -> None:
        dialog = QuoteDialog(parent=self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        tenant = self._session.tenant
        dialog.submitted.connect(lambda fields: self._session.spawn(self._add(fields, dialog, tenant)))
        dialog.open()

    async def _add(self, fields: QuoteFields, dialog: QuoteDialog, tenant: str) -> None:
        try:
            quote = await self._session.add(fields)
        except (InvalidQuote, StoreError) as exc:
            self._status.say(f"The quote was not added: {exc}")
            if still_open(dialog):
                dialog.not_saved(str(exc))
            return
        if still_open(dialog):
            dialog.saved()
        self._status.say("Quote added.")
        if tenant == self._session.tenant and not self._select(quote.id):
            self._select_when_seen = quote.id

    def open_editor(self, quote_id: str, author: str, content: str) -> QuoteDialog:
        """Open the add dialog filled in; saving is an update (same id, same likes)."""
        dialog = QuoteDialog(author, content, parent=self._parent)
        dialog.submitted.connect(lambda fields: self._session.spawn(self._edit(quote_id, fields, dialog)))
        self._about(dialog, quote_id)
        return dialog

    async def _edit(self, quote_id: str, fields: QuoteFields, dialog: QuoteDialog) -> None:
        self._model.quotes.editing(quote_id)
        try:
            await self._session.edit(quote_id, fields)
        except NotFound:
            self._model.quotes.editing(quote_id, mine=False)
            self._status.say("Your edit was not saved: someone deleted that quote.")
            if still_open(dialog):
                dialog.gone()
            return
        except (InvalidQuote, StoreError) as exc:
            self._model.quotes.editing(quote_id, mine=False)
            self._status.say(f"Your edit was not saved: {exc}")
            if still_open(dialog):
                dialog.not_saved(str(exc))
            return
        if still_open(dialog):
            dialog.saved()
        self._status.notice("Quote edited.")

    # -- deleting and undoing ----------------------------------------------------------

    def confirm_delete(self, quote_id: str, author: str, content: str) -> ConfirmDeleteDialog:
        dialog = ConfirmDeleteDialog(author, content, self._parent)

        def confirmed() -> None:
            self._move_off(quote_id)
            self._session.spawn(self._delete(quote_id))

        dialog.accepted.connect(confirmed)
        self._about(dialog, quote_id)
        return dialog

    async def _delete(self, quote_id: str) -> None:
        try:
            await self._session.delete(quote_id)
        except NotFound:
            self._status.say("That quote was already deleted.")
        except StoreError as exc:
            self._status.say(f"The quote was not deleted: {exc}")
        else:
            self._status.notice("Quote deleted.")

    def undo(self) -> None:
        self._session.spawn(self._undo())

    async def _undo(self) -> None:
        try:
            quote = await self._session.undo()
        except DuplicateId:
            self._status.say("Nothing to undo: that quote is back already.")
            return
        except NotFound:
            self._status.say("Could not undo the edit: someone deleted that quote.")
            return
        except (InvalidQuote, StoreError) as exc:
            self._status.say(f"Could not undo: {exc}")
            return
        if quote is None:
            return
        self._status.say("Undone.")
        if not self._select(quote.id):
            self._select_when_seen = quote.id


def still_open(dialog: QDialog) -> bool:
    """False once the user closed it (it deletes itself on close)."""
    return shiboken6.isValid(dialog) and dialog.isVisible()
