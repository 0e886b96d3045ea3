"""Made-up quotes for tests: one factory for the whole suite."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from app.repo.schema import Quote

#: The time quote ``minute=0`` was inserted (later minutes are newer).
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def make_quote(
    quote_id: str | None = None,
    likes: int = 0,
    minute: int = 0,
    *,
    author: str | None = None,
    content: str | None = None,
    inserted_at: datetime | None = None,
    updated_at: datetime | None = None,
    version: int = 1,
) -> Quote:
    """A whole quote, as import or undo brings it back: a random id unless
    given, inserted ``minute`` minutes after ``T0`` unless ``inserted_at`` says."""
    quote_id = quote_id or str(uuid.uuid4())
    at = inserted_at or T0 + timedelta(minutes=minute)
    return Quote(
        id=quote_id,
        author=author if author is not None else f"Author {quote_id}",
        content=content if content is not None else f"Quote {quote_id}",
        likes=likes,
        inserted_at=at,
        updated_at=updated_at or at,
        version=version,
    )
