"""Importing a file into a store: all or nothing, in memory bounded by one batch.

``import_quotes`` reads the file twice. The first pass (``check_file``, before a
store is even opened) checks every record (``records.record``), keeping only
what the all-or-nothing rule needs: the ids of whole quotes, per collection (to refuse
an id given twice, and then to look each up in the store,
``bulk.BATCH_RECORDS`` at a time), and the names of the collections the file
names. The second pass reads the file again (a pipe, which
cannot be read twice, was copied into a private temporary file as it was
read), checks each record again and writes, one batch (one transaction,
``import_steps.write``) at a time: a file changed in between cannot slip
an unchecked record in. So
memory holds one batch and one record, plus the index of ids: about 100
bytes for each whole quote of the file and nothing for a new one; a file
of new quotes takes the same memory at any size.

New quotes get ids derived from a random token and their place in the file,
so a cancelled or failed import knows every id it wrote without keeping
them: it reads the file a third time and takes back what it wrote
(``import_steps.take_back``), and deletes the collections it created. Any
exception while writing (``ImportCancelled`` from ``cancelled``, the
caller's own from ``progress``, a store error) leaves the store as before.
"""

from __future__ import annotations

import os
import stat
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO, Literal

from app.client.transfer.reading import Source, values
from app.client.transfer.records import Record, record
from app.repo import InvalidQuote, QuoteRepo, StoreError, import_steps, tenants
from app.repo.bulk import BATCH_RECORDS
from app.repo.errors import DuplicateImport
from app.repo.schema import Quote, now

#: Records between two calls of ``progress`` while checking.
_CHECK_STEP = 5_000


class ImportCancelled(Exception):
    """The import was cancelled (``cancelled()`` returned True); nothing was imported."""


@dataclass(frozen=True)
class Progress:
    """How far an import has got, for a progress bar."""

    #: "checking" (first pass: nothing written), "writing", or "undoing"
    #: (taking back what was written, after a cancel or a failure).
    stage: Literal["checking", "writing", "undoing"]
    #: Records checked, quotes committed, or quotes taken back so far.
    items: int
    #: Quotes in the file (None while checking).
    total_items: int | None
    #: Bytes of the file read so far in this pass.
    bytes_done: int
    #: The file's size (None while checking a stream of unknown size).
    total_bytes: int | None


ProgressCallback = Callable[[Progress], None]


