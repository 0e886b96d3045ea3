"""Search: which quotes match what the user typed (author or content).

Matching is case- and accent-insensitive: both sides are folded (NFKD, combining
marks dropped, ``casefold``), so "rene" finds "René" and "STRASSE" finds
"Straße". The window's filter and ``quotes list/watch --search`` share this.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from app.repo.schema import Quote


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """``text`` without case or accents, for comparing."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


class Search:
    """A search term; ``matches(quote)`` says whether a quote is shown."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded = fold(" ".join(text.split()))

    def __bool__(self) -> bool:
        return bool(self._folded)

    def matches(self, quote: Quote) -> bool:
        if not self._folded:
            return True
        return self._folded in fold(quote.author) or self._folded in _fold_long(quote.content)


def _fold_long(text: str) -> str:
    # Content can be 5,000 characters: not worth caching every one.
    return fold(text) if len(text) <= 500 else fold.__wrapped__(text)
