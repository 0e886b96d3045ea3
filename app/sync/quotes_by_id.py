"""Quotes by id in dicts of bounded size: a mapping that grows without a stall,
a page of quotes at a time in C.

Why bounded: a dict grows by moving every entry to a table twice the size, at
once, holding the interpreter. While a million quotes stream into a window,
the list model's dict grew past 700,000 entries in 40-60 ms on the GUI thread,
and the live collection's, on its reader thread, kept the GUI thread waiting
about 27 ms (a frame at 60 Hz is 16 ms). Here new quotes go into one open
dict until the next page would take it past ``CHUNK`` quotes; then it is
sealed and a new one opened: no growth moves more than ``CHUNK`` entries
(2-3 ms).

Why pages: the quotes of a streamed page go in with one C call
(``dict.update``), where a Python step a quote (as when the dicts were chosen
by hash) took 1.2 s of a million quotes on the reader thread and 0.4 s more on
the GUI thread. What a page must not do is hold an id twice: each dict knows
the lowest and highest id it ever held, and a page is looked up (in C) only
in the dicts whose span meets its own. A collection read in id order fills
dicts of disjoint spans, so a page meets one or two of them; one read newest
first (ids in random order) meets them all, and is looked up in each (in C:
at a million, about what the Python step a quote cost). A lookup of one id
tries the dicts one after the other: at a million quotes, 12 or a few more.

Why twins: the live collection holds the store's copy of every quote by id,
and a window's list holds what it shows by id; for a collection streamed in,
the two are the same quotes, and building the second a page at a time cost
the window 0.4 s of its interpreter and 20 MB at a million. A ``twin`` shares
the dicts (sealed first); each of the two copies a dict it shares before it
changes it, so neither sees the other's changes (a like copies one dict of
at most ``CHUNK`` quotes, about a millisecond).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from itertools import chain, islice
from operator import attrgetter
from typing import TypeVar, overload

from app.repo.schema import Quote

_T = TypeVar("_T")
#: Quotes a dict holds before it is sealed: all a table of 2**17 slots takes
#: before it grows (two thirds), so a sealed dict is full, not a quarter empty
#: (at 65,536 a dict of them held a million quotes in 29 MB, now 20 MB). Its
#: last growth, to that table, moved 43,690 entries.
CHUNK = 87_381
#: An open dict holding fewer quotes, and a quarter of a page's or less, is sealed
#: before that page: a stream's first page (random ids) would otherwise spread the
#: span of the dict the id-ordered pages after it fill, and each would be looked
#: up in it. (A quarter: dicts sealed so stay few.)
_NARROW = 4_096
_MISSING = object()
_id_of = attrgetter("id")


def _keyed(quotes: Sequence[Quote]) -> dict[str, Quote]:
    """``quotes`` by id (the last of an id twice), in one C call."""
    return dict(zip(map(_id_of, quotes), quotes, strict=True))


class QuotesById(MutableMapping[str, Quote]):
    __slots__ = ("_chunks", "_lows", "_highs", "_shared")

    def __init__(self, quotes: Iterable[Quote] = ()) -> None:
        #: The dicts, the open one (taking new ids) last; each with the lowest and
        #: highest id it ever held (a superset of its ids' span: deletes keep it).
        self._chunks: list[dict[str, Quote]] = [{}]
        self._lows: list[str] = [""]
        self._highs: list[str] = [""]
        #: Places (in ``_chunks``) of the dicts shared with a twin: copied before a change.
        self._shared: set[int] = set()
        self.add_all(quotes)

    def twin(self) -> QuotesById:
        """A mapping holding what this one holds, sharing its dicts (see the module
        docstring): a change to either is not seen in the other."""
        if self._chunks[-1]:
            self._seal()
        twin = QuotesById()
        sealed = len(self._chunks) - 1  # the last is open, empty: each has its own
        twin._chunks[:0] = self._chunks[:sealed]
        twin._lows[:0], twin._highs[:0] = self._lows[:sealed], self._highs[:sealed]
        self._shared.update(range(sealed))
        twin._shared = set(range(sealed))
        return twin

    def _place_of(self, quote_id: str) -> int | None:
        for place, chunk in enumerate(self._chunks):
            if quote_id in chunk:
                return place
        return None

    def _own(self, place: int) -> dict[str, Quote]:
        """The dict at ``place``, to change: a copy of it if it is shared with a twin."""
        if place in self._shared:
            self._shared.discard(place)
            self._chunks[place] = dict(self._chunks[place])
        return self._chunks[place]

    def __getitem__(self, quote_id: str) -> Quote:
        for chunk in self._chunks:
            quote = chunk.get(quote_id, _MISSING)
            if quote is not _MISSING:
                return quote  # type: ignore[return-value]  # not _MISSING: a quote
        raise KeyError(quote_id)

    @overload
    def get(self, quote_id: str, /) -> Quote | None: ...

    @overload
    def get(self, quote_id: str, default: Quote | _T, /) -> Quote | _T: ...

    def get(self, quote_id: str, default: object = None, /) -> object:
        for chunk in self._chunks:
            quote = chunk.get(quote_id, _MISSING)
            if quote is not _MISSING:
                return quote
        return default

    def __contains__(self, quote_id: object) -> bool:
        return any(quote_id in chunk for chunk in self._chunks)

    def __setitem__(self, quote_id: str, quote: Quote) -> None:
        place = self._place_of(quote_id)
        if place is None:
            self._add_new({quote_id: quote}, quote_id, quote_id)
        else:
            self._own(place)[quote_id] = quote

    def __delitem__(self, quote_id: str) -> None:
        place = self._place_of(quote_id)
        if place is None:
            raise KeyError(quote_id)
        del self._own(place)[quote_id]

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(self._chunks)

    def __len__(self) -> int:
        return sum(map(len, self._chunks))

    def values(self) -> Iterator[Quote]:  # type: ignore[override]
        return chain.from_iterable(chunk.values() for chunk in self._chunks)

    def add_all(self, quotes: Iterable[Quote]) -> None:
        """Hold each of ``quotes`` under its id (the last of an id twice)."""
        quotes = quotes if isinstance(quotes, (list, tuple)) else list(quotes)
        for start in range(0, len(quotes), CHUNK):  # no dict of them all at once either
            some = quotes[start : start + CHUNK]
            self._add_all(_keyed(some))

    def add_new(self, quotes: Iterable[Quote]) -> list[Quote]:
        """Hold each of ``quotes`` not held yet (by id); those, in their order."""
        quotes = list(quotes)
        page = _keyed(quotes)
        twice = len(page) < len(quotes)
        if twice:  # an id twice in ``quotes``: its first copy counts
            page = _keyed(quotes[::-1])
        if not page:
            return []
        low, high = min(page), max(page)
        held = self._held_of(page, low, high)
        for quote_id in held:
            del page[quote_id]
        fresh = quotes
        if twice:
            fresh = []
            for quote in quotes:
                if page.get(quote.id) is quote:
                    fresh.append(quote)
                    del page[quote.id]  # its next copy is not fresh
            page = _keyed(fresh)
        elif held:
            fresh = [quote for quote in quotes if quote.id not in held]
        self._add_new(page, low, high)
        return fresh

    def update_from(self, other: QuotesById) -> None:
        """Hold every quote ``other`` holds (a dict update a page, not one a quote)."""
        for chunk in other._chunks:
            if chunk:
                self._add_all(dict(chunk))

    # -- pages ----------------------------------------------------------------------

    def _held_of(self, page: dict[str, Quote], low: str, high: str) -> set[str]:
        """The ids of ``page`` (its ids from ``low`` to ``high``) held already (looked
        up only in the dicts whose span meets the page's)."""
        held: set[str] = set()
        for chunk, chunk_low, chunk_high in zip(self._chunks, self._lows, self._highs, strict=True):
            if chunk_low <= high and low <= chunk_high and not chunk.keys().isdisjoint(page.keys()):
                held |= chunk.keys() & page.keys()
        return held

    def _add_all(self, page: dict[str, Quote]) -> None:
        """Hold the quotes of ``page`` (those held already replaced where they are)."""
        if not page:
            return
        low, high = min(page), max(page)
        held = self._held_of(page, low, high)
        if held:
            for place, chunk in enumerate(self._chunks):
                here = chunk.keys() & held
                changed = [quote_id for quote_id in here if chunk[quote_id] is not page[quote_id]]
                if changed:  # a shared dict is copied only to change it
                    chunk = self._own(place)
                    for quote_id in changed:
                        chunk[quote_id] = page[quote_id]
                for quote_id in here:
                    del page[quote_id]
        self._add_new(page, low, high)

    def _add_new(self, page: dict[str, Quote], low: str, high: str) -> None:
        """Hold the quotes of ``page`` (none held yet; their ids from ``low`` to
        ``high`` or within): into the open dict, sealed when full."""
        chunk = self._chunks[-1]
        if chunk and (
            len(chunk) + len(page) > CHUNK  # a page goes whole into a new dict, not split
            or (len(chunk) < _NARROW and len(chunk) * 4 <= len(page))  # see ``_NARROW``
        ):
            self._seal()
        items = iter(page.items())
        left = len(page)
        while left:
            chunk = self._chunks[-1]
            room = CHUNK - len(chunk)
            if room <= 0:
                self._seal()
                continue
            some = page if left == len(page) <= room else dict(islice(items, room))
            left -= len(some)
            if chunk:
                self._lows[-1], self._highs[-1] = min(low, self._lows[-1]), max(high, self._highs[-1])
            else:
                self._lows[-1], self._highs[-1] = low, high
            chunk.update(some)

    def _seal(self) -> None:
        self._chunks.append({})
        self._lows.append("")
        self._highs.append("")
