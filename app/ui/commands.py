"""What the user asks for, and what the window says back.

Each command runs the session's coroutine as a task and turns its outcome
into a message in the status bar (or in the dialog that asked), in words the
user can act on. A like shows at once, marked pending, and is confirmed or
taken back; an edit and a delete can be undone (Ctrl+Z, or the notice's Undo
button) with the quote's id, likes and times. An edit, a delete and an undo
carry the version of the quote the user saw: when someone else changed it
since, the conflict view asks what to do (``Resolver``), and an open edit
dialog shows a notice as soon as the live feed brings a newer version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from app.client import (
    Action,
    Change,
    DuplicateId,
    InvalidQuote,
    NotFound,
    Queued,
    Quote,
    QuoteSession,
    StoreError,
    StoreUnavailable,
    WriteConflict,
    excerpt,
)
from app.ui.add_dialog import QuoteDialog
from app.ui.confirm_dialog import ConfirmDeleteDialog
from app.ui.model import QuoteListModel
from app.ui.resolving import Resolver, still_open
from app.ui.roles import AuthorRole, ContentRole, IdRole
from app.ui.status import StatusArea

if TYPE_CHECKING:  # pydantic: loaded when the first dialog opens
    from app.client import QuoteFields


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
        self.resolver = Resolver(parent, session, status, self._select_soon)

    def batch_shown(self) -> None:
        """A batch was shown: select the quote just added once it is in the list,
        and tell the open dialogs about a quote that is no longer there, or that
        someone else changed (a new version: never a like)."""
        if self._select_when_seen is not None and self._select(self._select_when_seen):
            self._select_when_seen = None
        for dialog in self._dialogs:
            if not dialog.isVisible() or dialog.quote_id is None:
                continue
            quote = self._shown(dialog.quote_id)
            if quote is None:
                dialog.gone()
            elif isinstance(dialog, QuoteDialog) and _newer(quote, dialog):
                dialog.changed_elsewhere(quote)
            elif isinstance(dialog, ConfirmDeleteDialog) and quote.version != dialog.seen.version:
                dialog.changed_elsewhere(quote)

    def _shown(self, quote_id: str) -> Quote | None:
        """The quote as the list shows it now (None: not in it)."""
        row = self._model.quotes.row_of(quote_id)
        return None if row is None else self._model.quotes[row]

    def _select_soon(self, quote_id: str) -> None:
        """Select a quote now, or as soon as the list shows it."""
        if not self._select(quote_id):
            self._select_when_seen = quote_id

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
        quote = self._selected_quote()
        return None if quote is None else self.open_editor(quote)

    def delete_selected(self) -> ConfirmDeleteDialog | None:
        quote = self._selected_quote()
        return None if quote is None else self.confirm_delete(quote)

    def _selected_quote(self) -> Quote | None:
        index = self._selected()
        return self._shown(index.data(IdRole)) if index.isValid() else None

    def copy_selected(self) -> None:
        index = self._selected()
        if index.isValid():
            QGuiApplication.clipboard().setText(f"“{index.data(ContentRole)}”\n— {index.data(AuthorRole)}")
            self._status.say(f"Copied “{excerpt(index.data(ContentRole))}” to the clipboard.")

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
        except Queued as queued:  # the list shows it from the outbox now, still pending
            self._model.quotes.like_failed(quote_id)
            self._status.say(f"Your like was {queued}.")
        except NotFound:
            self._model.quotes.like_failed(quote_id)
            self._status.say("Your like was not saved: someone deleted that quote first.")
        except (InvalidQuote, StoreError) as exc:
            self._model.quotes.like_failed(quote_id)
            self._status.say(f"Your like was not saved: {_reason(exc)}")
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
        except Queued as queued:
            if still_open(dialog):
                dialog.saved()
            self._status.say(f"The quote was {queued}.")
            self._select_soon(queued.entry.quote_id)
            return
        except (InvalidQuote, StoreError) as exc:
            self._status.say(f"The quote was not added: {_reason(exc)}")
            if still_open(dialog):
                dialog.not_saved(_reason(exc))
            return
        if still_open(dialog):
            dialog.saved()
        self._status.say("Quote added.")
        if tenant == self._session.tenant and not self._select(quote.id):
            self._select_when_seen = quote.id

    def open_editor(self, quote: Quote) -> QuoteDialog:
        """Open the add dialog filled in; saving is an update (same id, same likes)."""
        dialog = QuoteDialog(quote.author, quote.content, parent=self._parent)
        dialog.seen = quote
        dialog.submitted.connect(lambda fields: self._session.spawn(self._edit(fields, dialog)))
        dialog.review.connect(lambda: self._review(dialog))
        self._about(dialog, quote.id)
        return dialog

    async def _edit(self, fields: QuoteFields, dialog: QuoteDialog) -> None:
        seen = dialog.seen
        assert seen is not None  # an edit dialog
        self._model.quotes.editing(seen.id)
        try:
            await self._session.edit(seen, fields)
        except Queued as queued:
            if still_open(dialog):
                dialog.saved()
            self._status.say(f"Your edit was {queued}.")
            return
        except WriteConflict as conflict:
            self._model.quotes.editing(seen.id, mine=False)
            self._status.say("Your edit was not saved: someone else changed that quote.")
            if still_open(dialog):
                dialog.not_saved_conflict(conflict.theirs)
                self.resolver.ask(conflict, dialog)
            return
        except NotFound:
            self._model.quotes.editing(seen.id, mine=False)
            self._status.say("Your edit was not saved: someone deleted that quote.")
            if still_open(dialog):
                dialog.gone()
            return
        except (InvalidQuote, StoreError) as exc:
            self._model.quotes.editing(seen.id, mine=False)
            self._status.say(f"Your edit was not saved: {_reason(exc)}")
            if still_open(dialog):
                dialog.not_saved(_reason(exc))
            return
        if still_open(dialog):
            dialog.saved()
        self._status.notice("Quote edited.")

    def _review(self, dialog: QuoteDialog) -> None:
        """The edit dialog's Review: the conflict view of their version and the form's."""
        if dialog.seen is None or dialog.theirs is None:
            return
        change = Change.typed(dialog.seen, *dialog.typed())
        self.resolver.ask(WriteConflict(Action.EDIT, self._session.repo, dialog.theirs, change), dialog)

    # -- deleting and undoing ----------------------------------------------------------

    def confirm_delete(self, quote: Quote) -> ConfirmDeleteDialog:
        dialog = ConfirmDeleteDialog(quote, self._parent)

        def confirmed() -> None:
            self._move_off(quote.id)
            self._session.spawn(self._delete(dialog.seen))  # the version the dialog showed last

        dialog.accepted.connect(confirmed)
        self._about(dialog, quote.id)
        return dialog

    async def _delete(self, seen: Quote) -> None:
        try:
            await self._session.delete(seen)
        except Queued as queued:
            self._status.say(f"Your delete was {queued}.")
        except WriteConflict as conflict:
            self._status.say("The quote was not deleted: someone else changed it.")
            self.resolver.ask(conflict)
        except NotFound:
            self._status.say("That quote was already deleted.")
        except StoreError as exc:
            self._status.say(f"The quote was not deleted: {_reason(exc)}")
        else:
            self._status.notice("Quote deleted.")

    def undo(self) -> None:
        self._session.spawn(self._undo())

    def redo(self) -> None:
        doomed = self._session.redo_deletes
        if doomed is not None and self._selected().data(IdRole) == doomed:
            self._move_off(doomed)  # as for a delete: the selection goes to the next card
        self._session.spawn(self._redo())

    async def _redo(self) -> None:
        try:
            quote = await self._session.redo()
        except WriteConflict as conflict:
            self._status.say("Not done again yet: someone else changed that quote.")
            self.resolver.ask(conflict)
            return
        except NotFound:
            self._status.say("Nothing to redo: someone deleted that quote.")
            return
        except (InvalidQuote, StoreError) as exc:
            self._status.say(f"Could not redo: {_reason(exc)}")
            return
        except (LookupError, ValueError) as exc:  # say, its collection was deleted
            self._status.say(f"Could not redo: {exc}")
            return
        if quote is None:
            return
        self._status.say("Redone.")

    async def _undo(self) -> None:
        try:
            quote = await self._session.undo()
        except WriteConflict as conflict:
            self._status.say("Not undone yet: someone else changed that quote.")
            self.resolver.ask(conflict)
            return
        except DuplicateId:
            self._status.say("Nothing to undo: that quote is back already.")
            return
        except NotFound:
            self._status.say("Could not undo the edit: someone deleted that quote.")
            return
        except (InvalidQuote, StoreError) as exc:
            self._status.say(f"Could not undo: {_reason(exc)}")
            return
        except (LookupError, ValueError) as exc:  # say, its collection was deleted (and created again)
            self._status.say(f"Could not undo: {exc}")
            return
        if quote is None:
            return
        self._status.say("Undone.")
        if not self._select(quote.id):
            self._select_when_seen = quote.id


def _newer(quote: Quote, dialog: QuoteDialog) -> bool:
    """``quote`` is a version of the text the edit dialog has not heard of yet."""
    if dialog.seen is None or dialog.saving or quote.version == dialog.seen.version:
        return False
    return dialog.theirs is None or quote.version != dialog.theirs.version


def _reason(exc: Exception) -> str:
    """Why a write was not made, in words the user can act on."""
    if isinstance(exc, StoreUnavailable):
        return f"the store is offline ({exc}); nothing was written, try again when it is back"
    return str(exc)
