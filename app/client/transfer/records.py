"""One record of an import file, checked: what makes a quote (or a collection) of a JSON value.

A record is either a new quote (``author``, ``content``, optionally ``likes``
and ``as_of``), a whole quote as ``export`` writes it (with ``id``,
``inserted_at`` and ``updated_at``, kept as they are, its ``version`` kept
too when given (older exports have none: the quote is given a new one), and
with ``export --all`` its ``tenant``), or a collection alone
(``{"tenant": NAME}``, which ``export --all`` writes for a collection
without quotes), so an export imported into an empty store gives back the
same collections, empty ones included.

Every time is checked and kept as its exact instant in UTC
(``app.repo.schema.parse_time``): a time without an offset names no instant
and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from pydantic import ValidationError

from app.repo import tenants
from app.repo.errors import InvalidTenant
from app.repo.schema import MAX_LIKES, MAX_VERSION, InvalidQuote, Quote, parse_time
from app.repo.validation import QuoteFields, describe

#: Fields of a whole quote, as ``export`` writes them.
_WHOLE = frozenset({"id", "inserted_at", "updated_at", "version"})
#: Fields a person writes (``QuoteFields``), and likes.
_FIELDS = frozenset({"author", "content", "as_of", "likes"})
_KNOWN = _WHOLE | _FIELDS | {"tenant"}
_MAX_ID = 100


def field_name(name: str) -> str:
    return repr(name if len(name) <= 40 else name[:40] + "…")


@dataclass(frozen=True)
class Kept:
    """The id and times of a whole quote (as ``export`` wrote it), kept on import."""

    id: str
    inserted_at: datetime
    updated_at: datetime
    #: 0 when the export has none (the import gives it a new one).
    version: int


class Record(NamedTuple):
    """One record of an import file, validated (a tuple: two are made a quote)."""

    #: Where it is in the file ("line 3", "record 2"), for messages.
    where: str
    #: None for a collection alone (``{"tenant": NAME}``).
    fields: QuoteFields | None
    likes: int
    #: A whole quote's id and times; None for a new quote (the import gives them).
    kept: Kept | None = None
    #: The tenant an ``export --all`` record belongs to.
    tenant: str | None = None

    def to_quote(self, new_id: str, at: datetime) -> Quote:
        """The quote to write: a whole one as kept, a new one with ``new_id`` and
        inserted ``at`` (its version is given when it is written)."""
        fields = self.fields
        assert fields is not None, "a collection alone is no quote"
        kept = self.kept
        if kept is None:
            return Quote(new_id, fields.author, fields.content, self.likes, at, at, fields.as_of)
        return Quote(
            kept.id,
            fields.author,
            fields.content,
            self.likes,
            kept.inserted_at,
            kept.updated_at,
            fields.as_of,
            kept.version,
        )


def record(where: str, item: object) -> Record:
    """``item`` (a decoded JSON value) as a record, or ``InvalidQuote`` naming ``where``."""
    if not isinstance(item, dict):
        raise InvalidQuote(f"{where}: expected an object with author and content")
    if not _KNOWN.issuperset(item):
        unknown = next(key for key in item if key not in _KNOWN)
        raise InvalidQuote(f"{where}: unknown field {field_name(unknown)}")
    if len(item) == 1 and "tenant" in item:
        return Record(where, None, 0, None, _tenant(where, item))
    fields = {k: v for k, v in item.items() if k in _FIELDS}
    likes = fields.pop("likes", 0)
    if type(likes) is not int or not 0 <= likes <= MAX_LIKES:
        raise InvalidQuote(f"{where}: likes must be a whole number from 0 to {MAX_LIKES:,}")
    as_of = fields.get("as_of")
    if as_of is not None and not isinstance(as_of, str):
        raise InvalidQuote(f"{where}: as_of must be an ISO 8601 time (text) or null")
    try:
        quote_fields = QuoteFields(**fields)
    except ValidationError as exc:
        raise InvalidQuote(f"{where}: {describe(exc)}") from None
    if _WHOLE.isdisjoint(item) and "tenant" not in item:  # a new quote (most are)
        return Record(where, quote_fields, likes)
    return Record(where, quote_fields, likes, _kept(where, item), _tenant(where, item))


def _kept(where: str, item: dict[str, object]) -> Kept | None:
    """A whole quote's id and times, all three or none, and its version if given."""
    given = [name for name in ("id", "inserted_at", "updated_at") if name in item]
    if not given:
        if "version" in item:
            raise InvalidQuote(f"{where}: a quote with a version needs id, inserted_at and updated_at")
        return None
    if len(given) < 3:
        raise InvalidQuote(f"{where}: a quote with an id needs id, inserted_at and updated_at")
    quote_id = item["id"]
    if not isinstance(quote_id, str) or not quote_id.isprintable() or not 0 < len(quote_id) <= _MAX_ID:
        raise InvalidQuote(f"{where}: id must be printable text of 1 to {_MAX_ID} characters")
    times = []
    for name in ("inserted_at", "updated_at"):
        value = item[name]
        if not isinstance(value, str):
            raise InvalidQuote(f"{where}: {name} must be an ISO 8601 time")
        try:
            times.append(parse_time(value))
        except ValueError as exc:
            raise InvalidQuote(f"{where}: {name} {exc}") from None
    version = item.get("version", 0)
    if type(version) is not int or not 0 <= version <= MAX_VERSION:
        raise InvalidQuote(f"{where}: version must be a whole number from 0 to {MAX_VERSION:,}")
    return Kept(quote_id, times[0], times[1], version)


def _tenant(where: str, item: dict[str, object]) -> str | None:
    if "tenant" not in item:
        return None
    try:
        return tenants.validate(item["tenant"])  # it checks the type
    except InvalidTenant as exc:
        raise InvalidQuote(f"{where}: {exc}") from None
