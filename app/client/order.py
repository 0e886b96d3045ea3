"""The orders the list can be shown in, and how a whole collection is put in one.

Newest first: by insertion time, then id, both descending (the exact reverse
of ``quotes list``, and the order the insertion-time index streams in). Most
liked: by the likes shown (the count plus this window's likes not yet saved),
then newest first.

A collection is sorted on the GUI thread, a million quotes at a time, so
``in_order`` sorts by C-level keys (attribute getters; a Python key function
called once a quote costs more than the sort) and picks the faster of two
ways by the order the quotes come in:

- in newest-first runs (a stream, the list as shown newest first, a stream's
  pages behind its first page): one sort by (time, id), which Python's sort
  does in one pass over runs, then, for most liked, one by likes, which keeps
  that order among equal counts. 1,000,000 quotes: 0.4 s to most liked;
- in any other order (a whole read, or the rest of a stream for most
  liked, comes in id order, and ids are random): three stable sorts by one
  attribute each, least significant first (id, time, likes); one sort by a
  tuple would compare tuples, twice as slow there. 1,000,000 quotes:
  1.1-1.25 s, most of it the sort by time.

Datetimes compare exactly as ``utc_micros`` does; naive and aware ones mixed
cannot be compared, and then the key function decides.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from app.repo.schema import Quote, utc_micros

#: Adjacent pairs looked at to tell newest-first runs from any other order.
_SAMPLES = 64

_newest = attrgetter("inserted_at", "id")
_id = attrgetter("id")
_inserted_at = attrgetter("inserted_at")
_likes = attrgetter("likes")

ShownLikes = Callable[[Quote], int]


class Sort(enum.Enum):
    """The orders the list can be shown in; the value is what settings store."""

    NEWEST = "newest"
    MOST_LIKED = "most-liked"

    @property
    def label(self) -> str:
        return {Sort.NEWEST: "Newest first", Sort.MOST_LIKED: "Most liked"}[self]


def sort_key(sort: Sort, shown_likes: ShownLikes) -> Callable[[Quote], tuple[Any, ...]]:
    """A key that orders quotes as ``sort`` shows them, ascending (for bisection)."""

    def newest(quote: Quote) -> tuple[Any, ...]:
        return (-utc_micros(quote.inserted_at), _Descending(quote.id))

    def most_liked(quote: Quote) -> tuple[Any, ...]:
        return (-shown_likes(quote), -utc_micros(quote.inserted_at), _Descending(quote.id))

    return most_liked if sort is Sort.MOST_LIKED else newest


def in_order(quotes: Sequence[Quote], sort: Sort, shown_likes: ShownLikes | None = None) -> list[Quote]:
    """``quotes`` as ``sort`` shows them (``shown_likes``: the likes to sort by, if
    not the counts), as a new list."""
    try:
        if _in_newest_runs(quotes):
            rows = sorted(quotes, key=_newest, reverse=True)
        else:
            rows = sorted(quotes, key=_id, reverse=True)
            rows.sort(key=_inserted_at, reverse=True)  # reverse=True keeps ties stable
    except TypeError:
        return sorted(quotes, key=sort_key(sort, shown_likes or _likes))
    if sort is Sort.MOST_LIKED:
        rows.sort(key=shown_likes or _likes, reverse=True)
    return rows


def _in_newest_runs(quotes: Sequence[Quote]) -> bool:
    """True if sampled neighbours are mostly newest first (a few sorted runs)."""
    if len(quotes) < 2:
        return True
    step = max(1, (len(quotes) - 1) // _SAMPLES)
    pairs = range(0, len(quotes) - 1, step)
    ordered = sum(_newest(quotes[i]) > _newest(quotes[i + 1]) for i in pairs)
    return ordered >= 0.9 * len(pairs)


class _Descending:
    """A string that sorts in reverse (for the key function's tie-break)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and self.text == other.text

    def __lt__(self, other: _Descending) -> bool:
        return other.text < self.text
