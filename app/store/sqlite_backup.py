"""A copy of an embedded store while it is in use: SQLite's online backup API.

A plain copy of the file can miss what is still in its ``-wal`` file, or copy
it half-written; ``sqlite3.Connection.backup`` copies a consistent snapshot a
few pages at a time (starting over by itself if another connection writes
meanwhile), so windows and commands go on using the store during the copy.
The copy is a store like any other: same collections, quotes and versions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from app.store.errors import StoreError, StoreUnavailable
from app.store.sqlite import _disk_full, _translate, _why_cannot_open

#: Pages copied per step: 1,000 pages of 4 KiB, a few milliseconds of work
#: between two progress reports (and two chances to cancel).
PAGES_PER_STEP = 1_000

#: Told the pages copied so far and the pages of the store.
Progress = Callable[[int, int], None]


def back_up(source: Path, target: Path, progress: Progress | None = None, busy_timeout: float = 3.0) -> None:
    """Copy the store at ``source`` into ``target`` (a new, empty file: its
    content is replaced). ``progress`` is called after each step; an exception
    it raises stops the copy and is raised here (``target`` is then partial:
    the caller removes it). ``StoreError`` if either file cannot be used."""
    try:
        from_store = sqlite3.connect(f"{source.resolve().as_uri()}?mode=rw", uri=True, timeout=busy_timeout)
    except sqlite3.Error as exc:
        raise _translate(exc, source) from None
    try:
        to_file = sqlite3.connect(target, timeout=busy_timeout)
    except sqlite3.Error as exc:
        from_store.close()
        raise _failed(exc, source, target) from None

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    try:
        from_store.backup(to_file, pages=PAGES_PER_STEP, progress=step)
    except sqlite3.Error as exc:
        raise _failed(exc, source, target) from None
    finally:
        to_file.close()
        from_store.close()


def _failed(exc: sqlite3.Error, source: Path, target: Path) -> StoreError:
    """The error in words that say which side failed: writing the copy (the
    caller names its file) or reading the store."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_FULL or _disk_full(target, code):
        return StoreUnavailable("the disk is full")
    if code == sqlite3.SQLITE_READONLY:
        return StoreUnavailable("the copy cannot be written (a read-only file system?)")
    if code == sqlite3.SQLITE_CANTOPEN:
        return StoreUnavailable(f"the copy cannot be made ({_why_cannot_open(target)})")
    return _translate(exc, source)
