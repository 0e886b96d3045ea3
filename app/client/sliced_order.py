"""A whole collection put in order a slice at a time, so the GUI thread never waits long.

Why: ``in_order`` sorts a collection in one call of Python's sort, and no
other thread runs meanwhile (the sort holds the interpreter): at 1,000,000
quotes, opening "Most liked" held the window 853 ms. Here the same order is
reached in steps that each do a bounded amount of work (``STEP`` quotes), so
whoever drives it (``app.client.reordering``) runs steps for a few
milliseconds and lets the event loop run in between.

How, by the order wanted:

- newest first: if the quotes are newest first already (checked a step at a
  time), nothing to do; else they are dealt into ``BUCKETS`` buckets between
  keys sampled from them (a bucket sort: each quote's bucket found by C-level
  bisection), and each bucket is sorted on its own by C-level keys, a few
  hundred quotes a call: by time alone, and by time and id only in a bucket
  where two times are equal (no tuple built a quote). At a million quotes in
  id order that takes less time than one call of Python's sort by time and
  id (a fifth less than with that key for each bucket), and twice as fast as
  sorting chunks and merging them (``heapq.merge``, what a bucket too large
  to sort at once still gets);
- most liked: from newest first, a stable radix sort by the likes shown,
  16 bits a pass, highest first: one pass for counts under 65,536, and equal
  counts keep their newest-first order. Linear, where a comparison sort is not.

The result is exactly ``in_order``'s (the tests compare them).
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Callable, Generator, Sequence
from functools import partial
from itertools import islice
from operator import attrgetter, eq
from typing import Any

from app.client.order import Sort, sort_key
from app.repo.schema import Quote

#: Quotes handled between two chances to stop (a fraction of a millisecond of work).
STEP = 1_024
#: Quotes sorted in one call of Python's sort (a bucket with more is merged in steps).
CHUNK = 2_048
#: Buckets a sort deals the quotes into (a few hundred quotes each at a million).
BUCKETS = 4_096
#: Bits of the likes a radix pass orders by.
_RADIX_BITS = 16
_RADIX_MASK = (1 << _RADIX_BITS) - 1

_newest = attrgetter("inserted_at", "id")
_inserted_at = attrgetter("inserted_at")

#: A computation that yields whenever it may be paused, and returns the quotes in order.
Steps = Generator[None, None, list[Quote]]


def in_order_steps(quotes: list[Quote], sort: Sort, likes_of: Callable[[Quote], int]) -> Steps:
    """``quotes`` in ``sort``'s order (``likes_of``: the likes shown), a step at a time:
    a new list, or ``quotes`` itself if they are in that order already (never changed)."""
    rows = yield from _newest_first(quotes, likes_of)
    if sort is Sort.MOST_LIKED:
        rows = yield from _by_likes(rows, likes_of, own=rows is not quotes)
    return rows


def _newest_first(quotes: list[Quote], likes_of: Callable[[Quote], int]) -> Steps:
    try:
        return (yield from _sorted(quotes, _newest, reverse=True, deal_by=_inserted_at))
    except TypeError:  # naive and aware times mixed: the row key decides, as in ``in_order``
        row_key = sort_key(Sort.NEWEST, likes_of)
        return (yield from _sorted(quotes, row_key, reverse=False, deal_by=row_key))


def _sorted(
    quotes: list[Quote], key: Callable[[Quote], Any], reverse: bool, deal_by: Callable[[Quote], Any]
) -> Steps:
    """``quotes`` sorted by ``key``: as they are if they are in order already, else
    dealt into buckets between values of ``deal_by`` (the key's first part, cheaper
    to compare) sampled from them, each bucket sorted on its own."""
    if (yield from _in_order(quotes, key, reverse)):
        return quotes  # not copied: a million quotes copied at once hold the interpreter for ms
    bounds = sorted(map(deal_by, quotes[:: max(1, len(quotes) // BUCKETS)]))
    buckets: list[list[Quote]] = [[] for _ in range(len(bounds) + 1)]
    bucket_of = partial(bisect_right, bounds)
    for start in range(0, len(quotes), STEP):
        chunk = quotes[start : start + STEP]
        for n, quote in zip(map(bucket_of, map(deal_by, chunk)), chunk, strict=True):
            buckets[n].append(quote)
        yield
    rows: list[Quote] = []
    since_pause = 0
    for n in reversed(range(len(buckets))) if reverse else range(len(buckets)):
        # Each bucket let go once copied: a million references dropped at once (the
        # buckets at the end) hold the interpreter 10-20 ms.
        bucket, buckets[n] = buckets[n], []
        if len(bucket) > CHUNK:  # many equal keys up to a bound (or a skewed sample)
            bucket = yield from _merged(bucket, key, reverse)
        else:
            _sort_bucket(bucket, key, reverse, deal_by)
        rows += bucket
        since_pause += len(bucket)
        del bucket
        if since_pause >= STEP:
            since_pause = 0
            yield
    return rows


def _sort_bucket(
    bucket: list[Quote], key: Callable[[Quote], Any], reverse: bool, deal_by: Callable[[Quote], Any]
) -> None:
    """Sort ``bucket`` by ``key``: by its first part ``deal_by`` (no key built a quote:
    a third less time at a million), and by the whole key only if two first parts are equal."""
    bucket.sort(key=deal_by, reverse=reverse)
    if deal_by is not key:
        firsts = list(map(deal_by, bucket))
        if any(map(eq, firsts, islice(firsts, 1, None))):
            bucket.sort(key=key, reverse=reverse)


def _merged(quotes: list[Quote], key: Callable[[Quote], Any], reverse: bool) -> Steps:
    """``quotes`` sorted a chunk at a time, the chunks merged a step at a time."""
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


def _in_order(
    quotes: Sequence[Quote], key: Callable[[Quote], Any], reverse: bool
) -> Generator[None, None, bool]:
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


def _by_likes(rows: list[Quote], likes_of: Callable[[Quote], int], own: bool) -> Steps:
    """``rows`` (newest first) by the likes shown, most first; a stable radix sort
    (``own``: ``rows`` is the sort's own list, emptied once used, not the one given)."""
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
        if own:  # its references dropped a slice at a time, as each bucket's below
            yield from emptied(rows)
        rows, own = [], True
        for digit in sorted(buckets, reverse=True):
            bucket = buckets.pop(digit)
            for start in range(0, len(bucket), STEP * 16):  # a copy of a million rows at once: 10-30 ms
                rows += bucket[start : start + STEP * 16]
                yield
            yield from emptied(bucket)
        shift += _RADIX_BITS
        if highest >> shift == 0:
            return rows


def emptied(quotes: list[Quote]) -> Generator[None, None, None]:
    """Empty ``quotes`` a step at a time: dropping a million references at once
    (a list let go) touches a million objects, 10-20 ms holding the interpreter."""
    while quotes:
        del quotes[-STEP * 16 :]
        yield
