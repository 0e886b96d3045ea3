"""Putting a whole collection in order: the same order as the row key, whatever order it comes in."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from support.quotes import make_quote

from app.client import sliced_order
from app.client.order import Sort, in_order, sort_key
from app.client.sliced_order import STEP, in_order_steps

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


def run_steps(steps):
    """Drive a sliced computation to its end; its result and how many steps it took."""
    count = 0
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value, count
        count += 1


@settings(max_examples=150, deadline=None)
@given(
    fields=_QUOTES,
    arrival=_ARRIVALS,
    sort=st.sampled_from(Sort),
    seed=st.integers(0, 99),
    many_likes=st.booleans(),
)
def test_the_order_worked_out_in_slices_is_in_orders(fields, arrival, sort, seed, many_likes):
    scale = 70_001 if many_likes else 1  # counts past one radix pass (16 bits)
    quotes = [make_quote(quote_id, likes * scale, minute) for quote_id, likes, minute in fields]
    given_order = arriving(quotes, arrival, random.Random(seed))

    ordered, _ = run_steps(in_order_steps(given_order, sort, lambda q: q.likes))

    assert ordered == in_order(given_order, sort)


def test_a_large_collection_is_ordered_in_many_bounded_steps():
    rng = random.Random(3)
    quotes = [make_quote(f"q{n:05d}", rng.randrange(40), rng.randrange(5_000)) for n in range(20_000)]
    shuffled = rng.sample(quotes, len(quotes))
    pending = {"q00007": 100}

    def shown(q):
        return q.likes + pending.get(q.id, 0)

    ordered, steps = run_steps(in_order_steps(shuffled, Sort.MOST_LIKED, shown))

    assert ordered == in_order(shuffled, Sort.MOST_LIKED, shown) and ordered[0].id == "q00007"
    assert steps >= len(quotes) // STEP, "no step handles more than a step's worth of quotes"


def test_a_bucket_too_large_to_sort_at_once_is_merged_in_steps(monkeypatch):
    monkeypatch.setattr(sliced_order, "BUCKETS", 2)  # a sample that splits nothing much
    rng = random.Random(5)
    quotes = [make_quote(f"q{n:05d}", rng.randrange(3), rng.randrange(900)) for n in range(9_000)]
    shuffled = rng.sample(quotes, len(quotes))

    ordered, _ = run_steps(in_order_steps(shuffled, Sort.NEWEST, lambda q: q.likes))

    assert ordered == in_order(shuffled, Sort.NEWEST)
