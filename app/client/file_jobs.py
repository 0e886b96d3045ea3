"""File ▸ Import…, Export… and Back Up…, without Qt: blocking jobs for a worker thread.

Each job takes the repository shown, a path, ``report`` (called with a
``Step`` as it goes, for a progress dialog) and ``cancelled`` (asked as often;
when it returns True the job stops and raises ``JobCancelled``). It returns
one sentence for the status bar, or raises ``JobFailed`` with one a person can
act on (which file, which line, what is wrong). Whatever happens, nothing is
left half-done:

- an import is all or nothing (``app.client.transfer``): a cancelled or failed
  one takes back what it wrote, and the store is as before;
- an export or a backup is written to a temporary file beside the one chosen
  and renamed over it at the end (``_replacing``): until then the destination
  is untouched, and a cancelled or failed job leaves no file behind.

Back Up… copies an embedded store with SQLite's online backup
(``app.repo.backup``): the copy is a store file that Open Store… and ``--db``
open. A FoundationDB cluster is no file: the window offers Export… of all
collections instead (``can_back_up`` says why).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.client.plural import counted
from app.client.transfer.exporting import export_quotes, json_line
from app.repo import InvalidQuote, QuoteRepo, StoreError, backup

if TYPE_CHECKING:
    from app.client.transfer.importing import Progress

#: Records written between two reports (and two chances to cancel) of an export.
_EXPORT_STEP = 2_000


@dataclass(frozen=True)
class Step:
    """How far a job has got, for a progress dialog."""

    text: str
    done: int
    #: 0 while the total is not known (a busy indicator).
    total: int
    #: False while a cancel is being carried out (Cancel can do no more).
    can_cancel: bool = True


class JobCancelled(Exception):
    """The job was cancelled; the message says what was (not) written."""


class JobFailed(Exception):
    """The job could not be done, in one message a person can act on; nothing was written."""


Report = Callable[[Step], None]
Cancelled = Callable[[], bool]


def can_back_up(repo: QuoteRepo) -> str | None:
    """None if Back Up… can copy ``repo``'s store; else why not."""
    if backup.store_file(repo) is None:
        return "A FoundationDB cluster is no file to copy: use Export… with all collections (or fdbbackup)"
    return None


# -- import -------------------------------------------------------------------------


def import_file(repo: QuoteRepo, path: Path, report: Report, cancelled: Cancelled) -> str:
    """Import ``path`` (JSON lines or a JSON array, as Export… and ``quotes export``
    write) into ``repo``: quotes without a collection into ``repo``'s, the others
    into theirs (made if need be). All or nothing."""
    # Loaded here, on the job's thread: it validates with pydantic, which the
    # window does not load to start.
    from app.client.transfer.importing import ImportCancelled, import_quotes

    try:
        stream = path.open("rb")
    except OSError as exc:
        raise JobFailed(f"Cannot read {path}: {_why(exc)}.") from None

    def progress(step: Progress) -> None:
        report(_import_step(step))

    try:
        imported = import_quotes(repo, stream, name=path.name, progress=progress, cancelled=cancelled)
    except ImportCancelled:
        raise JobCancelled("Import cancelled: nothing was imported.") from None
    except (InvalidQuote, StoreError) as exc:
        raise JobFailed(f"Nothing was imported from {path.name}: {exc}.") from None
    return f"Imported {counted(imported, 'quote')} from {path.name}."


def _import_step(step: Progress) -> Step:
    if step.stage == "checking":
        return Step(f"Checking {counted(step.items, 'record')}…", step.bytes_done, step.total_bytes or 0)
    total = step.total_items or 0
    if step.stage == "writing":
        return Step(f"Importing {step.items:,} of {counted(total, 'quote')}…", step.items, total)
    return Step(f"Cancelling: taking back {step.items:,} of {total:,}…", step.items, total, can_cancel=False)


# -- export -------------------------------------------------------------------------


def export_file(
    repo: QuoteRepo, path: Path, report: Report, cancelled: Cancelled, *, every_collection: bool
) -> str:
    """Write ``repo``'s collection (or with ``every_collection`` every collection,
    empty ones included) to ``path`` as JSON lines, what Import… reads back."""
    _not_the_store(repo, path)

    def reading(quotes: int) -> None:
        report(Step(f"Reading {counted(quotes, 'quote')}…", quotes, 0))
        _stop_if(cancelled, "Export cancelled: no file was written.")

    try:
        exported = export_quotes(repo, every_collection=every_collection, progress=reading)
    except StoreError as exc:
        raise JobFailed(f"Nothing was exported: {exc}.") from None
    records = exported.records
    with _replacing(path) as temp:
        try:
            with temp.open("w", encoding="utf-8", newline="\n") as out:
                for n, record in enumerate(records, 1):
                    out.write(json_line(record) + "\n")
                    if n % _EXPORT_STEP == 0:
                        report(Step(f"Writing {n:,} of {len(records):,} records…", n, len(records)))
                        _stop_if(cancelled, "Export cancelled: no file was written.")
        except OSError as exc:
            raise JobFailed(f"Cannot write {path}: {_why(exc)}. No file was written.") from None
    what = "every collection" if every_collection else f"the collection {repo.tenant}"
    written = f"Exported {counted(exported.quotes, 'quote')} of {what} to {path.name}."
    if exported.damaged:
        written += f" {counted(len(exported.damaged), 'damaged record')} left out."
    return written


# -- back up ------------------------------------------------------------------------


def back_up_file(repo: QuoteRepo, path: Path, report: Report, cancelled: Cancelled) -> str:
    """Copy ``repo``'s whole store to ``path``, a store file Open Store… opens."""
    why_not = can_back_up(repo)
    if why_not is not None:
        raise JobFailed(why_not + ".")
    _not_the_store(repo, path)

    def progress(copied: int, pages: int) -> None:
        report(Step(f"Copying {copied:,} of {counted(pages, 'page')}…", copied, pages))
        _stop_if(cancelled, "Back up cancelled: no file was written.")

    with _replacing(path) as temp:
        try:
            backup.back_up(repo, temp, progress)
        except StoreError as exc:
            raise JobFailed(f"Could not back up to {path}: {exc}. No file was written.") from None
    return f"Backed up the store to {path}."


# -- helpers --------------------------------------------------------------------------


def _stop_if(cancelled: Cancelled, message: str) -> None:
    if cancelled():
        raise JobCancelled(message)


def _not_the_store(repo: QuoteRepo, path: Path) -> None:
    source = backup.store_file(repo)
    if source is not None and _same_file(source, path):
        raise JobFailed(f"{path} is the store itself: choose another file.")


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve() or (other.exists() and one.samefile(other))
    except OSError:
        return False


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A new temporary file beside ``path`` (private: 0600), renamed to ``path``
    when the block ends well and removed when it does not."""
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise JobFailed(f"Cannot write in {path.parent}: {_why(exc)}. No file was written.") from None
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise JobFailed(f"Cannot write {path}: {_why(exc)}. No file was written.") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _why(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
