"""Reading import files: JSON lines or one JSON array of quote objects.

Everything is parsed and validated before anything is written, so a bad
record anywhere means nothing is imported. What ``export`` writes (whole
quotes, with id and times) reads back in: likes are kept, ids and times are
new.

The parser is strict where Python's ``json`` is lenient, so hostile files are
refused with one line naming the record: NaN and Infinity, numbers that no
64-bit store can hold, a field given twice, nesting deeper than Python can
recurse. Lines are split on ``\\n`` only (``\\r\\n`` tolerated): U+2028, U+2029
and U+0085 are text inside a quote, not line ends.
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from app.repo.schema import MAX_LIKES, InvalidQuote, QuoteFields, describe

#: Fields of an exported quote that an import accepts and does not need.
_IGNORED = {"id", "inserted_at", "updated_at"}
_KNOWN = _IGNORED | {"author", "content", "as_of", "likes"}
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


def _object(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
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


def parse_quotes(text: str) -> list[tuple[QuoteFields, int]]:
    """(fields, likes) for every record, or ``InvalidQuote`` naming the bad one."""
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


def _record(where: str, item: object) -> tuple[QuoteFields, int]:
    if not isinstance(item, dict):
        raise InvalidQuote(f"{where}: expected an object with author and content")
    unknown = [key for key in item if key not in _KNOWN]
    if unknown:
        raise InvalidQuote(f"{where}: unknown field {_field_name(unknown[0])}")
    fields = {k: v for k, v in item.items() if k not in _IGNORED}
    likes = fields.pop("likes", 0)
    if type(likes) is not int or not 0 <= likes <= MAX_LIKES:
        raise InvalidQuote(f"{where}: likes must be a whole number from 0 to {MAX_LIKES:,}")
    as_of = fields.get("as_of")
    if as_of is not None and not isinstance(as_of, str):
        raise InvalidQuote(f"{where}: as_of must be an ISO 8601 time (text) or null")
    try:
        return QuoteFields(**fields), likes
    except ValidationError as exc:
        raise InvalidQuote(f"{where}: {describe(exc)}") from None
