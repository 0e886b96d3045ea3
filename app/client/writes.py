"""The session's writes that carry a version: edit, delete, undo, and the conflict choices. Qt-free.

Each write names the version of the quote the user saw (``if_version``): an
edit the version the dialog opened with, an undo of an edit the version the
edit wrote, a delete the version shown, an undo of a delete the version it
had (the quote comes back whole, at that version). When the quote has moved
on, the store refuses in the same transaction and this raises
``WriteConflict``; ``resolve`` carries out the user's answer (see
``app.client.conflicts``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from app.client.conflicts import Action, Change, Choice, WriteConflict
from app.client.undo_history import UndoHistory, UndoStep
from app.repo import Conflict, DuplicateId, Quote, QuoteRepo

if TYPE_CHECKING:  # pydantic: loaded when an edit is first validated
    from app.repo import QuoteFields

#: Runs a blocking store call off the event loop (``QuoteSession._write``).
Runner = Callable[..., Awaitable[Any]]


class Writes:
    """Version-checked writes and their undo steps (see the module's docstring)."""

    def __init__(self, run: Runner, undo: UndoHistory) -> None:
        self._run = run
        self._undo = undo

    async def edit(self, repo: QuoteRepo, seen: Quote, fields: QuoteFields) -> Quote:
        """Write the fields of ``fields`` that differ from ``seen`` (nothing if none),
        if the quote is still at ``seen``'s version; the quote as saved."""
        change = Change.between(seen, fields)
        if not change:
            return seen
        return await self._update(Action.EDIT, repo, seen.id, change, seen.version)

    async def delete(self, repo: QuoteRepo, seen: Quote, *, redone: bool = False) -> Quote:
        """Delete the quote if it is still at ``seen``'s version; it as it was."""
        try:
            quote: Quote = await self._run(repo.delete, seen.id, if_version=seen.version)
        except Conflict as exc:
            raise WriteConflict(Action.DELETE, repo, exc.current, None) from exc
        self._undo.push(UndoStep("delete", repo, quote), redone=redone)
        return quote

    async def undo(self) -> Quote | None:
        """Undo the last delete or edit; the quote as restored (None: nothing to undo).

        Raises ``WriteConflict`` when someone changed the quote since, NotFound
        (an edited quote was deleted since) or DuplicateId (a deleted quote is
        back already, as it was); the step is used up either way.
        """
        step = self._undo.pop()
        if step is None:
            return None
        if step.change is not None:
            undone = await self._update(
                Action.UNDO_EDIT, step.repo, step.quote.id, step.change, step.quote.version
            )
            self._undo.push_redo(UndoStep("edit", step.repo, undone, Change.between(undone, step.quote)))
            return undone
        try:
            await self._run(step.repo.restore, step.quote)
        except DuplicateId:
            current: Quote | None = await self._run(step.repo.get, step.quote.id)
            change = Change() if current is None else Change.between(current, step.quote)
            if current is None or not change:
                raise
            raise WriteConflict(Action.RESTORE, step.repo, current, change) from None
        self._undo.push_redo(step)
        return step.quote

    async def redo(self) -> Quote | None:
        """Do again the last undone delete or edit; the quote as it was deleted or
        as the edit left it (None: nothing to redo). Raises as ``delete`` and
        ``edit`` do; the step is used up either way."""
        step = self._undo.pop_redo()
        if step is None:
            return None
        if step.change is None:
            return await self.delete(step.repo, step.quote, redone=True)
        return await self._update(
            Action.EDIT, step.repo, step.quote.id, step.change, step.quote.version, redone=True
        )

    async def resolve(self, conflict: WriteConflict, choice: Choice) -> Quote | None:
        """Carry out the user's answer to ``conflict``; the quote to show (None: deleted).

        Overwrite is refused again (``WriteConflict``) if the quote moved again.
        """
        theirs, repo = conflict.theirs, conflict.repo
        if choice is Choice.RELOAD:
            return theirs
        if choice is Choice.SAVE_AS_NEW:
            yours = conflict.yours
            if yours is None:
                raise ValueError("a delete has nothing to save as a new quote")
            added: Quote = await self._run(repo.insert, yours.author, yours.content, yours.as_of)
            return added
        if conflict.change is None:
            await self.delete(repo, theirs)
            return None
        return await self._update(conflict.action, repo, theirs.id, conflict.change, theirs.version)

    async def _update(
        self,
        action: Action,
        repo: QuoteRepo,
        quote_id: str,
        change: Change,
        version: int,
        *,
        redone: bool = False,
    ) -> Quote:
        try:
            written: tuple[Quote, Quote] = await self._run(
                repo.update, quote_id, author=change.author, content=change.content, if_version=version
            )
        except Conflict as exc:
            raise WriteConflict(action, repo, exc.current, change) from exc
        before, after = written
        if action is Action.EDIT:
            self._undo.push(UndoStep("edit", repo, after, Change.between(after, before)), redone=redone)
        return after
