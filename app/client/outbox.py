"""The durable outbox: changes made while the store was out of reach, sent later, once each.

A like, an add, an edit or a delete that cannot reach the store is written
to a local SQLite file first (``app.client.local_files``), one row per
change in the order they were made, per store and collection. Each row
carries the exactly-once token made when the user acted, and, once the
first attempt to send it has a read version, that version
(``app.repo.transactional.once_as``): however often a send is cut short and
taken up again, by this window or the next, or by ``quotes outbox send``,
the store applies the change once.

An edit and a delete keep the quote as the user saw it and are sent against
its version, so a quote someone changed meanwhile is not overwritten: the
send ends in a ``Conflicted`` for the conflict view. A like, edit or delete
of a quote deleted meanwhile is dropped with a note. Quitting keeps the file;
nothing here needs the window.
"""

from __future__ import annotations

import enum
import itertools
import json
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.client import local_files
from app.client.conflicts import Action, Change, WriteConflict
from app.repo import Conflict, DuplicateId, NotFound, Quote, QuoteRepo, UnknownTenant, once_results
from app.repo.errors import CollectionReplaced
from app.repo.queued_likes import BATCH, QueuedLike
from app.repo.schema import InvalidQuote, now
from app.repo.transactional import OnceToken, once_as

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    store TEXT NOT NULL,
    tenant TEXT NOT NULL,
    kind TEXT NOT NULL,
    quote_id TEXT NOT NULL,
    quote BLOB,
    change TEXT,
    token BLOB NOT NULL,
    version INTEGER,
    queued_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_collection ON entries (store, tenant, seq);
"""
_COLUMNS = "seq, tenant, kind, quote_id, quote, change, token, version, queued_at"


class Kind(enum.Enum):
    LIKE = "like"
    ADD = "add"
    EDIT = "edit"
    DELETE = "delete"


@dataclass(frozen=True)
class Entry:
    """One change waiting to be sent."""

    seq: int
    tenant: str
    kind: Kind
    quote_id: str
    #: Add: the new quote. Edit, delete: the quote as the user saw it. Like: None.
    quote: Quote | None
    #: Edit: the fields the user changed.
    change: Change | None
    token: bytes
    #: The read version of the first attempt to send it (None: never tried).
    version: int | None
    queued_at: datetime

    def describe(self) -> str:
        """One line a person recognises the change by."""
        quote = self.quote
        if self.kind is Kind.LIKE or quote is None:
            return f"Like of quote {self.quote_id}"
        if not quote.content:  # queued from the command line: only the id and version are known
            return f"{self.kind.value.capitalize()} of quote {self.quote_id} (version {quote.version})"
        text = _short(quote.content)
        if self.kind is Kind.ADD:
            return f"Add “{text}” — {quote.author}"
        if self.kind is Kind.DELETE:
            return f"Delete “{text}” — {quote.author}"
        assert self.change is not None
        edited = self.change.applied_to(quote)
        return f"Edit “{_short(edited.content)}” — {edited.author}"


@dataclass(frozen=True)
class Sent:
    entry: Entry
    #: The quote as the store holds it right after (None: deleted).
    quote: Quote | None


@dataclass(frozen=True)
class Dropped:
    """It can no longer be made (its quote was deleted meanwhile); ``note`` says so."""

    entry: Entry
    note: str


@dataclass(frozen=True)
class Conflicted:
    """Someone changed the quote since the user saw it: the conflict view asks."""

    entry: Entry
    conflict: WriteConflict


Outcome = Sent | Dropped | Conflicted


class Outbox:
    """The outbox of one store (every collection of it), in a local file."""

    def __init__(self, store: str, path: Path | None = None) -> None:
        """``store``: the store's description (names its rows); ``path``: the file."""
        self.store = store
        self.path = path or local_files.folder() / "outbox.db"
        self._conn: sqlite3.Connection | None = None  # opened when first needed
        self._lock = threading.Lock()  # one connection, used from the session's worker threads

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _connection(self, create: bool = False) -> sqlite3.Connection | None:
        """The file's connection (under the lock); None while there is no file and not ``create``."""
        if self._conn is None and (create or self.path.exists()):
            self._conn = local_files.connect(self.path)
            self._conn.executescript(_SCHEMA)
        return self._conn

    # -- the queue ---------------------------------------------------------------

    def queue(
        self, tenant: str, kind: Kind, quote_id: str, quote: Quote | None = None, change: Change | None = None
    ) -> Entry:
        """Write a change to the file (durably) with a fresh exactly-once token."""
        token, at = uuid.uuid4().bytes, now()
        raw_change = None if change is None else json.dumps([change.author, change.content])
        raw_quote = None if quote is None else once_results.encode(quote)
        with self._lock:
            conn = self._connection(create=True)
            assert conn is not None
            cursor = conn.execute(
                "INSERT INTO entries (store, tenant, kind, quote_id, quote, change, token, queued_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (self.store, tenant, kind.value, quote_id, raw_quote, raw_change, token, at.isoformat()),
            )
        assert cursor.lastrowid is not None
        return Entry(cursor.lastrowid, tenant, kind, quote_id, quote, change, token, None, at)

    def entries(self, tenant: str) -> list[Entry]:
        """The changes waiting for one collection, oldest first."""
        with self._lock:
            conn = self._connection()
            if conn is None:
                return []
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM entries WHERE store = ? AND tenant = ? ORDER BY seq",
                (self.store, tenant),
            ).fetchall()
        return [_entry(row) for row in rows]

    def discard(self, entries: list[Entry]) -> int:
        """Drop these changes unsent; how many were still waiting."""
        removed = 0
        with self._lock:
            conn = self._connection()
            for entry in entries:
                if conn is None:
                    break
                removed += conn.execute("DELETE FROM entries WHERE seq = ?", (entry.seq,)).rowcount
        return removed

    # -- sending ------------------------------------------------------------------

    def send(self, repo: QuoteRepo, entry: Entry) -> Outcome:
        """Make one change in the store, exactly once, and take it off the queue.

        A ``StoreError`` (still out of reach, or a result that stayed unknown)
        leaves it queued: sending it again is safe.
        """
        with once_as(OnceToken(entry.token, entry.version, lambda version: self.remember(entry, version))):
            outcome = _send(repo, entry)
        self.discard([entry])
        return outcome

    def send_next(self, repo: QuoteRepo, waiting: list[Entry]) -> list[Outcome]:
        """Send the first change of ``waiting`` (the outbox's, oldest first), or the run of
        likes it starts (up to ``BATCH``, in one transaction); what became of each."""
        if waiting[0].kind is not Kind.LIKE:
            return [self.send(repo, waiting[0])]
        likes = list(itertools.takewhile(lambda entry: entry.kind is Kind.LIKE, waiting[:BATCH]))
        versions = self._remember_all(likes, repo.read_version())
        batch = [QueuedLike(like.quote_id, like.token, versions[like.seq]) for like in likes]
        gone = set(repo.add_queued_likes(batch))
        self.discard(likes)
        fresh = repo.get_many(list({like.quote_id for like in likes} - gone))
        return [
            Dropped(like, _gone_note(like)) if like.quote_id in gone else Sent(like, fresh.get(like.quote_id))
            for like in likes
        ]

    def _remember_all(self, entries: list[Entry], version: int) -> dict[int, int]:
        """Each entry's version: ``version`` unless a send of it was tried before."""
        seqs = [entry.seq for entry in entries]
        marks = ",".join("?" * len(seqs))
        with self._lock:
            conn = self._connection(create=True)
            assert conn is not None
            conn.execute(
                f"UPDATE entries SET version = ? WHERE version IS NULL AND seq IN ({marks})", [version, *seqs]
            )
            found = dict(
                conn.execute(f"SELECT seq, version FROM entries WHERE seq IN ({marks})", seqs).fetchall()
            )
        return {seq: found.get(seq, version) for seq in seqs}

    def remember(self, entry: Entry, version: int) -> int:
        """The read version of the first attempt ever made to send ``entry`` (the
        first to be written wins, if two programs send it at once)."""
        with self._lock:
            conn = self._connection(create=True)
            assert conn is not None
            conn.execute(
                "UPDATE entries SET version = ? WHERE seq = ? AND version IS NULL", (version, entry.seq)
            )
            row = conn.execute("SELECT version FROM entries WHERE seq = ?", (entry.seq,)).fetchone()
        return version if row is None else int(row[0])


