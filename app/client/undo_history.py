"""What Ctrl+Z puts back and Ctrl+Shift+Z does again: this window's deletes
and edits, newest last. Qt-free.

A step holds the repository it was taken in, so undo puts a quote back in
its own collection even after the window has switched to another one. A step
is a delete (``change`` None: undoing it restores ``quote``, redoing it
deletes it again) or an edit (undoing or redoing it writes ``change`` over
``quote``, the version it expects to find). An undo moves its step to the
redo list, a redo moves it back; any new delete or edit empties the redo list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.client.conflicts import Change
from app.repo import Quote, QuoteRepo

#: How much of a quote an Undo or Redo label names.
EXCERPT = 24


@dataclass(frozen=True)
class UndoStep:
    """A deleted quote, or a quote as it is now and the change that undoes (or redoes) an edit."""

    kind: str  # "delete" or "edit"
    repo: QuoteRepo
    #: The deleted quote (put back at its version), or the quote as an edit left
    #: it (the version an undo or redo expects to find).
    quote: Quote
    #: For an edit: the fields to write.
    change: Change | None = None

    def label(self, verb: str) -> str:
        """'Undo Delete “Cogito, ergo sum.”': what the step does, and to which quote."""
        return f"{verb} {self.kind.title()} “{excerpt(self.quote.content)}”"


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The start of ``text`` on one line, cut at a word with "…" when longer than ``limit``."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] if " " in line[:limit] else line[:limit]
    return cut.rstrip(",;:.—- ") + "…"


#: Hears what Undo and Redo would do now (None: nothing).
Listener = Callable[[str | None, str | None], None]


class UndoHistory:
    """The steps Ctrl+Z takes back and Redo does again; ``on_change`` hears the labels."""

    def __init__(self, on_change: Listener) -> None:
        self._undo: list[UndoStep] = []
        self._redo: list[UndoStep] = []
        self._on_change = on_change

    @property
    def label(self) -> str | None:
        """What Undo would do ("Undo Delete “…”"), or None if nothing."""
        return self._undo[-1].label("Undo") if self._undo else None

    @property
    def redo_label(self) -> str | None:
        """What Redo would do ("Redo Edit “…”"), or None if nothing."""
        return self._redo[-1].label("Redo") if self._redo else None

    def push(self, step: UndoStep, *, redone: bool = False) -> None:
        """A new step to undo; a new action (not a redo) empties the redo list."""
        self._undo.append(step)
        if not redone:
            self._redo.clear()
        self._changed()

    def pop(self) -> UndoStep | None:
        """The newest step to undo, taken off the history (None if there is none)."""
        return self._take(self._undo)

    @property
    def next_redo(self) -> UndoStep | None:
        """The step Redo would take (left on the history)."""
        return self._redo[-1] if self._redo else None

    def push_redo(self, step: UndoStep) -> None:
        self._redo.append(step)
        self._changed()

    def pop_redo(self) -> UndoStep | None:
        """The newest step to redo, taken off the history (None if there is none)."""
        return self._take(self._redo)

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
        self._changed()

    def _take(self, steps: list[UndoStep]) -> UndoStep | None:
        if not steps:
            return None
        step = steps.pop()
        self._changed()
        return step

    def _changed(self) -> None:
        self._on_change(self.label, self.redo_label)
