"""QuotesById behaves as a dict of quotes by id, whatever their number."""

from __future__ import annotations

from datetime import UTC, datetime

from app.repo.schema import Quote
from app.sync.quotes_by_id import SHARDS, QuotesById

AT = datetime(2024, 1, 1, tzinfo=UTC)


def quote(quote_id: str, likes: int = 0) -> Quote:
    return Quote(id=quote_id, author="A", content="C", likes=likes, inserted_at=AT, updated_at=AT)


def test_it_holds_gets_replaces_and_forgets_quotes_like_a_dict() -> None:
    quotes = [quote(f"id-{n}") for n in range(SHARDS * 3)]
    held = QuotesById(quotes[:10])
    held.add_all(quotes[10:])
    truth = {q.id: q for q in quotes}
    assert held == truth and len(held) == len(truth)
    assert sorted(held) == sorted(truth) and sorted(held.values()) == sorted(truth.values())
    held["id-5"] = quote("id-5", 9)
    del held["id-6"]
    assert held.get("id-5").likes == 9 and held.get("id-6") is None and "id-6" not in held
    assert held.pop("id-7").id == "id-7" and held.pop("id-7", None) is None
    assert len(held) == len(truth) - 2
