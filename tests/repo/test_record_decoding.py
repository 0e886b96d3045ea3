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

from app.repo.records import DamagedRecord, decode, encode
from app.repo.schema import MAX_LIKES, MAX_VERSION

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
