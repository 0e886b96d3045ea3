"""How the command line prints quotes and live events (human or JSON lines).

Every line reaches the output whole when ``line`` returns (``stdout_guard``),
so a pipe sees each change at once and a failed write is never silent. Human
output escapes what a terminal would hide or misdraw (``escape``); JSON
output keeps every character as stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

from app.cli.escape import message, one_line, printable
from app.cli.stdout_guard import GuardedStdout
from app.client.transfer.exporting import json_line, oldest_first
from app.repo.schema import Quote

if TYPE_CHECKING:
    from app.sync.events import Changes, Snapshot


def describe_quote(quote: Quote) -> str:
    likes = "1 like" if quote.likes == 1 else f"{quote.likes} likes"
    return f"{printable(quote.id)}  {likes:>9}  {one_line(quote.content)} — {one_line(quote.author)}"


#: What ``watch`` prints: a batch of the collection, or one record's event as a dict.
Event: TypeAlias = "Snapshot | Changes | dict[str, Any]"


def _json_events(event: Event) -> list[dict[str, Any]]:
    from app.sync.events import Snapshot  # only watch prints events: list starts without them

    if isinstance(event, dict):
        quote = event.get("quote")
        return [event | {"quote": quote.to_json() if quote else None}]
    if isinstance(event, Snapshot):
        return [{"event": "snapshot", "quotes": [q.to_json() for q in oldest_first(event.quotes)]}]
    return (
        [{"event": "insert", "id": q.id, "quote": q.to_json()} for q in event.inserted]
        + [{"event": "update", "id": q.id, "quote": q.to_json()} for q in event.updated]
        + [{"event": "delete", "id": i, "quote": None} for i in event.deleted]
    )


class Output:
    """Where a command writes: lines of output (whole, or ``OutputFailed``), and one-line errors."""

    def __init__(self, stdout: TextIO, stderr: TextIO) -> None:
        self.stdout = GuardedStdout(stdout)
        self.stderr = stderr

    def line(self, text: str) -> None:
        self.stdout.write(text + "\n")

    def error(self, text: str) -> None:
        try:
            print(f"quotes: {message(text)}", file=self.stderr, flush=True)
        except (OSError, ValueError):
            pass  # stderr itself is gone: there is no one left to tell

    def quote(self, quote: Quote) -> None:
        self.line(describe_quote(quote))

    def event(self, event: Event, as_json: bool) -> None:
        for item in _json_events(event):
            if as_json:
                self.line(json_line(item))
            elif item["event"] == "snapshot":
                quotes = item.get("quotes")
                if quotes is None:
                    quotes = [item["quote"]] if item["quote"] else []
                self.line(f"watching {len(quotes)} quote(s); press Ctrl+C to stop")
                for quote in quotes:
                    self.quote(Quote.from_json(quote))
            elif item["quote"] is None:
                self.line(f"{item['event']:<7} {printable(item['id'])}")
            else:
                self.line(f"{item['event']:<7} {describe_quote(Quote.from_json(item['quote']))}")
