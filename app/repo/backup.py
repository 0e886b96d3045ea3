"""Backing up a whole store into one file (the embedded store only).

An embedded store is copied with SQLite's online backup
(``app.store.sqlite_backup``): a store file, which ``--db`` or File ▸ Open
Store… opens like any other. A FoundationDB cluster has no such file (its own
tool is ``fdbbackup``); ``export_quotes(every_collection=True)`` writes all of
its collections instead.
"""

from __future__ import annotations

from pathlib import Path

from app.repo.quotes import QuoteRepo
from app.store.sqlite_backup import Progress
from app.store.sqlite_backup import back_up as _back_up


def store_file(repo: QuoteRepo) -> Path | None:
    """The file of ``repo``'s embedded store; None on FoundationDB."""
    path = getattr(repo.store, "path", None)
    return path if isinstance(path, Path) else None


def back_up(repo: QuoteRepo, target: Path, progress: Progress | None = None) -> None:
    """Copy ``repo``'s whole store (every collection) into the new file ``target``;
    ``progress`` gets the pages copied and the pages in all. ``ValueError`` on
    FoundationDB (see ``store_file``)."""
    source = store_file(repo)
    if source is None:
        raise ValueError(f"{repo.store.description} is no file to back up")
    _back_up(source, target, progress)
