"""A new order for the whole list, worked out a slice at a time while the list stays live.

A ``QuoteList`` that changes its sort (or shows the quotes it held back while
a collection streamed in) keeps showing its rows in the order they are in,
and keeps applying every change to them, while a ``Reordering`` puts a copy
of them in the new order (``sliced_order``, driven a few milliseconds at a
time). Every quote changed meanwhile (a like, an edit, an insert, a delete,
a pending like of ours) is noted as it was in that copy; when the order is
ready, those are taken out of it and put back as they are now, where the new
order wants them, and the result is swapped in with one change. So nothing
that arrives while ordering is lost, and the order is exact.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable
from time import perf_counter
from typing import Any

from app.client.order import Sort, sort_key
from app.client.sliced_order import in_order_steps
from app.repo.schema import Quote

#: How long a slice of ordering may take before the event loop runs (seconds): a
#: quarter of a frame at 60 Hz.
ORDER_SLICE_S = 0.004
#: Quotes a list orders at once, without slices: a few milliseconds.
ORDER_AT_ONCE = 4_096
#: Quotes changed meanwhile put back one by one (each a move of the list in
#: memory); more are spliced in with one pass over the list.
_ONE_BY_ONE = 8

#: References of the copy ordered dropped between two looks at the clock.
_LET_GO_AT_ONCE = 16_384

Key = Callable[[Quote], tuple[Any, ...]]


class Reordering:
    """Quotes as they were when it began, being put in ``sort``'s order."""

    def __init__(self, quotes: list[Quote], sort: Sort, pending: dict[str, int], held_back: int = 0) -> None:
        """``quotes``: the copy to order, its own (emptied once ordered: ``step``);
        ``pending``: this window's unsaved likes by quote then (they count in the
        order); ``held_back``: how many of ``quotes`` are held back, shown once ordered."""
        self.sort = sort
        self.held_back = held_back
        self._quotes = quotes

        def likes_then(quote: Quote) -> int:
            return quote.likes + pending.get(quote.id, 0)

        #: The key the copy is ordered by: the likes shown when it began.
        self._key = sort_key(sort, likes_then)
        self._steps = in_order_steps(quotes, sort, likes_then)
        self._ordered: list[Quote] | None = None
        #: Quotes changed since it began: as they were then (None: not among them).
        self._touched: dict[str, Quote | None] = {}

    @property
    def size(self) -> int:
        """Quotes in the copy being ordered."""
        return len(self._quotes)

    @property
    def with_backlog(self) -> bool:
        """It shows quotes held back (else it only orders the rows shown)."""
        return self.held_back > 0

    def again(self, sort: Sort, pending: dict[str, int]) -> Reordering:
        """The same copy put in another order from the start (the changes noted still hold)."""
        # Once ordered, the copy is being let go of: the order holds the same quotes.
        quotes = self._quotes if self._ordered is None else self._ordered
        reordering = Reordering(quotes, sort, pending, self.held_back)
        reordering._touched = self._touched
        return reordering

    def touch(self, quote_id: str, as_was: Quote | None) -> None:
        """``quote_id`` is about to change (``as_was``: as the copy holds it, None if it does not)."""
        self._touched.setdefault(quote_id, as_was)

    def step(self, budget_s: float) -> bool:
        """Order for about ``budget_s`` seconds; True once the order is ready.

        Once ordered, it lets go of the copy it ordered (unless that is the order
        itself) a slice at a time, before it says it is ready: a million
        references dropped at once hold the interpreter 10-20 ms."""
        deadline = perf_counter() + budget_s
        try:
            while self._ordered is None:
                next(self._steps)
                if perf_counter() >= deadline:
                    return False
        except StopIteration as done:
            self._ordered = done.value
        copy = self._quotes
        while copy and copy is not self._ordered:
            del copy[-_LET_GO_AT_ONCE:]
            if perf_counter() >= deadline:
                return False
        return True

    def rows(self, now: Callable[[str], Quote | None], key: Key) -> list[Quote]:
        """The new order, with each quote changed meanwhile as it is ``now`` (None:
        gone) and where ``key`` (the new order's key today) puts it. Call once ready."""
        rows = self._ordered
        assert rows is not None, "not ready"
        stale = sorted(
            position
            for quote in self._touched.values()
            if quote is not None
            and (position := bisect_left(rows, self._key(quote), key=self._key)) < len(rows)
            and rows[position] is quote
        )
        fresh = sorted((quote for i in self._touched if (quote := now(i)) is not None), key=key)
        if len(stale) + len(fresh) <= _ONE_BY_ONE:
            for position in reversed(stale):
                del rows[position]
            for quote in fresh:
                insort(rows, quote, key=key)
            return rows
        kept = _spliced(rows, stale, [])
        places = [bisect_left(kept, key(quote), key=key) for quote in fresh]
        return _spliced(kept, places, fresh)


def _spliced(rows: list[Quote], places: list[int], quotes: list[Quote]) -> list[Quote]:
    """``rows`` without the rows at ``places`` (ascending), or, given ``quotes``,
    with each of them put before the row at its place; slices copied, not rows moved."""
    out: list[Quote] = []
    start = 0
    for n, place in enumerate(places):
        out += rows[start:place]
        if quotes:
            out.append(quotes[n])
            start = place
        else:
            start = place + 1
    out += rows[start:]
    return out
