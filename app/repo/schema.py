"""The Quote schema: what a stored quote is and which values are allowed."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Annotated, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StringConstraints,
    ValidationError,
)

MAX_AUTHOR = 200
MAX_CONTENT = 5000
#: Likes are whole numbers from 0 to this: exact in JSON everywhere (JavaScript's
#: largest safe integer) and far inside the store's 64-bit counters.
MAX_LIKES = 2**53 - 1


def _no_controls(allowed: str):
    """Refuse control characters (terminal escapes, NUL...) except those ``allowed``."""

    def check(text: str) -> str:
        for ch in text:
            if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cs"):
                raise ValueError("must not contain control characters")
        return text

    return AfterValidator(check)


Author = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_AUTHOR),
    _no_controls(""),
]
Content = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_CONTENT),
    _no_controls("\n\t"),
]


class InvalidQuote(ValueError):
    """A quote's fields break the schema; the message names the field and why."""


class QuoteFields(BaseModel):
    """What a person writes: validated before anything is stored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    author: Author
    content: Content
    as_of: datetime | None = None


class Quote(NamedTuple):
    """A stored quote, as the repository returns it: a compact immutable record.

    Not a pydantic model: a snapshot holds every quote of a collection (a
    million of them, in bytes rather than kilobytes each), so quotes are
    validated where they enter (``QuoteFields`` for what a person writes,
    ``check_whole`` for whole quotes from an import or an undo) and read back
    from the store as they were written. Equal and hashed by value; copied
    with changes by ``replace``.
    """

    id: str
    author: str
    content: str
    likes: int
    inserted_at: datetime
    updated_at: datetime
    as_of: datetime | None = None

    def replace(self, **changes: object) -> Quote:
        """A copy with ``changes`` (field name -> new value)."""
        return self._replace(**changes)

    def to_json(self) -> dict:
        """The command line's JSON form (times in ISO 8601, UTC written ``Z``)."""
        return {
            "id": self.id,
            "author": self.author,
            "content": self.content,
            "likes": self.likes,
            "as_of": None if self.as_of is None else iso_time(self.as_of),
            "inserted_at": iso_time(self.inserted_at),
            "updated_at": iso_time(self.updated_at),
        }

    @classmethod
    def from_json(cls, data: dict) -> Quote:
        """A quote from its ``to_json`` form."""
        as_of = data.get("as_of")
        return cls(
            id=data["id"],
            author=data["author"],
            content=data["content"],
            likes=data["likes"],
            inserted_at=datetime.fromisoformat(data["inserted_at"]),
            updated_at=datetime.fromisoformat(data["updated_at"]),
            as_of=None if as_of is None else datetime.fromisoformat(as_of),
        )


def check_whole(quote: Quote) -> Quote:
    """``quote`` if its likes are a whole number from 0 to ``MAX_LIKES``, else ``InvalidQuote``."""
    if type(quote.likes) is not int or not 0 <= quote.likes <= MAX_LIKES:
        raise InvalidQuote(f"likes must be a whole number from 0 to {MAX_LIKES:,}")
    return quote


def iso_time(moment: datetime) -> str:
    """``moment`` in ISO 8601 as the JSON output has always written it (pydantic's
    form): UTC as ``Z``, other offsets in whole minutes."""
    offset = moment.utcoffset()
    if offset is None:
        return moment.isoformat()
    local = moment.replace(tzinfo=None).isoformat()
    if not offset:
        return local + "Z"
    minutes = int(abs(offset.total_seconds())) // 60
    sign = "-" if offset < timedelta(0) else "+"
    return f"{local}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


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


def validate_fields(**fields: object) -> QuoteFields:
    """Validate a new quote's fields, raising ``InvalidQuote`` with one clear line."""
    try:
        return QuoteFields(**fields)
    except ValidationError as exc:
        raise InvalidQuote(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """One line a person can act on, from pydantic's first error."""
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or "quote"
    kind = error["type"]
    if kind == "missing":
        return f"{field} is required"
    if kind == "string_too_short":
        return f"{field} must not be blank"
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return f"{field} is too long (at most {limit} characters)"
    if kind == "value_error":
        return f"{field} {error['ctx']['error']}"
    if kind == "extra_forbidden":
        return f"unknown field {field!r}"
    return f"{field}: {error['msg']}"
