"""The quotes a window shows: a sorted Python list that reports each row it changes.

A live collection reports what changed; the list turns each change into the
smallest row event (insert, remove, move, changed), so a view over it keeps
its selection, current item and scroll position while other people edit.
Only a Snapshot (first load, resync, tenant switch) resets it. Qt-free: the Qt
model (``app.ui.model``) only translates the events, in the manner of
napari's evented lists and thin Qt models.

A new sort, and the quotes held back while a collection streamed in, are put
in order a slice at a time (``app.client.list_ordering``): whoever shows the
list hears ``on_ordering`` and calls ``order_some`` until it is done; the
rows keep their order and take every change meanwhile, and the new order
comes as one row event (the quotes held back, a slice of rows an event).

The rows are always sorted by a total order (the sort key ends with the id),
so a quote's row is found by bisection and never by a linear search.
"""

from __future__ import annotations

import enum
from bisect import bisect_left
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from typing import Any, Protocol

from app.client.list_ordering import ListOrdering
from app.client.order import Sort, in_order, sort_key
from app.client.pending_likes import PendingLikes
from app.client.reordering import ORDER_SLICE_S, Reordering
from app.repo.schema import Quote
from app.sync.events import Changes, Page, Snapshot
from app.sync.quotes_by_id import QuotesById

#: Quotes of a streamed page that may belong above the last row and still be
#: inserted one by one (a clock set back); a page with more waits for the rest.
_FEW = 16


class Changed(enum.Enum):
    """What changed in a row that stayed (or moved) in the list."""

    #: Any field may have (new text).
    ANY = "any"
    #: The likes shown and the pending mark only (a like, or a fresh copy with the same text).
    LIKES = "likes"
    #: The flash mark only.
    FLASH = "flash"


class RowEvents(Protocol):
    """What a ``QuoteList`` tells its view, in order: each ``*ing`` call comes
    before the rows change, its ``*ed`` call after."""

    def inserting(self, first: int, last: int) -> None: ...
    def inserted(self) -> None: ...
    def removing(self, first: int, last: int) -> None: ...
    def removed(self) -> None: ...
    def moving(self, row: int, destination: int) -> None:
        """``row`` is going before the row now at ``destination`` (Qt's convention)."""

    def moved(self) -> None: ...
    def resetting(self) -> None: ...
    def was_reset(self) -> None: ...
    def reordering(self) -> None:
        """Every row may move (a new sort); no row comes or goes."""

    def reordered(self) -> None: ...
    def changed(self, first: int, last: int, what: Changed) -> None: ...
    def flashing(self, quote_id: str) -> None:
        """Someone else changed ``quote_id``: it flashes until ``end_flashes`` names it."""


