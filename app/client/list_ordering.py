"""A ``QuoteList``'s new orders, and the quotes it holds back while a collection streams in.

A mixin of ``QuoteList`` (see its docstring), in the manner of the view's
``RowMeasuring``: the state it uses (rows, indexes by id, the backlog, the
order under way) is set up by the list. A new sort, and the held-back quotes
once the collection is whole, are put in order a slice at a time
(``Reordering``): the list hears ``on_ordering`` and its owner calls
``order_some`` until it is done; meanwhile the rows keep their order and
take every change, and the new order comes as one row event. The quotes
held back then come ``TAIL_AT_ONCE`` rows an event, one a call (the tail):
quotes not shown yet take every change in their place meanwhile.

While an order is worked out, the cyclic collector waits, as while a
collection streams in (``runtime.collection_loading``): the buckets an order
deals a million quotes into are young lists the collector would walk whole
at each collection (ordering a million quotes took four times as long with
it running).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.client import runtime
from app.client.order import Sort, in_order, sort_key
from app.client.pending_likes import PendingLikes
from app.client.reordering import ORDER_AT_ONCE, Reordering
from app.client.sliced_order import CHUNK
from app.repo.schema import Quote
from app.sync.quotes_by_id import QuotesById

if TYPE_CHECKING:
    from app.client.quote_list import RowEvents

#: Quotes of the tail (``_show_tail``) shown at a time.
TAIL_AT_ONCE = 32_768


class ListOrdering:
    _events: RowEvents
    _sort: Sort
    _rows: list[Quote]
    _by_id: QuotesById
    _loading: bool
    _backlog: list[Quote]
    _backlog_by_id: QuotesById
    _backlog_indexed: bool
    _index_holds_shown: bool
    _held_changed: dict[str, Quote]
    _pending: PendingLikes
    _flashing: set[str]
    _reorder: Reordering | None
    _tail: list[Quote]
    order_slice_s: float
    on_ordering: Callable[[], None]

    if TYPE_CHECKING:
        _key: Callable[[Quote], tuple[Any, ...]]

        @property
        def sort(self) -> Sort: ...

        def shown_likes(self, quote: Quote) -> int: ...

        def _order_by(self, sort: Sort) -> None: ...

    def set_sort(self, sort: Sort) -> None:
        """Show the rows in ``sort``'s order once it is worked out (``order_some``).

        While a collection streams in, only the rows shown are re-sorted; the
        quotes held back are shown with them once the collection is whole.
        """
        if sort is self.sort:
            return
        if sort is self._sort and self._reorder is not None and not self._reorder.with_backlog:
            self._drop_ordering(whole=False)  # back to the order shown
            return
        self._start_ordering(sort)

    def stop_ordering(self) -> None:
        """Give up the order under way, if any: the rows stay as they are."""
        self._drop_ordering(whole=False)

    def order_some(self, budget_s: float) -> bool:
        """Work on the new order for about ``budget_s`` seconds, and show it once it
        is ready (one reorder; the quotes held back a slice a call: ``_show_tail``).
        True when no order is left to work out nor rows to show."""
        reorder = self._reorder
        if reorder is None:
            return self._show_tail(TAIL_AT_ONCE)
        if not reorder.step(budget_s):
            return False
        self._drop_ordering(whole=reorder.with_backlog)  # a loaded collection is frozen (runtime)
        rows = reorder.rows(self._now, sort_key(reorder.sort, self.shown_likes))
        if reorder.with_backlog:
            self._show_backlog(reorder.sort, rows)
        else:
            self._events.reordering()
            self._order_by(reorder.sort)
            self._rows = rows
            self._events.reordered()
        return not self._tail

    def _hold_back(self, quotes: tuple[Quote, ...]) -> None:
        self._backlog.extend(quotes)

    def _index_backlog(self, index: QuotesById | None) -> None:
        """Index the quotes held back, before a change can touch one: ``index``, the
        stream's (if the quotes shown are not the most of it), else built from them."""
        if index is not None and len(self._by_id) <= len(self._backlog):
            self._backlog_by_id, self._index_holds_shown = index, True
        else:
            self._backlog_by_id = QuotesById(self._backlog)
        self._backlog_indexed = True

    def _start_ordering(self, sort: Sort) -> None:
        """Start working out ``sort``'s order: of the rows, and of the quotes held
        back too once the collection is whole (the rows keep theirs meanwhile)."""
        self._show_tail(math.inf)  # every quote in the rows first: a new order takes them all
        pending = {quote_id: self._pending.count(quote_id) for quote_id in self._pending.ids()}
        previous = self._reorder
        if previous is None:
            runtime.collection_loading()  # see app.client.runtime: until ``_drop_ordering``
        if previous is not None and previous.with_backlog:  # the quotes held back are in its copy
            self._reorder = previous.again(sort, pending)
        elif self._backlog and not self._loading:
            head = self._rows
            if self._sort is not Sort.NEWEST and len(head) <= CHUNK:
                # The newest page, shown by likes: newest first again, the stream's
                # order (a stream newest first then needs no sort by time).
                head = in_order(head, Sort.NEWEST)
            # The held-back list is the copy: the rows go in front of it (a move in
            # memory; a copy of a million quotes at once holds the interpreter 10-30 ms).
            quotes, self._backlog = self._backlog, []
            quotes[:0] = head
            self._reorder = Reordering(quotes, sort, pending, held_back=len(quotes) - len(head))
            for quote_id, as_was in self._held_changed.items():
                self._reorder.touch(quote_id, as_was)
            self._held_changed = {}
        else:
            self._reorder = Reordering(list(self._rows), sort, pending)
        # A few thousand quotes are ordered at once (a few ms): a small list changes
        # order as the user asks, without a turn of the event loop in between.
        small = self._reorder.size <= ORDER_AT_ONCE and self.order_slice_s > 0
        if not self.order_some(math.inf if small else self.order_slice_s):
            self.on_ordering()

    def _show_backlog(self, sort: Sort, rows: list[Quote]) -> None:
        """Show ``rows``: the rows shown and the quotes held back, in ``sort``'s order.
        Inserts below the rows shown if they stay on top (the newest page, newest
        first: selection, scroll and measured cards stay), else a reset; either
        way ``TAIL_AT_ONCE`` rows at a time (``_show_tail``)."""
        shown = len(self._rows)
        if sort is self._sort and rows[:shown] == self._rows:
            self._by_id = self._all_by_id()
            del rows[:shown]
            self._tail = rows
            self._show_tail(TAIL_AT_ONCE)
            return
        self._events.resetting()
        self._by_id = self._all_by_id()
        self._order_by(sort)
        self._rows, self._tail = rows[:TAIL_AT_ONCE], rows
        del rows[:TAIL_AT_ONCE]
        self._flashing.clear()
        self._events.was_reset()

    def _all_by_id(self) -> QuotesById:
        """The quotes shown and those held back, by id, in one index; none held back now.
        The smaller index goes into the larger (a second dict of every quote would
        cost 20 MB and 0.1 s at a million), and the one shown over the stream's own."""
        indexes = (self._by_id, self._backlog_by_id)
        smaller, larger = indexes if self._index_holds_shown else sorted(indexes, key=len)
        larger.update_from(smaller)
        self._backlog, self._backlog_by_id = [], QuotesById()
        self._backlog_indexed = self._index_holds_shown = False
        return larger

    # -- the tail: quotes in order below the rows, shown a slice at a time -------------

    def _show_tail(self, count: float) -> bool:
        """Show up to ``count`` quotes of the tail below the rows (one insert); True
        once it is empty. Why: a view's row header takes 15 ms for a million rows
        inserted at once (once any row has a height of its own), 0.5 ms for 32,768."""
        tail = self._tail
        if not tail:
            return True
        some = tail[: int(min(count, len(tail)))]
        end = len(self._rows)
        self._events.inserting(end, end + len(some) - 1)
        self._rows += some
        del tail[: len(some)]
        self._events.inserted()
        return not tail

    def _in_tail(self, quote: Quote) -> bool:
        """True if ``quote`` (held by id) is, or belongs, below the rows, not shown yet."""
        return bool(self._tail) and (not self._rows or self._key(self._rows[-1]) < self._key(quote))

    def _tail_place(self, quote: Quote) -> int:
        return bisect_left(self._tail, self._key(quote), key=self._key)

    def _tail_index(self, quote: Quote) -> int:
        """Where ``quote`` is in the tail: found by bisection, or (its likes shown
        changed since it went there: a pending like settled) looked for."""
        tail, place = self._tail, self._tail_place(quote)
        if place < len(tail) and tail[place].id == quote.id:
            return place
        return next(n for n, held in enumerate(tail) if held.id == quote.id)

    def _drop_ordering(self, whole: bool) -> None:
        """No order is worked out any more (``whole``: the one shown is complete)."""
        if self._reorder is not None:
            self._reorder = None
            runtime.collection_loaded(whole)

    def _touch(self, quote_id: str, as_was: Quote | None) -> None:
        """``quote_id`` (now ``as_was``) is about to change: an order under way puts it back as it will be."""
        if self._reorder is not None:
            self._reorder.touch(quote_id, as_was)

    def _touch_held(self, quote_id: str, as_was: Quote) -> None:
        """``quote_id``, held back (``as_was``), is about to change or go: the order
        under way, or the one that takes the quotes held back, puts it back as it will be.
        Why: a big catch-up comes in slices, and only its last completes the collection."""
        if self._reorder is not None and self._reorder.with_backlog:
            self._reorder.touch(quote_id, as_was)
        else:  # (an order of the rows alone would put it among them)
            self._held_changed.setdefault(quote_id, as_was)

    def _now(self, quote_id: str) -> Quote | None:
        """The quote as the list holds it, shown or held back (None: gone)."""
        return self._by_id.get(quote_id) or self._backlog_by_id.get(quote_id)
