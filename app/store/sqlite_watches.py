"""Watches for the SQLite engine, with FoundationDB's semantics.

A watch remembers the value its transaction saw and fires once the key holds a
different value. Two things trigger a check of the watched keys: a commit in
this process (the committing thread checks the keys it wrote, at once) and,
for commits in other processes, a poller thread that reads
``PRAGMA data_version`` every ``poll_interval`` seconds while any watch is
armed and re-reads only the watched keys when it changes.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable

from app.store.base import Watch
from app.store.errors import StoreError, StoreUnavailable

log = logging.getLogger(__name__)

_CHUNK = 500


class WatchRegistry:
    def __init__(self, connect: Callable[[], sqlite3.Connection], poll_interval: float) -> None:
        self._connect = connect
        self._poll_interval = poll_interval
        self._lock = threading.Lock()
        self._by_key: dict[bytes, dict[Watch, bytes | None]] = {}
        self._key_of: dict[Watch, bytes] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def register(
        self, key: bytes, seen: bytes | None, watch: Watch, conn: sqlite3.Connection
    ) -> None:
        """Arm ``watch``; a change since its transaction's snapshot fires it at once."""
        with self._lock:
            self._by_key.setdefault(key, {})[watch] = seen
            self._key_of[watch] = key
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._poll, name="sqlite-watch-poller", daemon=True
                )
                self._thread.start()
        self._wake.set()
        self.check(conn, [key])

    def discard(self, watch: Watch) -> None:
        with self._lock:
            key = self._key_of.pop(watch, None)
            watchers = self._by_key.get(key) if key is not None else None
            if watchers is not None:
                watchers.pop(watch, None)
                if not watchers:
                    del self._by_key[key]

    def check(self, conn: sqlite3.Connection, keys: Iterable[bytes]) -> None:
        """Fire the watches on ``keys`` whose value is no longer the one seen."""
        with self._lock:
            wanted = [key for key in keys if key in self._by_key]
        if not wanted:
            return
        current = _read(conn, wanted)
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

    def _poll(self) -> None:
        try:
            conn = self._connect()
        except StoreError as exc:
            self._fail_all(exc)
            return
        last = None
        while not self._stop.is_set():
            self._wake.clear()
            with self._lock:
                keys = list(self._by_key)
            if not keys:
                self._wake.wait()
                continue
            try:
                version = conn.execute("PRAGMA data_version").fetchone()[0]
                if version != last:
                    last = version
                    self.check(conn, keys)
            except sqlite3.Error as exc:
                log.warning("watch poll failed: %s", exc)
                self._fail_all(StoreUnavailable(f"store unreadable: {exc}"))
            self._stop.wait(self._poll_interval)

    def _fail_all(self, error: BaseException) -> None:
        with self._lock:
            watches = list(self._key_of)
            self._by_key.clear()
            self._key_of.clear()
        for watch in watches:
            watch._resolve(error)

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
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
        values.update(
            conn.execute(f"SELECT key, value FROM kv WHERE key IN ({marks})", chunk).fetchall()
        )
    return values
