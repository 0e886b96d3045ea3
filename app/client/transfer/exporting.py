"""Exporting collections in the format ``import_quotes`` reads back exactly.

A collection is read whole (``QuoteRepo.read_all``: bounded transactions,
exact as of its last one) and written oldest first, one JSON object a
quote with every field. With every collection, each record names its
``tenant``, and a collection without quotes is one ``{"tenant": NAME}``
record, so an empty collection survives a backup and its restore. Records
the store holds that no quote can be (written by another program) are left
out and listed in ``Export.damaged``: the caller says so. A collection
deleted while every collection is exported (after the list of names was read)
is left out: the export shows the store as it is after that delete.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from app.repo import QuoteRepo, UnknownTenant, tenants
from app.repo.schema import Quote

#: Line ends to some JSON readers, written escaped so every reader splits lines where we do.
_JSON_LINE_ENDS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"}


def json_line(value: object) -> str:
    """``value`` as one line of JSON that every JSON reader reads back as one line
    (U+2028, U+2029 and U+0085 escaped; every other character as it is)."""
    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in _JSON_LINE_ENDS.items():
        text = text.replace(raw, escaped)
    return text


def oldest_first(quotes: Iterable[Quote]) -> list[Quote]:
    return sorted(quotes, key=lambda q: (q.inserted_at, q.id))


@dataclass
class Export:
    """What an export writes: its records in order, and what it could not read."""

    #: JSON-ready records (``json_line`` makes each a line), oldest first.
    records: list[dict[str, Any]] = field(default_factory=list)
    #: (collection, id, why) of each damaged record left out.
    damaged: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def quotes(self) -> int:
        return sum("id" in r for r in self.records)


def export_quotes(
    repo: QuoteRepo, *, every_collection: bool = False, progress: Callable[[int], None] | None = None
) -> Export:
    """``repo``'s collection, or with ``every_collection`` every collection of its
    store (``default`` first, then by name); ``progress`` gets the number of
    quotes read so far after each page."""
    result = Export()
    names = tenants.names(repo.store) if every_collection else [repo.tenant]
    for name in names:
        source = repo if name == repo.tenant else QuoteRepo(repo.store, name)
        on_page = None if progress is None else _after(progress, result.quotes)
        try:
            quotes = oldest_first(source.read_all(on_page))
        except UnknownTenant:
            if not every_collection:
                raise
            continue  # deleted meanwhile
        extra = {"tenant": name} if every_collection else {}
        result.records.extend(quote.to_json() | extra for quote in quotes)
        if every_collection and not quotes:
            result.records.append({"tenant": name})
        result.damaged.extend((name, quote_id, why) for quote_id, why in sorted(source.damaged.items()))
    return result


def _after(progress: Callable[[int], None], before: int) -> Callable[[int], None]:
    """``progress`` counting on from the ``before`` quotes of earlier collections."""
    return lambda read: progress(before + read)
