"""Reading import files: JSON lines or one JSON array of quote objects.

Everything is parsed and validated before anything is written, so a bad
record anywhere means nothing is imported. A record is either a new quote
(``author``, ``content``, optionally ``likes`` and ``as_of``) or a whole quote
as ``export`` writes it (with ``id``, ``inserted_at`` and ``updated_at``,
kept as they are, its ``version`` kept too when given (older exports have
none: the quote is given a new one), and with ``export --all`` its
``tenant``), so an export
imported into an empty store gives back the same collections.

The parser is strict where Python's ``json`` is lenient, so hostile files are
refused with one line naming the record: NaN and Infinity, numbers that no
64-bit store can hold, a field given twice, nesting deeper than Python can
recurse. Lines are split on ``\\n`` only (``\\r\\n`` tolerated): U+2028, U+2029
and U+0085 are text inside a quote, not line ends.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from app.repo import tenants
from app.repo.errors import InvalidTenant
from app.repo.schema import MAX_LIKES, MAX_VERSION, InvalidQuote, Quote, QuoteFields, describe

#: Fields of a whole quote, as ``export`` writes them.
_WHOLE = {"id", "inserted_at", "updated_at", "version"}
_KNOWN = _WHOLE | {"author", "content", "as_of", "likes", "tenant"}
_MAX_ID = 100
#: Longer numbers are refused before Python converts them (which takes time
#: quadratic in the digits, and fails past 4,300).
_MAX_DIGITS = 100


class _Refused(ValueError):
    """Valid JSON that no quote can be made of; the message says why."""


def _refuse_constant(name: str) -> None:
    raise _Refused(f"{name} is not a number JSON allows")


def _whole_number(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise _Refused(f"a number has more than {_MAX_DIGITS} digits")
    return int(text)


def _field_name(name: str) -> str:
    return repr(name if len(name) <= 40 else name[:40] + "…")


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"field {_field_name(key)} appears twice")
        result[key] = value
    return result


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object, parse_constant=_refuse_constant, parse_int=_whole_number
)


def _decode(text: str, where: str) -> object:
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise InvalidQuote(f"{where}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    except _Refused as exc:
        raise InvalidQuote(f"{where}: {exc}") from None
    except RecursionError:
        raise InvalidQuote(f"{where}: nested too deeply") from None


def split_lines(text: str) -> list[str]:
    """JSON lines: split on ``\\n`` only, a trailing ``\\r`` dropped."""
    return [line.removesuffix("\r") for line in text.split("\n")]


@dataclass(frozen=True)
class Kept:
    """The id and times of a whole quote (as ``export`` wrote it), kept on import."""

    id: str
    inserted_at: datetime
    updated_at: datetime
    #: 0 when the export has none (the import gives it a new one).
    version: int


@dataclass(frozen=True)
class Record:
    """One record of an import file, validated."""

    #: Where it is in the file ("line 3", "record 2"), for messages.
    where: str
    fields: QuoteFields
    likes: int
    #: A whole quote's id and times; None for a new quote (the import gives them).
    kept: Kept | None = None
    #: The tenant an ``export --all`` record belongs to.
    tenant: str | None = None

    def to_import(self) -> Quote | tuple[QuoteFields, int]:
        """What ``import_many`` takes: the whole quote to keep, or a new one's fields and likes."""
        if self.kept is None:
            return self.fields, self.likes
        return Quote(
            id=self.kept.id,
            likes=self.likes,
            inserted_at=self.kept.inserted_at,
            updated_at=self.kept.updated_at,
            version=self.kept.version,
            **self.fields.model_dump(),
        )


def parse_quotes(text: str) -> list[Record]:
    """Every record, or ``InvalidQuote`` naming the bad one."""
    body = text.removeprefix("\ufeff")  # not stripped further: line numbers stay the file's
    stripped = body.strip()
    if not stripped:
        raise InvalidQuote("the file holds no quotes")
    if stripped.startswith("["):
        items = _decode(body, "the file")
        if not isinstance(items, list):
            raise InvalidQuote("the file: expected one JSON array or JSON lines")
        located = [(f"record {n}", item) for n, item in enumerate(items, 1)]
    else:
        located = [
            (f"line {n}", _decode(line, f"line {n}"))
            for n, line in enumerate(split_lines(body), 1)
            if line.strip()
        ]
    return [_record(where, item) for where, item in located]


def _record(where: str, item: object) -> Record:
    if not isinstance(item, dict):
        raise InvalidQuote(f"{where}: expected an object with author and content")
    unknown = [key for key in item if key not in _KNOWN]
    if unknown:
        raise InvalidQuote(f"{where}: unknown field {_field_name(unknown[0])}")
    fields = {k: v for k, v in item.items() if k not in _WHOLE and k != "tenant"}
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
        try:
            times.append(datetime.fromisoformat(item[name]))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InvalidQuote(f"{where}: {name} must be an ISO 8601 time") from None
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