def import_quotes(
    repo: QuoteRepo,
    stream: BinaryIO,
    *,
    name: str = "the file",
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Import the quotes of ``stream`` (JSON lines or a JSON array, bytes) into
    ``repo``'s store; the number of quotes imported: ``check_file`` then
    ``CheckedFile.import_into``."""
    with check_file(stream, name=name, progress=progress, cancelled=cancelled) as checked:
        return checked.import_into(repo, progress=progress, cancelled=cancelled)


def check_file(
    stream: BinaryIO,
    *,
    name: str = "the file",
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CheckedFile:
    """The first pass, before any store is opened: every record of ``stream``
    checked, ids given twice refused. The ``CheckedFile`` takes ``stream`` and
    closes it (a pipe's bytes are copied to a private temporary file as they
    are read, for the second pass). ``InvalidQuote`` naming the first
    bad record (``name`` names the file in messages about it as a whole);
    ``progress`` every few thousand records, and ``ImportCancelled`` when
    ``cancelled()`` returns True."""
    total_bytes = _size(stream)
    if total_bytes is None:  # a pipe: read once, so copied for the second pass
        copy: BinaryIO = tempfile.TemporaryFile(prefix="quotes-import-")
        source = Source(_Copying(stream, copy, name), name)
    else:  # a file: read again (the second pass checks each record again)
        copy, source = stream, Source(stream, name)
    start = copy.tell()
    try:
        ids: dict[str | None, set[str]] = {}
        named: set[str] = set()
        count = 0
        for n, rec in enumerate(_records(source), 1):
            if rec.tenant is not None:
                named.add(rec.tenant)
            if rec.kept is not None:
                seen = ids.setdefault(rec.tenant, set())
                if rec.kept.id in seen:
                    raise InvalidQuote(f"{rec.where}: {DuplicateImport(rec.tenant or '', rec.kept.id)}")
                seen.add(rec.kept.id)
            count += rec.fields is not None
            if n % _CHECK_STEP == 0:
                _report(progress, cancelled, Progress("checking", n, None, source.done, total_bytes))
        if copy is not stream:
            stream.close()  # read whole: the copy is what the second pass reads
        return CheckedFile(copy, start, name, count, source.done, ids, named)
    except BaseException:
        copy.close()
        stream.close()
        raise


class CheckedFile:
    """An import file that passed ``check_file``: the file (or a pipe's private
    copy), how many quotes it holds, and what the all-or-nothing rule needs of
    it. Close it (or use it in ``with``) when done."""

    def __init__(
        self,
        copy: BinaryIO,
        start: int,
        name: str,
        quotes: int,
        size: int,
        ids: dict[str | None, set[str]],
        named: set[str],
    ) -> None:
        self._copy = copy
        self._start = start
        self._name = name
        #: New and whole quotes the file holds (collections alone not counted).
        self.quotes = quotes
        #: The file's size in bytes.
        self.size = size
        self._ids = ids
        self._named = named

    def __enter__(self) -> CheckedFile:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._copy.close()

    def import_into(
        self,
        repo: QuoteRepo,
        *,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        """Import into ``repo``'s store, all or nothing; the number of quotes.

        Records without a ``tenant`` go to ``repo``'s collection; the others to
        theirs, created if need be (``{"tenant": NAME}`` alone creates one).
        ``InvalidQuote`` naming the record, before anything is written, if an
        id is taken in its collection. ``progress`` is called after each
        committed batch; ``cancelled`` is asked as often, and when it returns
        True the import takes back what it wrote and raises
        ``ImportCancelled``; an exception raised by ``progress`` stops it the
        same way. A ``StoreError`` while writing is raised after taking back
        what was written (its message says if that could not be done).
        """
        existing = {name: tenants.exists(repo.store, name) for name in self._named - {repo.tenant}}
        for collection, ids in self._ids.items():
            target = collection or repo.tenant
            if existing.get(target, True):
                self._refuse_taken(repo, target, collection, ids)
        self._ids = {}  # what the second pass does not need
        to_create = sorted(name for name, there in existing.items() if not there)
        read_again = _ReadAgain(self._copy, self._start, self._name)
        run = _Run(repo, to_create, self.quotes, self.size, read_again, progress, cancelled)
        return run.write()

    def _refuse_taken(self, repo: QuoteRepo, target: str, collection: str | None, ids: set[str]) -> None:
        """``InvalidQuote`` naming the first record whose id ``target`` has."""
        checked = QuoteRepo(repo.store, target)
        batch: list[str] = []
        for n, quote_id in enumerate(ids, 1):
            batch.append(quote_id)
            if len(batch) == BATCH_RECORDS or n == len(ids):
                taken = import_steps.taken(checked, batch)
                if taken:
                    where, quote_id = self._first(collection, set(taken))
                    raise InvalidQuote(f"{where}: {DuplicateImport(target, quote_id)}")
                batch = []

    def _first(self, collection: str | None, ids: set[str]) -> tuple[str, str]:
        """Where the first record of the file with one of ``ids`` is, and its id
        (the file read again: a rare path)."""
        self._copy.seek(self._start)
        for rec in _records(Source(self._copy, self._name)):
            if rec.tenant == collection and rec.kept is not None and rec.kept.id in ids:
                return rec.where, rec.kept.id
        raise AssertionError("the ids were read from the file")


def _records(source: Source) -> Iterator[Record]:
    for where, item in values(source):
        yield record(where, item)


def _report(progress: ProgressCallback | None, cancelled: Callable[[], bool] | None, step: Progress) -> None:
    if progress is not None:
        progress(step)
    if cancelled is not None and cancelled():
        raise ImportCancelled("the import was cancelled; nothing was imported")


class _Run:
    """The second pass, and taking it back if it does not finish."""

    def __init__(
        self,
        repo: QuoteRepo,
        to_create: list[str],
        quotes: int,
        size: int,
        copy: _ReadAgain,
        progress: ProgressCallback | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.repo = repo
        self.to_create = to_create
        self.quotes = quotes
        self.size = size
        self.file = copy
        #: The pass under way (for its count of bytes read).
        self.copy = copy.source()
        self.progress = progress
        self.cancelled = cancelled
        #: New quotes' ids: random 88 bits, and the quote's place in the low 40 (a
        #: version 4 UUID's node field): unique, and known again for a take-back.
        self.id_base = uuid.uuid4().int & ~(2**40 - 1)
        self.start = now()
        self.created: list[str] = []
        self.written = 0
        self.per_collection: dict[str, int] = {}

    def write(self) -> int:
        try:
            if self.to_create:
                self.created = import_steps.create_collections(self.repo.store, self.to_create)
            self._write_quotes()
        except StoreError as exc:
            self._take_back(exc)
            raise _restated(exc, f"{exc}; nothing was imported") from exc
        except BaseException as exc:
            self._take_back(exc)
            raise
        for collection, written in self.per_collection.items():
            import_steps.finished(QuoteRepo(self.repo.store, collection), written)
        return self.written

    def _quotes(self) -> Iterator[tuple[str, Quote, str]]:
        """(collection, quote, where) for every quote of the copy, ids as written."""
        self.copy = self.file.source()
        for n, rec in enumerate(rec for rec in _records(self.copy) if rec.fields is not None):
            at = self.start + timedelta(microseconds=n)  # file order is insertion order
            yield rec.tenant or self.repo.tenant, rec.to_quote(_uuid_text(self.id_base | n), at), rec.where

    def _write_quotes(self) -> None:
        """Every quote of the copy, in file order, each transaction as full as
        ``import_steps.write`` makes it: what did not fit starts the next one."""
        batch = _Batch(self.repo.tenant)
        for collection, quote, where in self._quotes():
            if collection != batch.collection:
                while batch:
                    self._commit(batch)
                batch = _Batch(collection)
            batch.add(quote, where)
            if len(batch) >= BATCH_RECORDS:
                self._commit(batch)
        while batch:
            self._commit(batch)

    def _commit(self, batch: _Batch) -> None:
        """One transaction: the first quotes of ``batch`` that fit, then dropped from it."""
        quotes, records = batch.ready()
        target = QuoteRepo(self.repo.store, batch.collection)
        try:
            count = import_steps.write(target, quotes, records)
        except DuplicateImport as exc:  # taken since the check
            raise InvalidQuote(f"{batch.where(exc.quote_id)}: {exc}") from None
        batch.drop(count)
        self.written += count
        self.per_collection[batch.collection] = self.per_collection.get(batch.collection, 0) + count
        _report(
            self.progress,
            self.cancelled,
            Progress("writing", self.written, self.quotes, self.copy.done, self.size),
        )

    def _take_back(self, cause: BaseException) -> None:
        """Delete what this import wrote (and the collections it made)."""
        try:
            self._delete_written()
            for name in self.created:
                tenants.delete(self.repo.store, name)
        except StoreError as exc:
            raise _restated(
                exc,
                f"{cause if isinstance(cause, StoreError) else exc}; {self.written:,} quotes were "
                "imported before that and could not be taken back",
            ) from exc

    def _delete_written(self) -> None:
        left, undone = self.written, 0
        pending: dict[str, list[str]] = {}
        quotes = self._quotes()
        while left:
            collection, quote, _ = next(quotes)
            left -= 1
            if collection in self.created:
                continue  # the whole collection goes
            ids = pending.setdefault(collection, [])
            ids.append(quote.id)
            if len(ids) >= BATCH_RECORDS or not left:
                import_steps.take_back(QuoteRepo(self.repo.store, collection), pending.pop(collection))
                undone = self.written - left
                if self.progress is not None:
                    self.progress(Progress("undoing", undone, self.written, self.copy.done, self.size))
        for collection, ids in pending.items():
            import_steps.take_back(QuoteRepo(self.repo.store, collection), ids)


class _Batch:
    """Quotes of one collection waiting to be written, in file order, each made
    ``import_steps.ready`` once (a retry, or the next transaction, writes the same)."""

    def __init__(self, collection: str) -> None:
        self.collection = collection
        self._quotes: list[Quote] = []
        self._records: list[bytes] = []
        self._fresh: list[Quote] = []
        self._wheres: list[str] = []

    def __len__(self) -> int:
        return len(self._wheres)

    def add(self, quote: Quote, where: str) -> None:
        self._fresh.append(quote)
        self._wheres.append(where)

    def ready(self) -> tuple[list[Quote], list[bytes]]:
        """The quotes and their records."""
        if self._fresh:
            quotes, records = import_steps.ready(self._fresh)
            self._quotes += quotes
            self._records += records
            self._fresh = []
        return self._quotes, self._records

    def drop(self, count: int) -> None:
        """Forget the first ``count`` quotes (written)."""
        del self._quotes[:count], self._records[:count], self._wheres[:count]

    def where(self, quote_id: str) -> str:
        return next(
            where for quote, where in zip(self._quotes, self._wheres, strict=True) if quote.id == quote_id
        )


def _uuid_text(number: int) -> str:
    """``str(uuid.UUID(int=number))``, without building the UUID (one a quote)."""
    digits = f"{number:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _restated(exc: StoreError, message: str) -> StoreError:
    """``exc`` saying ``message`` (its own type where it takes one message)."""
    try:
        return type(exc)(message)
    except TypeError:
        return StoreError(message)


class _ReadAgain:
    """The file, or the copy of a pipe, from where the records start: a new
    ``Source`` for each pass."""

    def __init__(self, file: BinaryIO, start: int, name: str) -> None:
        self.file = file
        self.start = start
        self.name = name

    def source(self) -> Source:
        self.file.seek(self.start)
        return Source(self.file, self.name)


class _Copying:
    """A binary stream whose bytes, as they are read, are copied into ``copy``."""

    def __init__(self, stream: BinaryIO, copy: BinaryIO, name: str) -> None:
        self.stream = stream
        self.copy = copy
        self.name = name

    def read(self, size: int) -> bytes:
        return self._copied(self.stream.read(size))

    def readline(self, limit: int) -> bytes:
        return self._copied(self.stream.readline(limit))

    def _copied(self, data: bytes) -> bytes:
        try:
            self.copy.write(data)
        except OSError as exc:
            raise StoreError(f"cannot keep a copy of {self.name} for the import: {exc.strerror}") from None
        return data


def _size(stream: BinaryIO) -> int | None:
    """The size of a regular file; None for a pipe or a stream without a file."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None
