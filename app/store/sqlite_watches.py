"""Watches for the SQLite engine, with FoundationDB's semantics.

A watch remembers the value its transaction saw and fires once the key holds a
different value. Two things trigger a check of the watched keys: a commit in
this process (the committing thread checks the keys it wrote, at once) and,
for commits in other processes, a watch thread that reads
``PRAGMA data_version`` (it changes when another connection commits) and
re-reads only the watched keys when it does.

The watch thread sleeps until the store's files change (``sqlite_wakeups``:
file events, or polling that backs off to 100 ms at rest), so an idle store
costs nothing. Each time it wakes it also checks the store file is still the
one opened (``still_there``): if it was deleted, moved or replaced, or reads
fail, every armed watch fails with that error, so live queries report it at
once instead of at their next re-check. When another program writes the main
file (a checkpoint, or someone truncating it) the watched keys are re-read
from the file; if that finds the file damaged, the store refuses every
transaction from then on rather than confirm writes into a broken file.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from app.store.base import Watch
from app.store.errors import NotAStore, StoreError, StoreUnavailable
from app.store.sqlite_wakeups import FileEvents, Polling, open_wakeups, watch_mode

log = logging.getLogger(__name__)

_CHUNK = 500
#: After a change, look again this soon; the wait doubles while nothing changes.
FASTEST = 0.001


class WatchRegistry:
    def __init__(
        self,
        path: Path,
        connect: Callable[[], sqlite3.Connection],
        still_there: Callable[[], None],
        mode: str | None = None,
    ) -> None:
        """``still_there`` raises ``StoreUnavailable`` once the store file is not the one opened."""
        self._path = path
        self._connect = connect
        self._still_there = still_there
        self._mode = watch_mode(mode)
        #: Opened with the first watch: a store only read and closed (``quotes
        #: list``) never starts inotify.
        self._wakeups: FileEvents | Polling | None = None
        self._lock = threading.Lock()
        self._by_key: dict[bytes, dict[Watch, bytes | None]] = {}
        self._key_of: dict[Watch, bytes] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reported: str | None = None
        self._damage: NotAStore | None = None

    def register(self, key: bytes, seen: bytes | None, watch: Watch, conn: sqlite3.Connection) -> None:
        """Arm ``watch``; a change since its transaction's snapshot fires it at once."""
        with self._lock:
            first = not self._by_key
            self._by_key.setdefault(key, {})[watch] = seen
            self._key_of[watch] = key
            if self._thread is None:
                self._wakeups = open_wakeups(self._path, self._mode)
                self._thread = threading.Thread(target=self._follow, name="sqlite-watches", daemon=True)
                self._thread.start()
        if first and self._wakeups is not None:  # the thread may be asleep until a watch is armed
            self._wakeups.interrupt()
        self.check(conn, [key])

    def discard(self, watch: Watch) -> None:
        with self._lock:
            key = self._key_of.pop(watch, None)
            if key is None:
                return
            watchers = self._by_key.get(key)
            if watchers is not None:
                watchers.pop(watch, None)
                if not watchers:
                    del self._by_key[key]

    def check(
        self,
        conn: sqlite3.Connection,
        keys: Iterable[bytes],
        ranges: Iterable[tuple[bytes, bytes]] = (),
    ) -> None:
        """Fire the watches on ``keys``, or on keys in ``ranges`` (``begin <= key < end``),
        whose value is no longer the one seen.

        A cleared range is matched against the watched keys, never read: clearing
        a million keys costs nothing here.
        """
        ranges = list(ranges)
        with self._lock:
            wanted = {key for key in keys if key in self._by_key}
            if ranges:
                wanted.update(key for key in self._by_key if any(begin <= key < end for begin, end in ranges))
        if not wanted:
            return
        current = _read(conn, list(wanted))
        fired: list[Watch] = []
        with self._lock:
            for key in wanted:
                watchers = self._by_key.get(key)
                if not watchers:
                    continue
                value = current.get(key)
                for watch, seen in list(watchers.items()):
                    if seen != value:
                        del watchers[watch]
                        del self._key_of[watch]
                        fired.append(watch)
                if not watchers:
                    del self._by_key[key]
        for watch in fired:
            watch._resolve()

    def _follow(self) -> None:
        """The watch thread: for commits in other processes, and the store going away."""
        wakeups = self._wakeups
        assert wakeups is not None, "opened before the thread started"
        conn: sqlite3.Connection | None = None
        last = None
        interval = FASTEST
        while not self._stop.is_set():
            with self._lock:
                armed = bool(self._by_key)
            if not armed:
                # Until a watch is armed (or the store closes): a live query reading
                # between two watches is not woken by the commits meanwhile.
                wakeups.idle()
                interval = FASTEST
                continue
            woke = wakeups.wait(interval)
            if self._stop.is_set():
                break
            try:
                self._still_there()
                if conn is None:
                    conn = self._connect()
                version = conn.execute("PRAGMA data_version").fetchone()[0]
                if woke.rewritten:
                    conn.execute("PRAGMA shrink_memory")  # read the file, not cached pages
                if version != last or woke.rewritten:
                    last = version
                    self.check(conn, self._armed_keys())
                    interval = FASTEST
                elif woke.changed:
                    interval = FASTEST  # a commit not yet visible: look again soon
                else:
                    interval = min(interval * 2, wakeups.slowest)
                self._reported = None
            except (StoreError, sqlite3.Error) as exc:
                self._fail_all(self._explain(exc))

    def _explain(self, exc: StoreError | sqlite3.Error) -> StoreError:
        """What to fail the watches with: the store gone (say, its folder being deleted
        as we read) says more than the read's error; a damaged file stays refused."""
        try:
            self._still_there()
        except StoreError as gone:
            return gone
        if isinstance(exc, StoreError):
            return exc
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            self._damage = NotAStore(f"store {self._path} is damaged: {exc}")
            return self._damage
        return StoreUnavailable(f"store {self._path} is unreadable: {exc}")

    def raise_damage(self) -> None:
        """Once reads found the file damaged, refuse it: no write may be confirmed into it."""
        if self._damage is not None:
            raise self._damage

    def _armed_keys(self) -> list[bytes]:
        with self._lock:
            return list(self._by_key)

    def _fail_all(self, error: StoreError) -> None:
        """Fail every armed watch with ``error`` (their owners report it); logged once."""
        if str(error) != self._reported:
            self._reported = str(error)
            log.info("watches failed: %s", error)
        with self._lock:
            watches = list(self._key_of)
            self._by_key.clear()
            self._key_of.clear()
        for watch in watches:
            watch._resolve(error)

    def close(self) -> None:
        self._stop.set()
        wakeups = self._wakeups
        if wakeups is not None:
            wakeups.interrupt()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if wakeups is not None and (self._thread is None or not self._thread.is_alive()):
            wakeups.close()
        with self._lock:
            watches = list(self._key_of)
            self._by_key.clear()
            self._key_of.clear()
        for watch in watches:
            watch._cancelled()


def _read(conn: sqlite3.Connection, keys: list[bytes]) -> dict[bytes, bytes]:
    values: dict[bytes, bytes] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        values.update(conn.execute(f"SELECT key, value FROM kv WHERE key IN ({marks})", chunk).fetchall())
    return values
