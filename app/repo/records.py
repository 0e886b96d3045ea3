"""How a quote is stored: one JSON object per record, likes in their own key.

The record holds author, content, as_of, the two times and the text's version
(absent from records written before versions: read as 0); id and likes live
in keys of their own (likes move by atomic add, so concurrent likes never
conflict). Decoding is on the path of every snapshot (a million records for
a large collection, while the window's thread waits on the interpreter), so
it is lean: msgspec decodes the record into its typed fields in C (about 0.7
µs a record, where the json module's scanner took 3.5-4.5), and a ``Quote``
is built straight from the tuple of its fields. A snapshot's page is decoded
a field at a time (``decode_all``: each field one pass of C calls over the
page), and a record at a time only if one of them is off that common path.
A record msgspec refuses (or one holding a surrogate escape) is read again
the json module's way, which says why it is damaged, or reads it if it is a
quote after all: every record reads as it did before. It never trusts the
store blindly, though: a record another program or an older version
wrote that no quote can be is ``DamagedRecord`` naming its id, and readers
skip it and report it (``QuoteRepo.damaged``), so one bad record never stops
a list, an export or a window from showing the others. Two things keep the
memory per quote small: a quote never edited shares one time object for
inserted and updated, and author names are interned (collections repeat
their authors).
"""

from __future__ import annotations

import json
import sys
from array import array
from collections.abc import Sequence
from datetime import datetime
from itertools import repeat
from operator import attrgetter

import msgspec

from app.repo.schema import MAX_LIKES, MAX_VERSION, Quote
from app.store.errors import StoreError


class InvalidRecord(StoreError):
    """A stored record no quote can hold (another program, or an older version, wrote it)."""


class DamagedRecord(InvalidRecord):
    """One record that cannot be read as a quote: ``quote_id`` and ``why``."""

    def __init__(self, quote_id: str, why: str) -> None:
        super().__init__(f"the store holds a damaged record: quote {quote_id} ({why})")
        self.quote_id = quote_id
        self.why = why


_encode_json = json.JSONEncoder().encode  # ``json.dumps`` without its checks of arguments
_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # (text, index) -> (value, end)
_parse_time = datetime.fromisoformat
_intern = sys.intern
_new_quote = tuple.__new__
#: Only a ``\\u`` escape of a surrogate (``encode`` escapes everything past
#: ASCII) can give a decoded record a lone surrogate: the rare records that
#: hold one are checked further.
_SURROGATE_ESCAPES = (b"\\ud", b"\\uD")


def encode(quote: Quote) -> bytes:
    """The stored record of ``quote`` (its id and likes are stored elsewhere)."""
    inserted = quote.inserted_at.isoformat()
    return _encode_json(
        {
            "author": quote.author,
            "content": quote.content,
            "as_of": quote.as_of.isoformat() if quote.as_of else None,
            "inserted_at": inserted,
            "updated_at": inserted if quote.updated_at is quote.inserted_at else quote.updated_at.isoformat(),
            "version": quote.version,
        }
    ).encode()


class _Record(msgspec.Struct, gc=False):
    """The fields of a stored record, as msgspec checks their types (times as text:
    parsed as ``_decode`` parses them, a quote never edited sharing one)."""

    author: str
    content: str
    as_of: str | None
    inserted_at: str
    updated_at: str
    version: int = 0


_decode_record = msgspec.json.Decoder(_Record).decode
_FIELDS = ("author", "content", "as_of", "inserted_at", "updated_at", "version")
_record_fields = [attrgetter(field) for field in _FIELDS]
_tzinfo = attrgetter("tzinfo")


def decode(quote_id: str, raw: bytes, likes: int) -> Quote:
    """A stored record as a Quote; ``DamagedRecord`` (naming the id) for one
    that no quote can be: not JSON, fields missing or of the wrong type, a
    time without its offset, a lone surrogate, likes or version out of range.

    The common case, inline (a million calls): a record msgspec reads, whose
    values are in range, and whose author and content are ASCII (a flag of
    each string: no lone surrogate in them, without a search of the record)
    or whose record holds no surrogate escape. Any other is read ``_decode``'s way."""
    if 0 <= likes <= MAX_LIKES:
        try:
            record = _decode_record(raw)
            inserted, updated, as_of = record.inserted_at, record.updated_at, record.as_of
            inserted_at = _parse_time(inserted)
            updated_at = inserted_at if updated == inserted else _parse_time(updated)
            as_of_time = None if as_of is None else _parse_time(as_of)
        except (msgspec.DecodeError, ValueError):  # UnicodeError included: said why below
            pass
        else:
            version, author, content = record.version, record.author, record.content
            if (
                0 <= version <= MAX_VERSION
                and inserted_at.tzinfo is not None
                and updated_at.tzinfo is not None
                and (as_of_time is None or as_of_time.tzinfo is not None)
                and (
                    (author.isascii() and content.isascii())
                    or (_SURROGATE_ESCAPES[0] not in raw and _SURROGATE_ESCAPES[1] not in raw)
                )
            ):
                fields = (
                    quote_id,
                    _intern(author),
                    content,
                    likes,
                    inserted_at,
                    updated_at,
                    as_of_time,
                    version,
                )
                return _new_quote(Quote, fields)
    try:
        return _decode(quote_id, raw, likes)
    except DamagedRecord:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, StopIteration) as exc:
        raise DamagedRecord(quote_id, _why(exc)) from None


