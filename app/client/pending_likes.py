"""This window's likes that the store's copy of a quote does not show yet.

A like shows at once, marked pending. Once it commits, the store reports the
count it had right after; a later copy of the quote with at least that many
likes includes it (counts only grow), and the mark goes. Another person's like
raises the count too, but cannot confirm one of ours: only the count read
after our commit does.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.repo.schema import Quote


@dataclass
class _Mark:
    """One like not yet seen in the store's copy of the quote."""

    #: The store's count right after it committed (None: not committed yet).
    count: int | None = None


class PendingLikes:
    """Pending likes by quote id, oldest first."""

    def __init__(self) -> None:
        self._marks: dict[str, list[_Mark]] = {}

    def __bool__(self) -> bool:
        return bool(self._marks)

    def __contains__(self, quote_id: object) -> bool:
        return quote_id in self._marks

    def count(self, quote_id: str) -> int:
        """How many likes of ``quote_id`` the store's copy may not show yet."""
        return len(self._marks.get(quote_id, ()))

    def add(self, quote_id: str) -> None:
        self._marks.setdefault(quote_id, []).append(_Mark())

    def saved(self, quote_id: str, count: int) -> bool:
        """The oldest unsaved like committed, the store then counting ``count``;
        False if there was none."""
        unsaved = next((mark for mark in self._marks.get(quote_id, ()) if mark.count is None), None)
        if unsaved is None:
            return False
        unsaved.count = count
        return True

    def failed(self, quote_id: str) -> bool:
        """Take back the newest unsaved like; False if there was none."""
        marks = self._marks.get(quote_id, [])
        unsaved = [mark for mark in marks if mark.count is None]
        if not unsaved:
            return False
        marks.remove(unsaved[-1])
        if not marks:
            del self._marks[quote_id]
        return True

    def confirm(self, quote: Quote) -> bool:
        """Drop the saved likes that ``quote`` (a fresh copy) includes; True if any."""
        marks = self._marks.get(quote.id)
        if not marks:
            return False
        kept = [mark for mark in marks if mark.count is None or mark.count > quote.likes]
        if len(kept) == len(marks):
            return False
        if kept:
            self._marks[quote.id] = kept
        else:
            del self._marks[quote.id]
        return True

    def forget(self, quote_id: str) -> None:
        """The quote is gone: its likes with it."""
        self._marks.pop(quote_id, None)

    def ids(self) -> list[str]:
        return list(self._marks)
