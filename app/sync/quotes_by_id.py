"""Quotes by id, spread over many small dicts: a mapping that grows without a stall.

Why: a dict grows by moving every entry to a table twice the size, at once,
holding the interpreter. While a million quotes stream into a window, the
list model's dict grew past 700,000 entries in 40-60 ms on the GUI thread,
and the live collection's, on its reader thread, kept the GUI thread waiting
about 27 ms (a frame at 60 Hz is 16 ms). Spread over 256 dicts, each growth
moves a 256th of that.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableMapping
from itertools import chain
from typing import TypeVar, overload

from app.repo.schema import Quote

_T = TypeVar("_T")
SHARDS = 256
_MASK = SHARDS - 1


class QuotesById(MutableMapping[str, Quote]):
    __slots__ = ("_shards",)

    def __init__(self, quotes: Iterable[Quote] = ()) -> None:
        self._shards: list[dict[str, Quote]] = [{} for _ in range(SHARDS)]
        self.add_all(quotes)

    def __getitem__(self, quote_id: str) -> Quote:
        return self._shards[hash(quote_id) & _MASK][quote_id]

    @overload
    def get(self, quote_id: str, /) -> Quote | None: ...

    @overload
    def get(self, quote_id: str, default: Quote | _T, /) -> Quote | _T: ...

    def get(self, quote_id: str, default: object = None, /) -> object:
        return self._shards[hash(quote_id) & _MASK].get(quote_id, default)

    def __contains__(self, quote_id: object) -> bool:
        return quote_id in self._shards[hash(quote_id) & _MASK]

    def __setitem__(self, quote_id: str, quote: Quote) -> None:
        self._shards[hash(quote_id) & _MASK][quote_id] = quote

    def __delitem__(self, quote_id: str) -> None:
        del self._shards[hash(quote_id) & _MASK][quote_id]

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(self._shards)

    def __len__(self) -> int:
        return sum(map(len, self._shards))

    def add_all(self, quotes: Iterable[Quote]) -> None:
        """Hold each of ``quotes`` under its id."""
        shards = self._shards
        for quote in quotes:
            shards[hash(quote.id) & _MASK][quote.id] = quote

    def add_new(self, quotes: Iterable[Quote]) -> list[Quote]:
        """Hold each of ``quotes`` not held yet (by id); those, in their order."""
        shards, fresh = self._shards, []
        for quote in quotes:
            shard = shards[hash(quote_id := quote.id) & _MASK]
            if quote_id not in shard:
                shard[quote_id] = quote
                fresh.append(quote)
        return fresh

    def update_from(self, other: QuotesById) -> None:
        """Hold every quote ``other`` holds (a dict update a shard, not one a quote)."""
        for mine, theirs in zip(self._shards, other._shards, strict=True):
            mine.update(theirs)

    def values(self) -> Iterator[Quote]:  # type: ignore[override]
        return chain.from_iterable(shard.values() for shard in self._shards)
