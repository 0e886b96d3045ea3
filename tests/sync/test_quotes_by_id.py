"""QuotesById behaves as a dict of quotes by id, whatever their number."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.repo.schema import Quote
from app.sync import quotes_by_id
from app.sync.quotes_by_id import CHUNK, QuotesById

AT = datetime(2024, 1, 1, tzinfo=UTC)


def quote(quote_id: str, likes: int = 0) -> Quote:
    return Quote(id=quote_id, author="A", content="C", likes=likes, inserted_at=AT, updated_at=AT)


def test_it_holds_gets_replaces_and_forgets_quotes_like_a_dict() -> None:
    quotes = [quote(f"id-{n}") for n in range(CHUNK * 2 + 10)]
    held = QuotesById(quotes[:10])
    held.add_all(quotes[10:])
    truth = {q.id: q for q in quotes}
    assert held == truth and len(held) == len(truth)
    assert sorted(held) == sorted(truth) and sorted(held.values()) == sorted(truth.values())
    held["id-5"] = quote("id-5", 9)
    del held["id-6"]
    assert held.get("id-5").likes == 9 and held.get("id-6") is None and "id-6" not in held
    assert held.pop("id-7").id == "id-7" and held.pop("id-7", None) is None
    assert len(held) == len(truth) - 2


def test_no_dict_grows_past_a_chunk_whatever_comes_at_once() -> None:
    held = QuotesById(quote(f"id-{n}") for n in range(CHUNK * 2 + 10))
    held.add_new([quote(f"new-{n}") for n in range(CHUNK + 1)])
    assert len(held) == CHUNK * 3 + 11
    assert max(map(len, held._chunks)) <= CHUNK


IDS = st.text(alphabet="abcdef", min_size=1, max_size=2)
PAGES = st.lists(st.tuples(IDS, st.integers(0, 3)), max_size=12)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("add_new"), PAGES),
        st.tuples(st.just("add_all"), PAGES),
        st.tuples(st.just("update_from"), PAGES),
        st.tuples(st.just("set"), PAGES),
        st.tuples(st.just("delete"), IDS),
    ),
    max_size=40,
)


def apply(held: QuotesById, truth: dict[str, Quote], operations) -> None:
    """Each of ``operations`` done to ``held`` and, as a dict does it, to ``truth``."""
    for name, argument in operations:
        if name == "delete":
            assert (argument in held) == (argument in truth)
            if argument in truth:
                del held[argument], truth[argument]
            continue
        page = [quote(quote_id, likes) for quote_id, likes in argument]
        if name == "add_new":
            ids = [q.id for q in page]
            fresh = [q for n, q in enumerate(page) if q.id not in truth and q.id not in ids[:n]]
            assert held.add_new(page) == fresh
            truth.update((q.id, q) for q in fresh)
            continue
        if name == "add_all":
            held.add_all(page)
        elif name == "update_from":
            held.update_from(QuotesById(page))
        else:
            for q in page:
                held[q.id] = q
        truth.update((q.id, q) for q in page)


def holds(held: QuotesById, truth: dict[str, Quote]) -> bool:
    return (
        dict(held) == truth
        and len(held) == len(truth)
        and all(held.get(quote_id) is q for quote_id, q in truth.items())
        and max(map(len, held._chunks)) <= 4
    )


@settings(max_examples=300, deadline=None)
@given(operations=OPERATIONS)
def test_pages_and_single_quotes_in_any_order_hold_what_a_dict_holds(operations) -> None:
    """Small dicts (a chunk of 4 quotes), so pages span several and meet held ids."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(quotes_by_id, "CHUNK", 4)
        held, truth = QuotesById(), {}
        apply(held, truth, operations)
        assert holds(held, truth)


@settings(max_examples=300, deadline=None)
@given(before=OPERATIONS, mine=OPERATIONS, theirs=OPERATIONS)
def test_twins_share_what_they_held_and_each_sees_only_its_own_changes(before, mine, theirs) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(quotes_by_id, "CHUNK", 4)
        held, truth = QuotesById(), {}
        apply(held, truth, before)
        twin, twin_truth = held.twin(), dict(truth)
        assert holds(twin, twin_truth)
        apply(held, truth, mine)
        apply(twin, twin_truth, theirs)
        assert holds(held, truth) and holds(twin, twin_truth)


def test_a_twin_shares_the_dicts_and_copies_only_one_it_changes() -> None:
    held = QuotesById(quote(f"id-{n:07d}") for n in range(CHUNK * 3))
    twin = held.twin()
    shared = [chunk for chunk in held._chunks if chunk]
    assert [chunk for chunk in twin._chunks if chunk] == shared
    assert all(a is b for a, b in zip(shared, (chunk for chunk in twin._chunks if chunk), strict=True))

    twin["id-0000005"] = quote("id-0000005", 9)
    twin.update_from(QuotesById([held["id-0000007"]]))  # the same quote: nothing to copy
    assert held["id-0000005"].likes == 0 and twin["id-0000005"].likes == 9
    sealed = zip(held._chunks[:-1], twin._chunks[:-1], strict=True)  # the last: each its own
    assert [a is not b for a, b in sealed].count(True) == 1
