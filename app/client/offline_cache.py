"""The local cache of a collection a window has shown, for opening while the store is away.

One SQLite file per store and collection in the offline folder
(``app.client.local_files``), written as the live view changes: the quotes
in the store's own record form (``app.repo.records``), the change-log
cursor they are exact at (None while a first read is still streaming in)
and when they were last written. A window started while the store is out
of reach opens on it at once and catches up from the cursor once the store
answers (or reads the collection again, if the log no longer reaches back).

Writes run on one thread of their own, in the order the view saw them, so
the window never waits on the file. Bounded: a collection of more than
``MAX_QUOTES`` is not cached (its file is removed), and at most
``MAX_FILES`` caches are kept, the least recently written going first.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.client import local_files
from app.repo import Cursor, Quote
from app.repo.records import decode, encode
from app.repo.schema import utc_micros
from app.sync.events import Changes, Page, Snapshot

log = logging.getLogger(__name__)

#: Larger collections are not cached (a file of about 300 bytes a quote).
MAX_QUOTES = 250_000
#: Caches kept; the least recently written are removed past it.
MAX_FILES = 20

_SCHEMA = """
CREATE TABLE IF NOT EXISTS quotes (
    id TEXT PRIMARY KEY, record BLOB NOT NULL, likes INTEGER NOT NULL, inserted INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS quotes_newest ON quotes (inserted, id);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value);
"""


@dataclass(frozen=True)
class Cached:
    """A collection as a cache holds it."""

    quotes: dict[str, Quote]
    #: Where the store's change log was when these quotes were exact (None: not whole).
    cursor: Cursor | None
    #: When the cache was last written.
    saved_at: datetime


@dataclass(frozen=True)
class Head:
    """The newest quotes of a cached collection: what a window shows first, at once."""

    newest: tuple[Quote, ...]
    #: Quotes in the whole cache.
    total: int
    saved_at: datetime


def path_for(store: str, tenant: str) -> Path:
    return local_files.folder() / f"cache-{local_files.digest(store, tenant)}.db"


def head(store: str, tenant: str, count: int) -> Head | None:
    """The ``count`` newest quotes of the cached collection (None: never cached)."""
    found = _read(
        store, tenant, f"SELECT id, record, likes FROM quotes ORDER BY inserted DESC LIMIT {count:d}"
    )
    if found is None:
        return None
    quotes, meta = found
    return Head(
        tuple(quotes.values()),
        int(meta.get("count") or len(quotes)),
        datetime.fromisoformat(meta["saved_at"]),
    )


def pages(store: str, tenant: str, size: int) -> Iterator[tuple[Quote, ...]]:
    """The cached quotes, newest first, ``size`` at a time (a window shows them as they come)."""
    conn = local_files.connect(path_for(store, tenant))
    try:
        after: tuple[int, str] = (2**63 - 1, "")
        while rows := conn.execute(
            "SELECT id, record, likes, inserted FROM quotes WHERE (inserted, id) < (?, ?) "
            "ORDER BY inserted DESC, id DESC LIMIT ?",
            (*after, size),
        ).fetchall():
            yield tuple(decode(i, record, likes) for i, record, likes, _ in rows)
            after = (rows[-1][3], rows[-1][0])
    except sqlite3.Error as exc:  # removed or damaged since it was opened: what was read stands
        log.warning("offline cache %s not read whole: %s", path_for(store, tenant), exc)
    finally:
        conn.close()


def cursor(store: str, tenant: str) -> Cursor | None:
    """Where the change log was when the cache was exact (None: not whole, or no cache)."""
    found = _read(store, tenant, "SELECT id, record, likes FROM quotes LIMIT 0")
    return None if found is None else _cursor(found[1])


def _cursor(meta: dict[str, Any]) -> Cursor | None:
    position = meta.get("position")
    return None if position is None else Cursor(bytes(meta["epoch"]), bytes(position))


def load(store: str, tenant: str) -> Cached | None:
    """The cached collection ``tenant`` of ``store`` (None: never cached)."""
    found = _read(store, tenant, "SELECT id, record, likes FROM quotes")
    if found is None:
        return None
    quotes, meta = found
    return Cached(quotes, _cursor(meta), datetime.fromisoformat(meta["saved_at"]))


def _read(store: str, tenant: str, query: str) -> tuple[dict[str, Quote], dict[str, Any]] | None:
    """The quotes ``query`` selects and the cache's meta (None: no cache)."""
    path = path_for(store, tenant)
    if not path.exists():
        return None
    conn = local_files.connect(path)
    try:
        meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
        if "saved_at" not in meta:
            return None
        quotes = {
            quote_id: decode(quote_id, record, likes) for quote_id, record, likes in conn.execute(query)
        }
    except sqlite3.Error as exc:
        log.warning("offline cache %s not read: %s", path, exc)
        return None
    finally:
        conn.close()
    return quotes, meta


