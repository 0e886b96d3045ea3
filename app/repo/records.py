"""How a quote is stored: one JSON object per record, likes in their own key.

The record holds author, content, as_of, the two times and the text's version
(absent from records written before versions: read as 0); id and likes live
in keys of their own (likes move by atomic add, so concurrent likes never
conflict). Decoding is on the path of every snapshot (a million records for
a large collection), so it trusts what ``encode`` wrote: the json module's C
scanner on the record's text (``json.loads`` around it costs more than twice
as much again) and a ``Quote`` built straight from the tuple of its fields. Two things keep the
memory per quote small: a quote never edited shares one time object for
inserted and updated, and author names are interned (collections repeat
their authors).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

from app.repo.schema import MAX_LIKES, Quote
from app.store.errors import StoreError


class InvalidRecord(StoreError):
    """A stored record no quote can hold (another program wrote it)."""


_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # (text, index) -> (value, end)
_parse_time = datetime.fromisoformat
_intern = sys.intern
_new_quote = tuple.__new__


def encode(quote: Quote) -> bytes:
    """The stored record of ``quote`` (its id and likes are stored elsewhere)."""
    return json.dumps(
        {
            "author": quote.author,
            "content": quote.content,
            "as_of": quote.as_of.isoformat() if quote.as_of else None,
            "inserted_at": quote.inserted_at.isoformat(),
            "updated_at": quote.updated_at.isoformat(),
            "version": quote.version,
        }
    ).encode()


def decode(quote_id: str, raw: bytes, likes: int) -> Quote:
    """A stored record as a Quote (``InvalidRecord`` for likes out of range)."""
    if not 0 <= likes <= MAX_LIKES:
        raise InvalidRecord(
            f"the store holds a quote that is not valid: likes of {quote_id} are "
            f"{likes:,}, outside 0 to {MAX_LIKES:,}"
        )
    record = _scan(raw.decode(), 0)[0]
    inserted, updated, as_of = record["inserted_at"], record["updated_at"], record["as_of"]
    inserted_at = _parse_time(inserted)
    return _new_quote(
        Quote,
        (
            quote_id,
            _intern(record["author"]),
            record["content"],
            likes,
            inserted_at,
            inserted_at if updated == inserted else _parse_time(updated),
            None if as_of is None else _parse_time(as_of),
            record.get("version", 0),
        ),
    )
