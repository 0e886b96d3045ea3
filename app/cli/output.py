"""How the command line prints quotes and live events (human or JSON lines).

Every line is flushed as it is written, so a pipe sees each change at once.

JSON lines are written so any JSON reader splits them where we do: U+2028,
U+2029 and U+0085 (line ends to some readers) are written as ``\\u`` escapes.
Human output is for a terminal: control characters and bidirectional
overrides that another tool may have stored are shown escaped, never raw, so
a record cannot move the cursor, change colours or reverse the text around it.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

from app.client.transfer.exporting import json_line, oldest_first
from app.repo.schema import Quote

if TYPE_CHECKING:
    from app.sync.events import Changes, Snapshot

#: Embeddings, overrides and isolates: they reorder the text that follows them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ESCAPED_CATEGORIES = ("Cc", "Cs", "Zl", "Zp")


class OutputFailed(Exception):
    """Standard output cannot be written (disk full, closed): exit status 1."""


def printable(text: str) -> str:
    """``text`` with control characters and bidirectional overrides escaped."""
    return "".join(_escaped(ch) for ch in text)


def _escaped(ch: str) -> str:
    if ch in _BIDI_CONTROLS or unicodedata.category(ch) in _ESCAPED_CATEGORIES:
        return ch.encode("unicode_escape", "backslashreplace").decode("ascii")
    return ch


def _one_line(text: str) -> str:
    return printable(" ".join(text.split()))


def describe_quote(quote: Quote) -> str:
    likes = "1 like" if quote.likes == 1 else f"{quote.likes} likes"
    return f"{printable(quote.id)}  {likes:>9}  {_one_line(quote.content)} — {_one_line(quote.author)}"


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
    """Where a command writes: lines of output, and one-line errors."""

    def __init__(self, stdout: TextIO, stderr: TextIO) -> None:
        self.stdout = stdout
        self.stderr = stderr

    def line(self, text: str) -> None:
        try:
            self.stdout.write(text + "\n")
            self.stdout.flush()
        except BrokenPipeError:
            raise  # the reader went away: the caller ends quietly
        except OSError as exc:
            raise OutputFailed(f"cannot write the output: {exc.strerror}") from None

    def error(self, message: str) -> None:
        print(f"quotes: {printable(message)}", file=self.stderr, flush=True)

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