class CacheWriter:
    """Keeps one collection's cache in step with a live view (see the module's docstring)."""

    def __init__(self, store: str, tenant: str) -> None:
        self.path = path_for(store, tenant)
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="offline-cache")
        self._conn: sqlite3.Connection | None = None
        self._count = 0
        self._too_big = False
        self._thread.submit(self._open)

    def saw(self, event: Snapshot | Page | Changes, cursor: Cursor | None) -> None:
        """The live view delivered ``event``; after it, it is exact at ``cursor``."""
        self._thread.submit(self._write, event, cursor)

    def close(self) -> None:
        """Finish the writes asked for, then close the file."""
        self._thread.submit(self._close)
        self._thread.shutdown(wait=True)

    # -- on the cache's thread ----------------------------------------------------------

    def _open(self) -> None:
        _keep_newest(MAX_FILES - 1, but=self.path)
        self._conn = local_files.connect(self.path)
        self._conn.executescript(_SCHEMA)
        self._count = self._conn.execute("SELECT count(*) FROM quotes").fetchone()[0]

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _write(self, event: Snapshot | Page | Changes, cursor: Cursor | None) -> None:
        conn = self._conn
        if conn is None:
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
            if isinstance(event, Snapshot):
                conn.execute("DELETE FROM quotes")
                self._count, self._too_big = 0, False
                self._put(conn, event.quotes)
                cursor = cursor if event.complete else None
            elif isinstance(event, Page):
                self._put(conn, event.quotes)
                cursor = None
            else:
                self._put(conn, event.inserted)
                self._put(conn, event.updated, new=False)
                gone = conn.executemany("DELETE FROM quotes WHERE id = ?", [(i,) for i in event.deleted])
                self._count -= gone.rowcount
            self._meta(conn, cursor)
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            log.warning("offline cache %s not written: %s", self.path, exc)
        if self._too_big:
            self._drop()

    def _put(self, conn: sqlite3.Connection, quotes: Iterable[Quote], new: bool = True) -> None:
        rows = [(q.id, encode(q), q.likes, utc_micros(q.inserted_at)) for q in quotes]
        conn.executemany(
            "INSERT OR REPLACE INTO quotes (id, record, likes, inserted) VALUES (?, ?, ?, ?)", rows
        )
        self._count += len(rows) if new else 0
        self._too_big = self._too_big or self._count > MAX_QUOTES

    def _meta(self, conn: sqlite3.Connection, cursor: Cursor | None) -> None:
        values: dict[str, object] = {
            "saved_at": datetime.now(UTC).isoformat(),
            "position": None,
            "count": self._count,  # shown as the total while the rest is read
        }
        if cursor is not None:
            values.update(epoch=cursor.epoch, position=cursor.position)
        conn.executemany("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", values.items())

    def _drop(self) -> None:
        """Too big to cache: remove the file, write nothing more."""
        log.info("collection of more than %d quotes: not cached", MAX_QUOTES)
        self._close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def _keep_newest(count: int, but: Path) -> None:
    """Remove all but the ``count`` most recently written caches (and ``but``)."""
    caches = sorted(
        (p for p in local_files.folder().glob("cache-*.db") if p != but),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for stale in caches[count:]:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{stale}{suffix}").unlink(missing_ok=True)
