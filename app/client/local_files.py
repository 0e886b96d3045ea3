"""Where a machine keeps what it knows of a store while the store is out of reach.

The outbox (changes waiting to be sent) and the collection caches live in
the user data folder (``~/.local/share/quotes/offline`` on Linux), or in
``$QUOTES_OFFLINE_DIR`` when set (a test's temporary folder, or a folder of
the user's choosing). Each file is named by a digest of the store it belongs
to (the embedded store's file, or the cluster file), so two stores never
share a queue or a cache; the first lines of the digest's input are also
kept in the file, for ``quotes outbox`` to name.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import platformdirs

ENV = "QUOTES_OFFLINE_DIR"
#: Seconds a local file waits for another program (a window, ``quotes outbox send``).
BUSY_TIMEOUT_S = 10.0


def folder() -> Path:
    """The folder of the outbox and the caches (made when a file is first written)."""
    chosen = os.environ.get(ENV)
    return Path(chosen) if chosen else Path(platformdirs.user_data_dir("quotes", appauthor=False)) / "offline"


def digest(*parts: str) -> str:
    """A short name for a store (and collection) that is safe in a file name."""
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:24]


def connect(path: Path) -> sqlite3.Connection:
    """A connection to a local file (made if missing), shared safely with other processes (WAL)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn
