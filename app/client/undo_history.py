"""What Ctrl+Z puts back: this window's deletes and edits, newest last. Qt-free.

A step holds the repository it was taken in, so undo puts a quote back in
its own collection even after the window has switched to another one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.client.conflicts import Change
from app.repo import Quote, QuoteRepo


@dataclass(frozen=True)
class UndoStep:
    """A deleted quote, or a quote as an edit left it and the change that undoes it."""

    kind: str  # "delete" or "edit"
    repo: QuoteRepo
    #: The deleted quote (put back at its version), or the quote the edit wrote
    #: (the version an undo expects to find).
    quote: Quote
    #: For an edit: the fields as they were before it.
    undo: Change | None = None

    @property
    def label(self) -> str:
        return "Undo Delete" if self.kind == "delete" else "Undo Edit"


class UndoHistory:
    """The steps Ctrl+Z takes back, newest last; ``on_change`` hears the new label."""

    def __init__(self, on_change: Callable[[str | None], None]) -> None:
        self._steps: list[UndoStep] = []
        self._on_change = on_change

    @property
    def label(self) -> str | None:
        """What Ctrl+Z would do ("Undo Delete"), or None if nothing."""
        return self._steps[-1].label if self._steps else None

    def push(self, step: UndoStep) -> None:
        self._steps.append(step)
        self._on_change(step.label)

    def pop(self) -> UndoStep | None:
        """The newest step, taken off the history (None if there is none)."""
        if not self._steps:
            return None
        step = self._steps.pop()
        self._on_change(self.label)
        return step

    def clear(self) -> None:
        self._steps.clear()
        self._on_change(None)
