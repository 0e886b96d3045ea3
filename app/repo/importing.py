"""Reading import files: JSON lines or one JSON array of quote objects.

Everything is parsed and validated before anything is written, so a bad
record anywhere means nothing is imported. What ``export`` writes (whole
quotes, with id and times) reads back in: likes are kept, ids and times are
new.
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from app.repo.schema import InvalidQuote, QuoteFields, describe

#: Fields of an exported quote that an import accepts and does not need.
_IGNORED = {"id", "inserted_at", "updated_at"}


def parse_quotes(text: str) -> list[tuple[QuoteFields, int]]:
    """(fields, likes) for every record, or ``InvalidQuote`` naming the bad one."""
    body = text.lstrip("\ufeff")  # not stripped further: line numbers stay the file's
    stripped = body.strip()
    if not stripped:
        raise InvalidQuote("the file holds no quotes")
    if stripped.startswith("["):
        try:
            items = json.loads(body)
        except json.JSONDecodeError as exc:
            raise InvalidQuote(f"not valid JSON: {exc.msg} (line {exc.lineno})") from None
        located = [(f"record {n}", item) for n, item in enumerate(items, 1)]
    else:
        located = []
        for n, line in enumerate(body.splitlines(), 1):
            if not line.strip():
                continue
            try:
                located.append((f"line {n}", json.loads(line)))
            except json.JSONDecodeError as exc:
                raise InvalidQuote(f"line {n}: not valid JSON ({exc.msg})") from None
    return [_record(where, item) for where, item in located]


def _record(where: str, item: object) -> tuple[QuoteFields, int]:
    if not isinstance(item, dict):
        raise InvalidQuote(f"{where}: expected an object with author and content")
    fields = {k: v for k, v in item.items() if k not in _IGNORED}
    likes = fields.pop("likes", 0)
    if not isinstance(likes, int) or isinstance(likes, bool) or likes < 0:
        raise InvalidQuote(f"{where}: likes must be a whole number, never negative")
    try:
        return QuoteFields(**fields), likes
    except ValidationError as exc:
        raise InvalidQuote(f"{where}: {describe(exc)}") from None
    except TypeError:
        raise InvalidQuote(f"{where}: field names must be text") from None