def decode_all(ids: Sequence[str], raws: Sequence[bytes], likes: Sequence[int]) -> list[Quote] | None:
    """``decode`` of each record (``ids``, ``raws`` and ``likes`` side by side), or
    None if any of them is off the common path: then decode them one at a time.

    Why: a page of a snapshot (a million records for a large collection) is
    decoded a field at a time, each a pass of C calls over the page, without a
    Python step a record: about a fifth less time than ``decode`` a record.
    The checks are ``decode``'s, a page at a time."""
    if not raws or min(likes) < 0 or max(likes) > MAX_LIKES:
        return None
    try:
        records = list(map(_decode_record, raws))
        columns = (list(map(get, records)) for get in _record_fields)
        authors, contents, as_ofs, inserted, updated, versions = columns
        inserted_at = list(map(_parse_time, inserted))
        if updated == inserted:  # never edited: one time object for both
            updated_at = inserted_at
        else:
            pairs = zip(inserted_at, inserted, updated, strict=True)
            updated_at = [time if text == new else _parse_time(new) for time, text, new in pairs]
        as_of_given = as_ofs.count(None) != len(as_ofs)
        if as_of_given:
            as_ofs = [None if a is None else _parse_time(a) for a in as_ofs]
    except (msgspec.DecodeError, ValueError):
        return None
    if (
        min(versions) < 0
        or max(versions) > MAX_VERSION
        or None in map(_tzinfo, inserted_at)
        or (updated_at is not inserted_at and None in map(_tzinfo, updated_at))
        or (as_of_given and any(a is not None and a.tzinfo is None for a in as_ofs))
    ):
        return None
    if not (all(map(str.isascii, authors)) and all(map(str.isascii, contents))) and not all(
        (author.isascii() and content.isascii())
        or (_SURROGATE_ESCAPES[0] not in raw and _SURROGATE_ESCAPES[1] not in raw)
        for author, content, raw in zip(authors, contents, raws, strict=True)
    ):
        return None
    authors = list(map(_intern, authors))
    fields = zip(ids, authors, contents, likes, inserted_at, updated_at, as_ofs, versions, strict=True)
    return list(map(_new_quote, repeat(Quote), fields))


def counts(values: Sequence[bytes]) -> list[int] | None:
    """The likes stored in ``values`` (each as atomic ``add`` stores it: 8 bytes,
    little-endian), in one C call; None if one is not 8 bytes long."""
    if not values or set(map(len, values)) != {8}:
        return None
    numbers = array("q", b"".join(values))
    if sys.byteorder != "little":
        numbers.byteswap()
    return numbers.tolist()


def _why(exc: Exception) -> str:
    if isinstance(exc, UnicodeError):
        return "not UTF-8"
    if isinstance(exc, (StopIteration, json.JSONDecodeError)):
        return "not JSON"
    if isinstance(exc, KeyError):
        return f"no {exc.args[0]}"
    return "a field of the wrong type"


def _decode(quote_id: str, raw: bytes, likes: int) -> Quote:
    if not 0 <= likes <= MAX_LIKES:
        raise DamagedRecord(quote_id, f"likes {likes:,}, outside 0 to {MAX_LIKES:,}")
    record = _scan(raw.decode(), 0)[0]
    author, content, version = record["author"], record["content"], record.get("version", 0)
    inserted, updated, as_of = record["inserted_at"], record["updated_at"], record["as_of"]
    if type(author) is not str or type(content) is not str or type(version) is not int:
        raise TypeError
    if not 0 <= version <= MAX_VERSION:
        raise DamagedRecord(quote_id, "version out of range")
    if (_SURROGATE_ESCAPES[0] in raw or _SURROGATE_ESCAPES[1] in raw) and not _whole_text(author, content):
        raise DamagedRecord(quote_id, "a lone surrogate")
    inserted_at = _parse_time(inserted)
    updated_at = inserted_at if updated == inserted else _parse_time(updated)
    as_of_time = None if as_of is None else _parse_time(as_of)
    if inserted_at.tzinfo is None or updated_at.tzinfo is None or (as_of_time and as_of_time.tzinfo is None):
        raise DamagedRecord(quote_id, "a time without its offset")
    return _new_quote(
        Quote,
        (quote_id, _intern(author), content, likes, inserted_at, updated_at, as_of_time, version),
    )


def _whole_text(*texts: str) -> bool:
    try:
        for text in texts:
            text.encode()
    except UnicodeEncodeError:
        return False
    return True
