"""The store: an ordered transactional key-value store with watches.

``open_store`` picks the engine: FoundationDB when a cluster file is given
(or ``FDB_CLUSTER_FILE`` is set), else the embedded SQLite file.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.store.base import Store, Transaction, Watch
from app.store.errors import NotAStore, ResultUnknown, StoreError, StoreUnavailable

__all__ = [
    "NotAStore",
    "ResultUnknown",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "Transaction",
    "Watch",
    "default_db_path",
    "open_store",
]


def default_db_path() -> Path:
    """The embedded store's file in the per-user data directory."""
    import platformdirs  # only when the default store is used

    return Path(platformdirs.user_data_dir("quotes", appauthor=False)) / "quotes.db"


def open_store(db: str | Path | None = None, cluster_file: str | None = None, create: bool = True) -> Store:
    """Open the store the command line or the window asked for.

    The default embedded store is made on first use; a file named with ``db``
    that does not exist is made only with ``create`` (by commands that write),
    so a mistyped path is an error, never a new empty store. A new store is
    readable by its owner only (0600, in a 0700 folder when the folder is new).
    """
    if db is None:
        cluster_file = cluster_file or os.environ.get("FDB_CLUSTER_FILE") or None
    if cluster_file is not None:
        from app.store.fdb import open_fdb

        return open_fdb(cluster_file)
    from app.store.sqlite import SQLiteStore

    if db is None:
        db = default_db_path()
        db.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # private: it holds someone's quotes
    elif not create and _missing(Path(db)):
        raise StoreUnavailable(f"no store at {db}")
    return SQLiteStore(db)


def _missing(path: Path) -> bool:
    """No file at ``path`` in a folder that exists (other failures are the engine's to name)."""
    try:
        path.lstat()
    except FileNotFoundError:
        return path.parent.is_dir()
    except OSError:
        return False
    return False
