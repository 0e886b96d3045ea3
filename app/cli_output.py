"""How the command line prints quotes and live events (human or JSON lines).

Every line is flushed as it is written, so a pipe sees each change at once.
"""

from __future__ import annotations

import json
import sys

from app.repo.schema import Quote
from app.sync.events import Changes, Snapshot


def write_line(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def describe_quote(quote: Quote) -> str:
    likes = "1 like" if quote.likes == 1 else f"{quote.likes} likes"
    return f"{quote.id}  {likes:>9}  {_one_line(quote.content)} — {_one_line(quote.author)}"


def print_quote(quote: Quote) -> None:
    write_line(describe_quote(quote))


def _json_events(event: Snapshot | Changes | dict) -> list[dict]:
    if isinstance(event, dict):
        quote = event.get("quote")
        return [event | {"quote": quote.to_json() if quote else None}]
    if isinstance(event, Snapshot):
        quotes = sorted(event.quotes, key=lambda q: (q.inserted_at, q.id))
        return [{"event": "snapshot", "quotes": [q.to_json() for q in quotes]}]
    return (
        [{"event": "insert", "id": q.id, "quote": q.to_json()} for q in event.inserted]
        + [{"event": "update", "id": q.id, "quote": q.to_json()} for q in event.updated]
        + [{"event": "delete", "id": i, "quote": None} for i in event.deleted]
    )


def print_event(event: Snapshot | Changes | dict, as_json: bool) -> None:
    for item in _json_events(event):
        if as_json:
            write_line(json.dumps(item, ensure_ascii=False))
        elif item["event"] == "snapshot":
            quotes = item.get("quotes")
            if quotes is None:
                quotes = [item["quote"]] if item["quote"] else []
            write_line(f"watching {len(quotes)} quote(s); press Ctrl+C to stop")
            for quote in quotes:
                print_quote(Quote(**quote))
        elif item["quote"] is None:
            write_line(f"{item['event']:<7} {item['id']}")
        else:
            write_line(f"{item['event']:<7} {describe_quote(Quote(**item['quote']))}")
