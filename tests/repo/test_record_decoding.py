"""Stored records read as quotes: the fast path (msgspec) reads every record as before.

A record msgspec refuses, or one it need not judge (a surrogate escape), is
read the json module's way: records another program wrote that are quotes
after all still read, and damaged ones say why as they did.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.quotes import make_quote

from app.repo.records import DamagedRecord, counts, decode, decode_all, encode
from app.repo.schema import MAX_LIKES, MAX_VERSION
from app.store.base import encode_int

TIMES = {"inserted_at": "2024-01-01T00:00:00+00:00", "updated_at": "2024-01-01T00:00:00+00:00"}
GOOD = {"author": "A", "content": "C", "as_of": None, "version": 1} | TIMES


def _raw(**fields: object) -> bytes:
    return json.dumps(GOOD | fields).encode()


@pytest.mark.parametrize(
    "raw",
    [
        _raw(),
        _raw(content="Cœur ☃ 😀"),  # escapes, a surrogate pair among them
        _raw(updated_at="2024-02-01T10:00:00.250000+02:00"),
        _raw(as_of="1999-12-31T23:59:59+00:00"),
        json.dumps({k: v for k, v in GOOD.items() if k != "version"}).encode(),  # written before versions
        _raw(extra=[1, 2]),  # a field another version added
        _raw()[:-1] + b', "author": "B"}',  # a key twice: the last counts
        _raw() + b"  trailing",  # read as the json module reads it
        _raw(inserted_at="2024-01-01 00:00:00+00:00", updated_at="2024-01-01 00:00:00+00:00"),
    ],
)
def test_a_record_that_is_a_quote_reads_as_one(raw):
    fields = json.JSONDecoder().raw_decode(raw.decode())[0]
    quote = decode("q1", raw, 3)
    shown = (quote.id, quote.author, quote.content, quote.likes)
    assert shown == ("q1", fields["author"], fields["content"], 3)
    assert quote.inserted_at == datetime.fromisoformat(fields["inserted_at"])
    assert quote.updated_at == datetime.fromisoformat(fields["updated_at"])
    assert quote.version == fields.get("version", 0)
    if fields["updated_at"] == fields["inserted_at"]:
        assert quote.updated_at is quote.inserted_at  # one object: less memory a quote


@pytest.mark.parametrize(
    ("raw", "likes", "why"),
    [
        (b"{not json", 0, "not JSON"),
        (b'{"author": "\xff"}', 0, "not UTF-8"),
        (_raw(inserted_at="2024-01-01T00:00:00"), 0, "a time without its offset"),
        (_raw(as_of="2024-01-01T00:00:00"), 0, "a time without its offset"),
        (_raw(content="\ud800"), 0, "a lone surrogate"),
        (_raw(author=7), 0, "a field of the wrong type"),
        (_raw(version=True), 0, "a field of the wrong type"),
        (_raw(version=1.0), 0, "a field of the wrong type"),
        (_raw(version=MAX_VERSION + 1), 0, "version out of range"),
        (_raw(version=10**30), 0, "version out of range"),
        (_raw(inserted_at="yesterday"), 0, "a field of the wrong type"),
        (json.dumps({"author": "A"} | TIMES).encode(), 0, "no content"),
        (b"[1, 2]", 0, "a field of the wrong type"),
        (_raw(), MAX_LIKES + 1, f"likes {MAX_LIKES + 1:,}, outside 0 to {MAX_LIKES:,}"),
    ],
)
def test_a_damaged_record_says_why(raw, likes, why):
    with pytest.raises(DamagedRecord) as raised:
        decode("q1", raw, likes)
    assert (raised.value.quote_id, raised.value.why) == ("q1", why)


@given(
    author=st.text(min_size=1),
    content=st.text(min_size=1),
    minutes=st.integers(0, 10**6),
    edited=st.booleans(),
    offset=st.integers(-12 * 60, 14 * 60),
)
def test_what_encode_writes_decodes_to_the_same_quote(author, content, minutes, edited, offset):
    at = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes, microseconds=minutes % 7)
    quote = make_quote(author=author, content=content)._replace(
        inserted_at=at,
        updated_at=at + timedelta(seconds=5) if edited else at,
        as_of=at.astimezone(timezone(timedelta(minutes=offset))),
    )
    raw = encode(quote)
    try:
        assert decode(quote.id, raw, quote.likes) == quote
    except DamagedRecord as exc:  # text that is not whole (a lone surrogate) cannot be a quote
        assert exc.why == "a lone surrogate"


# -- a page at a time (``decode_all``), as a snapshot reads them ----------------------

GOOD_RECORDS = [
    _raw(),
    _raw(content="Cœur ☃ 😀", author="Søren"),
    _raw(updated_at="2024-02-01T10:00:00.250000+02:00"),
    _raw(as_of="1999-12-31T23:59:59+00:00"),
    json.dumps({k: v for k, v in GOOD.items() if k != "version"}).encode(),
]
DAMAGED_RECORDS = [
    b"{not json",
    _raw(inserted_at="2024-01-01T00:00:00"),
    _raw(content="\ud800"),
    _raw(version=-1),
]


def _one_at_a_time(raws: list[bytes], likes: list[int]) -> list:
    out = []
    for n, (raw, count) in enumerate(zip(raws, likes, strict=True)):
        try:
            out.append(decode(f"q{n}", raw, count))
        except DamagedRecord:
            out.append(None)
    return out


@given(
    picks=st.lists(st.integers(0, len(GOOD_RECORDS) - 1), min_size=1, max_size=12),
    damaged=st.one_of(st.none(), st.integers(0, len(DAMAGED_RECORDS) - 1)),
    likes=st.integers(0, 5),
    too_many_likes=st.booleans(),
)
def test_a_page_decodes_as_each_record_does_or_leaves_them_to_it(picks, damaged, likes, too_many_likes):
    raws = [GOOD_RECORDS[pick] for pick in picks]
    if damaged is not None:
        raws.insert(len(raws) // 2, DAMAGED_RECORDS[damaged])
    counts = [likes] * len(raws)
    if too_many_likes:
        counts[-1] = MAX_LIKES + 1
    ids = [f"q{n}" for n in range(len(raws))]
    expected = _one_at_a_time(raws, counts)
    page = decode_all(ids, raws, counts)
    if None in expected:  # a damaged record: each is read on its own, and says why
        assert page is None
    elif any(b"\\ud" in raw for raw in raws):  # a surrogate escape: each is read on its own too
        assert page is None
    else:
        assert page == expected
        shared = [q.updated_at is q.inserted_at for q in page]
        assert shared == [q.updated_at is q.inserted_at for q in expected]


def test_a_page_of_quotes_written_by_encode_is_decoded_a_field_at_a_time():
    quotes = [make_quote(author=f"A{n % 3}", content=f"Quote {n}", likes=n) for n in range(50)]
    page = decode_all([q.id for q in quotes], [encode(q) for q in quotes], [q.likes for q in quotes])
    assert page == quotes
    assert all(q.updated_at is q.inserted_at for q in page)
    assert page[0].author is page[3].author  # authors interned, as one at a time


def test_likes_are_read_from_their_stored_bytes_a_page_at_a_time():
    assert counts([encode_int(n) for n in (0, 1, -2, 2**53 - 1)]) == [0, 1, -2, 2**53 - 1]
    assert counts([encode_int(1), b"\x01"]) is None  # not as atomic add stores it: one at a time
    assert counts([]) is None