def _send(repo: QuoteRepo, entry: Entry) -> Outcome:
    quote = entry.quote
    try:
        if entry.kind is Kind.LIKE:
            repo.add_likes(entry.quote_id)
        elif entry.kind is Kind.ADD:
            assert quote is not None
            try:
                repo.restore(quote)
            except DuplicateId:  # it is there: made by an earlier send whose token was trimmed since
                pass
        elif entry.kind is Kind.EDIT:
            assert quote is not None and entry.change is not None
            change = entry.change
            repo.update(quote.id, author=change.author, content=change.content, if_version=quote.version)
        else:
            assert quote is not None
            repo.delete(quote.id, if_version=quote.version)
            return Sent(entry, None)
    except Conflict as exc:
        action = Action.DELETE if entry.kind is Kind.DELETE else Action.EDIT
        return Conflicted(entry, WriteConflict(action, repo, exc.current, entry.change))
    except NotFound:
        return Dropped(entry, _gone_note(entry))
    except (InvalidQuote, UnknownTenant, CollectionReplaced) as exc:
        return Dropped(entry, f"{entry.describe()}: not sent ({exc}).")
    return Sent(entry, repo.get(entry.quote_id))


def _gone_note(entry: Entry) -> str:
    if entry.kind is Kind.DELETE:
        return "A queued delete was not needed: someone deleted that quote first."
    what = "like" if entry.kind is Kind.LIKE else "edit"
    return f"A queued {what} was dropped: someone deleted that quote meanwhile."


def _entry(row: tuple[Any, ...]) -> Entry:
    seq, tenant, kind, quote_id, raw_quote, raw_change, token, version, queued_at = row
    quote = None if raw_quote is None else once_results.decode(raw_quote)
    change = None if raw_change is None else Change(*json.loads(raw_change))
    return Entry(
        seq,
        tenant,
        Kind(kind),
        quote_id,
        quote if isinstance(quote, Quote) else None,
        change,
        token,
        version,
        datetime.fromisoformat(queued_at),
    )


def _short(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
