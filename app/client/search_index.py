"""The folded text of every row of a ``QuoteList``, kept beside it, for searching.

A search tests ``query in text`` for each row: a plain substring test on a
prepared string runs at C speed (tens of nanoseconds a row), where folding
each quote again for each keystroke costs microseconds. So the folded text of
row ``r`` (``app.sync.search.fold_quote``) is ``texts[r]``, a list aligned
with the list's rows: it follows each row event (insert, remove, move,
change), and after a reset or a re-sort, which move every row, it starts
over. They are ``str``: ``in`` on ``bytes`` (UTF-8 would be a little more
compact) measured 2 to 8 times slower.

Rows are folded lazily: a new or reset row holds ``None`` until a search, or
``fold_some`` on an idle moment, needs it, so a streamed load or a re-sort
pays nothing here at once. The texts are the only copy kept: about 170
bytes a quote of 110 characters with the list's pointer (no second copy of
the quote objects). Testing each quote as it is instead (``lower()`` on its
author and content, for each row, each keystroke) would keep nothing, but
was 3 to 8 times slower: over 300 ms a keystroke at a million quotes.
"""

from __future__ import annotations

from collections.abc import Callable

from app.repo.schema import Quote
from app.sync.search import fold_quote

#: Rows between(first, stop): the quotes now shown in those rows.
RowsBetween = Callable[[int, int], list[Quote]]


class FoldedRows:
    """``texts[r]``: the folded author and content of row ``r`` (None: not folded yet)."""

    def __init__(self, rows_between: RowsBetween, count: int = 0) -> None:
        self._rows_between = rows_between
        self.texts: list[str | None] = [None] * count
        #: How many rows are not folded yet (0: a search need not look for them).
        self.unfolded = count
        #: Rows before this one are all folded (a hint for ``fold_some``).
        self._folded_to = 0

    def __len__(self) -> int:
        return len(self.texts)

    # -- the list's row events (after the list changed) -------------------------------

    def inserted(self, first: int, last: int) -> None:
        self.texts[first:first] = [None] * (last - first + 1)
        self.unfolded += last - first + 1
        self._folded_to = min(self._folded_to, first)

    def removed(self, first: int, last: int) -> None:
        if self.unfolded:
            self.unfolded -= self.texts[first : last + 1].count(None)
        del self.texts[first : last + 1]
        self._folded_to = min(self._folded_to, first)

    def moved(self, row: int, final: int) -> None:
        """Row ``row`` is now row ``final`` (its text did not change)."""
        self.texts.insert(final, self.texts.pop(row))

    def changed(self, first: int, last: int) -> None:
        """The text of these rows may have changed."""
        count = last - first + 1
        self.unfolded += count - self.texts[first : last + 1].count(None)
        self.texts[first : last + 1] = [None] * count
        self._folded_to = min(self._folded_to, first)

    def reset(self, count: int) -> None:
        """Every row may be another quote now (a new collection, or a new order)."""
        self.texts = [None] * count
        self.unfolded = count
        self._folded_to = 0

    # -- folding ------------------------------------------------------------------------

    def folded(self, first: int, stop: int) -> list[str]:
        """The folded texts of rows ``first`` to ``stop`` - 1, folding any not folded yet."""
        texts = self.texts[first:stop]
        if self.unfolded and None in texts:
            self.unfolded -= texts.count(None)
            quotes = self._rows_between(first, stop)
            texts = [fold_quote(q) if t is None else t for t, q in zip(texts, quotes, strict=True)]
            self.texts[first:stop] = texts
        return texts  # type: ignore[return-value]  # no None left

    def fold_some(self, rows: int) -> bool:
        """Fold up to about ``rows`` rows not folded yet; False once every row is."""
        texts = self.texts
        if not self.unfolded:
            return False
        try:
            first = texts.index(None, self._folded_to)
        except ValueError:
            self._folded_to = len(texts)
            return False
        stop = min(len(texts), first + rows)
        self.folded(first, stop)
        self._folded_to = stop
        return stop < len(texts)
