"""The Quote schema: what a stored quote is and which values are allowed.

What a person writes is validated by ``QuoteFields`` and ``validate_fields``
(pydantic, in ``app.repo.validation``); they are loaded when first used, so
a command that only reads (``quotes list``) does not load pydantic.
"""

from __future__ import annotations

import importlib
import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from app.repo.validation import QuoteFields, describe, validate_fields


MAX_AUTHOR = 200
MAX_CONTENT = 5000
#: Likes are whole numbers from 0 to this: exact in JSON everywhere (JavaScript's
#: largest safe integer) and far inside the store's 64-bit counters.
MAX_LIKES = 2**53 - 1
#: Versions are whole numbers from 0 to this, exact in JSON like likes.
MAX_VERSION = 2**53 - 1


class InvalidQuote(ValueError):
    """A quote's fields break the schema; the message names the field and why."""


def parse_time(value: object) -> datetime:
    """An entering time (ISO 8601 text or an aware datetime) as the same instant
    in UTC, exactly: offsets with seconds or microseconds (``+05:30:15``) are
    kept to the microsecond, never rounded. A time without an offset names no
    instant: ``ValueError``."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("must be an ISO 8601 time") from None
    if not isinstance(value, datetime):
        raise ValueError("must be an ISO 8601 time")
    if value.utcoffset() is None:
        raise ValueError("must give its offset from UTC (such as Z or +02:00)")
    return value.astimezone(UTC)


class Quote(NamedTuple):
    """A stored quote, as the repository returns it: a compact immutable record.

    Not a pydantic model: a snapshot holds every quote of a collection (a
    million of them, in bytes rather than kilobytes each), so quotes are
    validated where they enter (``QuoteFields`` for what a person writes,
    ``check_whole`` for whole quotes from an import or an undo) and read back
    from the store as they were written. Equal and hashed by value; copied
    with changes by ``replace``.

    ``version`` is the version of its text: it changes whenever its author,
    content or as_of change, never on likes, so an edit or delete made
    against the version a person saw can be refused when the quote changed
    since (``QuoteRepo.update(..., if_version=)``). A new quote starts at a
    random version (``new_version``) and each edit adds one, so an id deleted
    and written again (imported, seeded) cannot come back at a version
    someone saw before; a quote put back whole (undo of a delete, an import
    of an export) keeps its version, since it is that state again. 0 means
    "no version yet": records written before versions existed read as 0, and
    a quote written with 0 is given a fresh version (``app.repo.writing``).
    """

    id: str
    author: str
    content: str
    likes: int
    inserted_at: datetime
    updated_at: datetime
    as_of: datetime | None = None
    version: int = 0

    def replace(self, **changes: Any) -> Quote:
        """A copy with ``changes`` (field name -> new value)."""
        return self._replace(**changes)

    def to_json(self) -> dict[str, Any]:
        """The command line's JSON form (times in ISO 8601, UTC written ``Z``)."""
        return {
            "id": self.id,
            "author": self.author,
            "content": self.content,
            "likes": self.likes,
            "as_of": None if self.as_of is None else iso_time(self.as_of),
            "inserted_at": iso_time(self.inserted_at),
            "updated_at": iso_time(self.updated_at),
            "version": self.version,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Quote:
        """A quote from its ``to_json`` form (without ``version``, as older
        exports wrote it: version 0, "none yet")."""
        as_of = data.get("as_of")
        return cls(
            id=data["id"],
            author=data["author"],
            content=data["content"],
            likes=data["likes"],
            inserted_at=datetime.fromisoformat(data["inserted_at"]),
            updated_at=datetime.fromisoformat(data["updated_at"]),
            as_of=None if as_of is None else datetime.fromisoformat(as_of),
            version=data.get("version", 0),
        )


def check_whole(quote: Quote) -> Quote:
    """``quote`` with its times in UTC (``parse_time``) if its likes are a whole
    number from 0 to ``MAX_LIKES`` and its version one from 0 to
    ``MAX_VERSION``, else ``InvalidQuote``."""
    if type(quote.likes) is not int or not 0 <= quote.likes <= MAX_LIKES:
        raise InvalidQuote(f"likes must be a whole number from 0 to {MAX_LIKES:,}")
    if type(quote.version) is not int or not 0 <= quote.version <= MAX_VERSION:
        raise InvalidQuote(f"version must be a whole number from 0 to {MAX_VERSION:,}")
    times = {}
    for name in ("inserted_at", "updated_at", "as_of"):
        value = getattr(quote, name)
        if value is None and name == "as_of":
            continue
        try:
            times[name] = parse_time(value)
        except ValueError as exc:
            raise InvalidQuote(f"{name} {exc}") from None
    return quote.replace(**times)


def new_version() -> int:
    """A new quote's first version: random in 1..2**52, leaving 2**52 edits
    before ``MAX_VERSION`` (``next_version`` wraps round past it)."""
    return 1 + random.SystemRandom().randrange(2**52)


def next_version(version: int) -> int:
    """The version after an edit: one more, wrapping round to 1 past ``MAX_VERSION``
    (only "differs" matters to a conditional write)."""
    return version % MAX_VERSION + 1


def iso_time(moment: datetime) -> str:
    """``moment`` in ISO 8601: UTC written ``Z`` (pydantic's form, as the JSON
    output has always written it), any other offset exactly, seconds included
    (a record an older version stored with its offset)."""
    if moment.utcoffset():
        return moment.isoformat()
    return moment.replace(tzinfo=None).isoformat() + ("Z" if moment.tzinfo else "")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def utc_micros(moment: datetime) -> int:
    """Exact microseconds since the epoch, a naive time read as UTC (a float
    timestamp would round)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MICROSECOND


def now() -> datetime:
    return datetime.now(UTC)


def __getattr__(name: str) -> Any:
    """``QuoteFields``, ``validate_fields`` and ``describe``, from ``app.repo.validation``."""
    if name in ("QuoteFields", "validate_fields", "describe"):
        return getattr(importlib.import_module("app.repo.validation"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MAX_AUTHOR",
    "MAX_CONTENT",
    "MAX_LIKES",
    "MAX_VERSION",
    "InvalidQuote",
    "Quote",
    "QuoteFields",
    "check_whole",
    "describe",
    "iso_time",
    "new_version",
    "next_version",
    "now",
    "parse_time",
    "utc_micros",
    "validate_fields",
]
