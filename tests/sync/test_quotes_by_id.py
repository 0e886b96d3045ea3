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


@settings(max_examples=300, deadline=None)
@given(operations=OPERATIONS)
def test_pages_and_single_quotes_in_any_order_hold_what_a_dict_holds(operations) -> None:
    """Small dicts (a chunk of 4 quotes), so pages span several and meet held ids."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(quotes_by_id, "CHUNK", 4)
        held, truth = QuotesById(), {}
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
        assert dict(held) == truth and len(held) == len(truth)
        assert all(held.get(quote_id) == q for quote_id, q in truth.items())
        assert max(map(len, held._chunks)) <= 4
