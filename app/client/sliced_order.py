"""A whole collection put in order a slice at a time, so the GUI thread never waits long.

Why: ``in_order`` sorts a collection in one call of Python's sort, and no
other thread runs meanwhile (the sort holds the interpreter): at 1,000,000
quotes, opening "Most liked" held the window 853 ms. Here the same order is
reached in steps that each do a bounded amount of work (``STEP`` quotes), so
whoever drives it (``app.client.reordering``) runs steps for a few
milliseconds and lets the event loop run in between.

How, by the order wanted:

- newest first: if the quotes are newest first already (checked a step at a
  time), nothing to do; else chunks of ``CHUNK`` quotes are sorted by C-level
  keys, each in well under a millisecond, and merged (``heapq.merge``, stable,
  a step at a time);
- most liked: from newest first, a stable radix sort by the likes shown,
  16 bits a pass, highest first: one pass for counts under 65,536, and equal
  counts keep their newest-first order. Linear, where a comparison sort is not.

The result is exactly ``in_order``'s (the tests compare them).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Generator, Sequence
from itertools import islice
from operator import attrgetter
from typing import Any

from app.client.order import Sort, sort_key
from app.repo.schema import Quote

#: Quotes handled between two chances to stop (a fraction of a millisecond of work).
STEP = 1_024
#: Quotes sorted in one call of Python's sort.
CHUNK = 2_048
#: Bits of the likes a radix pass orders by.
_RADIX_BITS = 16
_RADIX_MASK = (1 << _RADIX_BITS) - 1

_newest = attrgetter("inserted_at", "id")

#: A computation that yields whenever it may be paused, and returns the quotes in order.
Steps = Generator[None, None, list[Quote]]


def in_order_steps(quotes: Sequence[Quote], sort: Sort, likes_of: Callable[[Quote], int]) -> Steps:
    """``quotes`` in ``sort``'s order (``likes_of``: the likes shown), a step at a time."""
    rows = yield from _newest_first(quotes, likes_of)
    if sort is Sort.MOST_LIKED:
        rows = yield from _by_likes(rows, likes_of)
    return rows


def _newest_first(quotes: Sequence[Quote], likes_of: Callable[[Quote], int]) -> Steps:
    try:
        return (yield from _sorted(quotes, _newest, reverse=True))
    except TypeError:  # naive and aware times mixed: the row key decides, as in ``in_order``
        return (yield from _sorted(quotes, sort_key(Sort.NEWEST, likes_of), reverse=False))


def _sorted(quotes: Sequence[Quote], key: Callable[[Quote], Any], reverse: bool) -> Steps:
    """``quotes`` sorted by ``key``: as they are if they are in order already, else
    sorted a chunk at a time and merged."""
    if (yield from _in_order(quotes, key, reverse)):
        return list(quotes)
    chunks: list[list[Quote]] = []
    for start in range(0, len(quotes), CHUNK):
        chunks.append(sorted(quotes[start : start + CHUNK], key=key, reverse=reverse))
        yield
    merged = heapq.merge(*chunks, key=key, reverse=reverse)
    rows: list[Quote] = []
    while len(rows) < len(quotes):
        rows.extend(islice(merged, STEP))
        yield
    return rows


def _in_order(quotes: Sequence[Quote], key: Callable[[Quote], Any], reverse: bool) -> Generator[None, None, bool]:
    """True if ``quotes`` are sorted by ``key`` (descending with ``reverse``)."""
    if not quotes:
        return True
    previous = key(quotes[0])
    for start in range(1, len(quotes), STEP):
        for quote in quotes[start : start + STEP]:
            current = key(quote)
            if (previous < current) if reverse else (current < previous):
                return False
            previous = current
        yield
    return True


def _by_likes(rows: list[Quote], likes_of: Callable[[Quote], int]) -> Steps:
    """``rows`` (newest first) by the likes shown, most first; a stable radix sort."""
    shift, highest = 0, 0
    while True:
        buckets: dict[int, list[Quote]] = {}
        for start in range(0, len(rows), STEP):
            for quote in rows[start : start + STEP]:
                likes = likes_of(quote)
                if likes > highest:
                    highest = likes
                digit = (likes >> shift) & _RADIX_MASK
                bucket = buckets.get(digit)
                if bucket is None:
                    buckets[digit] = [quote]
                else:
                    bucket.append(quote)
            yield
        rows = []
        for digit in sorted(buckets, reverse=True):
            rows.extend(buckets[digit])
        yield
        shift += _RADIX_BITS
        if highest >> shift == 0:
            return rows
