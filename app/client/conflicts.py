"""A write refused because the quote changed since the user saw it, and the choices. Qt-free.

An edit, an undo of an edit, an undo of a delete (restore) and a delete each
carry the version of the quote the user saw; when the store holds another
version, the write is refused (``Conflict``) and the session raises
``WriteConflict``: what the store holds now (*theirs*) and what the user
wanted (*yours*). The window shows both and asks:

- ``Choice.RELOAD``: keep theirs, drop yours (nothing is written);
- ``Choice.OVERWRITE``: write yours over theirs, against theirs' version (so
  it is refused again if the quote moved again meanwhile);
- ``Choice.SAVE_AS_NEW``: add yours as a new quote, theirs untouched (not for
  a delete: there is nothing of yours to add).

An edit writes only the fields the user changed (``Change``): someone else's
new author survives a save of new text, and an overwrite puts back only what
the user wrote.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.repo import Quote, QuoteRepo

if TYPE_CHECKING:  # pydantic, loaded when a change is first validated, not at start-up
    from app.repo import QuoteFields


class Choice(enum.Enum):
    RELOAD = "reload"
    OVERWRITE = "overwrite"
    SAVE_AS_NEW = "save as new"


class Action(enum.Enum):
    """The write that was refused."""

    EDIT = "edit"
    UNDO_EDIT = "undo edit"
    RESTORE = "undo delete"
    DELETE = "delete"


@dataclass(frozen=True)
class Change:
    """The fields a write sets; None: left as the store has it."""

    author: str | None = None
    content: str | None = None

    @classmethod
    def between(cls, seen: Quote, wanted: QuoteFields | Quote) -> Change:
        """Only the fields of ``wanted`` that differ from ``seen``."""
        return cls.typed(seen, wanted.author, wanted.content)

    @classmethod
    def typed(cls, seen: Quote, author: str, content: str) -> Change:
        """Only the fields typed that differ from ``seen`` (surrounding white space aside)."""
        author, content = author.strip(), content.strip()
        return cls(
            author=None if author == seen.author else author,
            content=None if content == seen.content else content,
        )

    def __bool__(self) -> bool:
        return self.author is not None or self.content is not None

    def applied_to(self, quote: Quote) -> Quote:
        """``quote`` with these fields written over it."""
        return quote.replace(
            author=quote.author if self.author is None else self.author,
            content=quote.content if self.content is None else self.content,
        )


class WriteConflict(Exception):
    """The store refused ``action`` on a quote: it is now ``theirs``.

    ``change`` is what the user wanted written (None for a delete); ``yours``
    the quote as it would be with it (None for a delete).
    """

    def __init__(self, action: Action, repo: QuoteRepo, theirs: Quote, change: Change | None) -> None:
        super().__init__(f"someone else changed this quote: your {action.value} was not saved")
        self.action = action
        self.repo = repo
        self.theirs = theirs
        self.change = change

    @property
    def yours(self) -> Quote | None:
        return None if self.change is None else self.change.applied_to(self.theirs)

    @property
    def choices(self) -> tuple[Choice, ...]:
        if self.action is Action.DELETE:
            return (Choice.RELOAD, Choice.OVERWRITE)
        return (Choice.RELOAD, Choice.OVERWRITE, Choice.SAVE_AS_NEW)
