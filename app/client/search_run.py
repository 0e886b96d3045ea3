"""One search over a list's rows: which rows match, worked out a slice at a time.

The answer is a ``RowFlags`` (``row_flags.py``): one byte a row (1: it
matches), aligned with the list's rows, so a live list's row events keep it
right with a byte inserted, removed or moved (a megabyte at a million rows,
however many match; no second list of quotes).

``SearchRun.step`` tests a few thousand rows at a time, so the caller can
share its thread (the window's: under a frame a slice). While a run is not
done, the rows before its ``cursor`` are answered and the rest are not; row
events may come between slices, and ``inserted``, ``removed``, ``moved`` and
``changed`` keep both parts right.
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import contains

from app.client.row_flags import RowFlags
from app.client.search_index import FoldedRows


class SearchRun:
    """The rows of ``rows`` whose folded text holds ``query`` ("" matches every row, None none).

    ``empty``: a stand-in while the rows are searched again (after a reset): it
    says no row matches, except rows that come or change from then on.
    ``within``: a run for a query this one contains (typing on: "sen" after
    "se"), kept live by the caller: where it has answered, only the rows it
    matches can match, and ``step`` tests only those where they are few. It
    may be the answer shown, or the run the new key dropped (half done).
    """

    def __init__(
        self, query: str | None, rows: FoldedRows, empty: bool = False, within: SearchRun | None = None
    ) -> None:
        self.query = query
        self._rows = rows
        self._within = within
        count = len(rows)
        self.matches = RowFlags(bytearray(b"\x01") * count) if query == "" else RowFlags.none(count)
        #: Rows before this one are answered.
        self.cursor = count if empty or not query else 0

    @property
    def done(self) -> bool:
        return self.cursor >= len(self.matches)

    def step(self, rows: int) -> None:
        """Answer up to ``rows`` more rows."""
        first, stop, bits = self.next_answers(rows)
        self.answered(first, stop, bits)

    def next_answers(self, rows: int) -> tuple[int, int, bytes]:
        """The answers for up to ``rows`` rows from the cursor on, not applied yet:
        (first row, stop, one byte a row). ``answered`` applies them."""
        first = self.cursor
        stop = min(len(self.matches), first + rows)
        return first, stop, self._answer(first, stop) if stop > first else b""

    def answered(self, first: int, stop: int, bits: bytes) -> None:
        """Take ``next_answers``' answers: rows ``first`` to ``stop`` - 1 are answered."""
        if stop > first:
            self.matches.set(first, bits)
        self.cursor = stop

    def _answer(self, first: int, stop: int) -> bytes:
        within = self._within
        known = min(stop, within.cursor) if within is not None else first  # what it has answered
        if within is None or known <= first:
            return self.test(first, stop)
        maybe = within.matches.get(first, known)
        head = (
            self._test_few(first, known, maybe)
            if maybe.count(1) * 2 < len(maybe)
            else self.test(first, known)
        )
        return head + self.test(known, stop) if known < stop else head

    def _test_few(self, first: int, stop: int, within: bytes) -> bytes:
        """``test``, for the rows ``within`` says may match (picked out at C speed)."""
        bits = bytearray(stop - first)
        query = self.query or ""
        texts = self._rows.folded(first, stop)
        for offset, text in zip(compress(range(stop - first), within), compress(texts, within), strict=True):
            if query in text:
                bits[offset] = 1
        return bytes(bits)

    def test(self, first: int, stop: int) -> bytes:
        """Whether each of rows ``first`` to ``stop`` - 1 matches, one byte each."""
        query = self.query
        if not query:
            return (b"\x00" if query is None else b"\x01") * (stop - first)
        return bytes(map(contains, self._rows.folded(first, stop), repeat(query)))  # no Python loop

    # -- the list's row events, after ``FoldedRows`` had them --------------------------

    def inserted(self, first: int, last: int, bits: bytes | None = None) -> None:
        """Rows ``first`` to ``last`` came (``bits``: their answers, if known).
        Among the rows answered they are answered at once; after them (at the
        end of a run that was done, too) when the run gets there: so a
        million rows appended at once cost nothing here."""
        count = last - first + 1
        if first < self.cursor or self.query is None:
            self.matches.insert(first, self.test(first, last + 1) if bits is None else bits)
            self.cursor += count
        else:
            self.matches.insert(first, bytes(count))

    def removed(self, first: int, last: int) -> None:
        if first < self.cursor:
            self.cursor -= min(last + 1, self.cursor) - first
        self.matches.remove(first, last)

    def moved(self, row: int, final: int) -> bool:
        """Row ``row`` is now row ``final``; its text did not change. True if
        it is now among the answered rows without an answer: the caller answers
        it (``changed``, or with the view told)."""
        self.matches.move(row, final)
        if row < self.cursor <= final:
            self.cursor -= 1  # the row now before the cursor was not answered
        return final < self.cursor <= row

    def changed(self, first: int, last: int) -> bytes:
        """The text of these rows may have changed: answer them again (the answers)."""
        bits = self.test(first, last + 1)
        self.matches.set(first, bits)
        return bits
