"""Putting a whole collection in order: the same order as the row key, whatever order it comes in."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from support.quotes import make_quote

from app.client.order import Sort, in_order, sort_key

#: (id, likes, minute): few minutes and counts, so ties on both are common.
_QUOTES = st.lists(
    st.tuples(st.text("abcdef", min_size=1, max_size=4), st.integers(0, 3), st.integers(0, 5)),
    max_size=300,
    unique_by=lambda fields: fields[0],
)
_ARRIVALS = st.sampled_from(["shuffled", "newest first", "most liked", "a page, then runs"])


def arriving(quotes, arrival: str, rng: random.Random):
    """``quotes`` as a store, a stream or the list itself might hand them over."""
    newest = sorted(quotes, key=sort_key(Sort.NEWEST, lambda q: q.likes))
    if arrival == "shuffled":
        return rng.sample(quotes, len(quotes))
    if arrival == "newest first":
        return newest
    if arrival == "most liked":
        return sorted(quotes, key=sort_key(Sort.MOST_LIKED, lambda q: q.likes))
    first = newest[:7]
    return [*sorted(first, key=lambda q: -q.likes), *newest[7:]]  # a first page shown by likes


@settings(max_examples=150, deadline=None)
@given(fields=_QUOTES, arrival=_ARRIVALS, sort=st.sampled_from(Sort), seed=st.integers(0, 99))
def test_in_order_matches_the_row_key_whatever_the_order_they_arrive_in(fields, arrival, sort, seed):
    quotes = [make_quote(quote_id, likes, minute) for quote_id, likes, minute in fields]
    given_order = arriving(quotes, arrival, random.Random(seed))

    assert in_order(given_order, sort) == sorted(quotes, key=sort_key(sort, lambda q: q.likes))


def test_the_likes_shown_decide_most_liked_not_the_counts():
    quotes = [make_quote("a", likes=2), make_quote("b", likes=1, minute=1)]
    pending = {"b": 5}

    def shown(q):
        return q.likes + pending.get(q.id, 0)

    assert [q.id for q in in_order(quotes, Sort.MOST_LIKED, shown)] == ["b", "a"]
    assert [q.id for q in in_order(quotes, Sort.MOST_LIKED)] == ["a", "b"]
