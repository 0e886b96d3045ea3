"""What an exactly-once write returned, stored with its token and read back as it was.

A retry that finds the token returns the stored result instead of writing
again, so the result must come back with its types: a ``Quote`` as a
``Quote``, a tuple as a tuple. JSON with a tag on what JSON cannot say; never
pickle (the store is shared, and unpickling what another program wrote runs
its code).
"""

from __future__ import annotations

import json
from datetime import datetime

from app.repo.schema import Quote


def encode(result: object) -> bytes:
    return json.dumps(_tagged(result)).encode()


def decode(raw: bytes) -> object:
    return _untagged(json.loads(raw))


def _tagged(value: object) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Quote):
        return {"quote": [*value[:4], *(_time(t) for t in value[4:7]), value.version]}
    if isinstance(value, tuple):
        return {"tuple": [_tagged(v) for v in value]}
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    raise TypeError(f"an exactly-once write cannot return a {type(value).__name__}")


def _untagged(value: object) -> object:
    if isinstance(value, list):
        return [_untagged(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "tuple" in value:
        return tuple(_untagged(v) for v in value["tuple"])
    quote_id, author, content, likes, inserted_at, updated_at, as_of, version = value["quote"]
    return Quote(
        quote_id,
        author,
        content,
        likes,
        datetime.fromisoformat(inserted_at),
        datetime.fromisoformat(updated_at),
        None if as_of is None else datetime.fromisoformat(as_of),
        version,
    )


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