class QuoteList(ListOrdering):
    """The quotes of one tenant, in the chosen sort, with optimistic likes."""

    def __init__(
        self, events: RowEvents, sort: Sort = Sort.NEWEST, order_slice_s: float = ORDER_SLICE_S
    ) -> None:
        """``order_slice_s``: how long a slice of working out a new order may take
        (a list of at most ``ORDER_AT_ONCE`` quotes is ordered at once; with 0,
        every step waits for a call of ``order_some``)."""
        self._events = events
        self.order_slice_s = order_slice_s
        self._order_by(sort)
        self._rows: list[Quote] = []
        self._by_id = QuotesById()
        #: A streamed snapshot is still arriving (see ``apply``).
        self._loading = False
        #: Quotes held back (sorted by likes, or pages not newest first): shown
        #: once the collection is whole.
        self._backlog: list[Quote] = []
        #: The same by id: the stream's own index (``Changes.index``), which may hold
        #: quotes shown too (``_by_id`` decides, and goes over it once ordered), or,
        #: without one, built from ``_backlog`` (``_index_backlog``).
        self._backlog_by_id = QuotesById()
        self._backlog_indexed = False
        self._index_holds_shown = False
        #: Quotes held back that changed before their order was worked out: as
        #: ``_backlog`` holds them (the order then puts them back as they are now).
        self._held_changed: dict[str, Quote] = {}
        #: This window's likes not yet seen in a fresh copy of the quote, oldest first.
        self._pending = PendingLikes()
        #: Ids of quotes with changes waiting in the outbox (the session's): shown pending too.
        self.queued: Container[str] = frozenset()
        #: Quotes this window is changing itself: their next new text is not news.
        self._own_edits: set[str] = set()
        #: Quotes someone else changed a moment ago.
        self._flashing: set[str] = set()
        #: A new order being worked out (``order_some``), or None.
        self._reorder: Reordering | None = None
        #: Quotes known (in ``_by_id``) that belong below the rows, in order, not
        #: shown yet: the rest of a collection streamed in, shown a slice at a time.
        self._tail: list[Quote] = []
        #: Called when a new order starts being worked out: call ``order_some`` until it is done.
        self.on_ordering: Callable[[], None] = lambda: None

    # -- what a view reads ------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, row: int) -> Quote:
        return self._rows[row]

    def between(self, first: int, stop: int) -> list[Quote]:
        """The quotes of rows ``first`` to ``stop`` - 1 (a search reads them a slice at a time)."""
        return self._rows[first:stop]

    def __iter__(self) -> Iterator[Quote]:
        return iter(self._rows)

    @property
    def sort(self) -> Sort:
        """The order chosen (the rows may still be in the last one: ``ordering``)."""
        return self._reorder.sort if self._reorder is not None else self._sort

    @property
    def ordering(self) -> bool:
        """True while a new order (or the quotes held back) is being worked out or shown."""
        return self._reorder is not None or bool(self._tail)

    @property
    def loaded(self) -> int:
        """Quotes read so far: the rows, and those held back until the collection is whole."""
        held = self._reorder.held_back if self._reorder is not None else 0
        return len(self._rows) + len(self._backlog) + held + len(self._tail)

    @property
    def complete(self) -> bool:
        """False while a streamed snapshot is still arriving."""
        return not self._loading

    def row_of(self, quote_id: str) -> int | None:
        """The row showing ``quote_id``, or None."""
        quote = self._by_id.get(quote_id)
        return None if quote is None or self._in_tail(quote) else self._row(quote)

    def shown_likes(self, quote: Quote) -> int:
        """The stored count plus this window's likes the store's copy does not show yet."""
        return quote.likes + self._pending.count(quote.id)

    def is_pending(self, quote_id: str) -> bool:
        return quote_id in self._pending or quote_id in self.queued

    def is_flashing(self, quote_id: str) -> bool:
        return quote_id in self._flashing

    # -- live updates -------------------------------------------------------------

    def apply(self, event: Snapshot | Page | Changes) -> None:
        """Apply one event of a live collection.

        A streamed snapshot (newest first) arrives as a Snapshot that is not
        complete, Pages appended below it, then a Changes that ``completes`` it.
        """
        if isinstance(event, Snapshot):
            self._loading = not event.complete
            self.reset(event.quotes)
            return
        if isinstance(event, Page):
            self._extend(event.quotes, event.newest_first)
            return
        if (
            self._backlog
            and not self._backlog_indexed
            and (event.index is not None or event or event.completes)
        ):
            self._index_backlog(event.index)
        if event.completes:
            self._loading = False
            if self._backlog:
                self._start_ordering(self.sort)
        for quote_id in event.deleted:
            self._remove(quote_id)
        for quote in (*event.updated, *event.inserted):
            self._upsert(quote)

    def reset(self, quotes: Iterable[Quote]) -> None:
        """Show exactly ``quotes``: fresh copies, so they settle the likes they include."""
        self._events.resetting()
        self._order_by(self.sort)
        self._drop_ordering(whole=False)
        self._backlog, self._backlog_by_id, self._tail = [], QuotesById(), []
        self._backlog_indexed = self._index_holds_shown = False
        self._held_changed = {}
        given = list(quotes)
        self._by_id = QuotesById(given)
        if len(self._by_id) != len(given):  # an id twice: its last copy counts
            given = list(self._by_id.values())
        for quote_id in self._pending.ids():
            quote = self._by_id.get(quote_id)
            if quote is None:
                self._pending.forget(quote_id)
            else:
                self._pending.confirm(quote)
        self._rows = self._sorted(given)
        self._flashing.clear()
        self._events.was_reset()

    def end_flashes(self, quote_ids: Iterable[str]) -> None:
        """The flash of ``quote_ids`` is over (one event for the rows they span)."""
        rows = []
        for quote_id in quote_ids:
            if quote_id in self._flashing:
                self._flashing.discard(quote_id)
                if (row := self.row_of(quote_id)) is not None:
                    rows.append(row)
        if rows:
            self._events.changed(min(rows), max(rows), Changed.FLASH)

    # -- optimistic likes and own edits -------------------------------------------------

    def like_pending(self, quote_id: str) -> bool:
        """Show one more like at once, marked pending; False if the quote is gone."""
        quote = self._by_id.get(quote_id)
        if quote is None or self._in_tail(quote):
            return False
        row = self._row(quote)
        self._touch(quote_id, quote)
        self._pending.add(quote_id)
        self._settle(row, Changed.LIKES)
        return True

    def like_saved(self, quote_id: str, count: int) -> None:
        """The oldest pending like committed, and the store then counted ``count`` likes."""
        quote = self._by_id.get(quote_id)
        if quote is None:
            return
        self._touch(quote_id, quote)
        if self._pending.saved(quote_id, count) and self._pending.confirm(quote) and not self._in_tail(quote):
            self._settle(self._row(quote), Changed.LIKES)

    def like_failed(self, quote_id: str) -> None:
        """Take back the newest pending like that could not be saved."""
        quote = self._by_id.get(quote_id)
        if quote is None or self._in_tail(quote):
            return
        row = self._row(quote)  # found while the like still counts (most liked first)
        self._touch(quote_id, quote)
        if self._pending.failed(quote_id):
            self._settle(row, Changed.LIKES)

    def editing(self, quote_id: str, mine: bool = True) -> None:
        """This window is saving new text for the quote (``mine=False``: it gave up)."""
        if mine:
            self._own_edits.add(quote_id)
        else:
            self._own_edits.discard(quote_id)

    # -- row-level edits ------------------------------------------------------------

    def _extend(self, quotes: tuple[Quote, ...], newest_first: bool) -> None:
        """Add quotes new to the list: a page of a stream newest first goes below
        every row (one insert); any other is held back until the collection is
        whole (most liked needs every quote; pages in id order would land all
        over the list)."""
        if not newest_first or self._sort is not Sort.NEWEST or self._backlog or self._reorder is not None:
            self._hold_back(quotes)
            return
        rows = self._sorted(quotes)
        below = 0
        if self._rows:
            below = bisect_left(rows, self._key(self._rows[-1]), key=self._key)
            if below > _FEW:
                self._hold_back(quotes)
                return
            for quote in rows[:below]:  # the few that belong higher up (a clock set back)
                self._insert(quote)
        if below < len(rows):
            end = len(self._rows)
            self._events.inserting(end, end + len(rows) - below - 1)
            self._rows.extend(rows[below:])
            self._by_id.add_all(rows[below:])
            self._events.inserted()

    def _upsert(self, quote: Quote) -> None:
        old = self._by_id.get(quote.id)
        if old is None and (held := self._backlog_by_id.get(quote.id)) is not None:
            self._touch_held(quote.id, held)  # shown once ordered: no row changes
            self._backlog_by_id[quote.id] = quote
            self._pending.confirm(quote)
            return
        if old is None:
            self._insert(quote)
            return
        if self._in_tail(old):  # not shown yet: in its place now, below the rows or among them
            del self._tail[self._tail_index(old)], self._by_id[quote.id]
            self._pending.confirm(quote)
            self._insert(quote)
            return
        self._touch(quote.id, old)
        row = self._row(old)
        ours = self._pending.count(quote.id)  # likes the new count may hold
        self._by_id[quote.id] = quote
        self._pending.confirm(quote)
        self._rows[row] = quote
        same_text = _same_text(old, quote)
        if not same_text and quote.id in self._own_edits:
            self._own_edits.discard(quote.id)  # our own edit: not news to us
        elif not same_text or not 0 <= quote.likes - old.likes <= ours:  # not just our likes
            self._flashing.add(quote.id)
            self._events.flashing(quote.id)
        self._settle(row, Changed.LIKES if same_text else Changed.ANY)

    def _insert(self, quote: Quote) -> None:
        if self._in_tail(quote):
            self._tail.insert(self._tail_place(quote), quote)
            self._by_id[quote.id] = quote
            return
        row = bisect_left(self._rows, self._key(quote), key=self._key)
        self._touch(quote.id, None)
        self._events.inserting(row, row)
        self._rows.insert(row, quote)
        self._by_id[quote.id] = quote
        self._events.inserted()

    def _remove(self, quote_id: str) -> None:
        quote = self._by_id.get(quote_id)
        if quote is None:
            if (held := self._backlog_by_id.pop(quote_id, None)) is not None:
                self._touch_held(quote_id, held)  # no row to remove
                self._pending.forget(quote_id)
            return
        if self._in_tail(quote):
            del self._tail[self._tail_index(quote)], self._by_id[quote_id]
            self._pending.forget(quote_id)
            return
        self._touch(quote_id, quote)
        row = self._row(quote)
        self._events.removing(row, row)
        del self._rows[row]
        del self._by_id[quote_id]
        if self._index_holds_shown:
            self._backlog_by_id.pop(quote_id, None)  # gone: not back from there once ordered
        self._pending.forget(quote_id)
        self._flashing.discard(quote_id)
        self._events.removed()

    def _settle(self, row: int, what: Changed) -> None:
        """The quote at ``row`` changed: move it where the sort wants it, then say what changed."""
        rows, key = self._rows, self._key
        wanted = key(rows[row])
        final = destination = row
        if row > 0 and wanted < key(rows[row - 1]):
            final = destination = bisect_left(rows, wanted, 0, row, key=key)
        elif row + 1 < len(rows) and key(rows[row + 1]) < wanted:
            destination = bisect_left(rows, wanted, row + 1, len(rows), key=key)
            final = destination - 1
        if self._tail and final == len(rows) - 1 and self._key(self._tail[0]) < wanted:  # below the rows
            quote = rows[row]
            self._events.removing(row, row)
            del rows[row]
            self._events.removed()
            self._tail.insert(self._tail_place(quote), quote)
            return
        if final != row:
            self._events.moving(row, destination)
            rows.insert(final, rows.pop(row))
            self._events.moved()
        self._events.changed(final, final, what)

    def _row(self, quote: Quote) -> int:
        """The row of a quote that is in the list (found by bisection)."""
        return bisect_left(self._rows, self._key(quote), key=self._key)

    def _order_by(self, sort: Sort) -> None:
        """From now on the rows are in ``sort``'s order (the caller puts them in it)."""
        self._sort = sort
        #: Orders quotes as shown, ascending: rows are found by bisection with it.
        self._key: Callable[[Quote], tuple[Any, ...]] = sort_key(sort, self.shown_likes)

    def _sorted(self, quotes: Sequence[Quote]) -> list[Quote]:
        return in_order(quotes, self._sort, self.shown_likes if self._pending else None)


def _same_text(old: Quote, new: Quote) -> bool:
    """True if only the likes (or fields the list does not show) differ."""
    return (old.content, old.author, old.inserted_at) == (new.content, new.author, new.inserted_at)
