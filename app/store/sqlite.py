"""The embedded engine: an ordered key-value store in one SQLite file.

Why it looks the way it does:

- One ``kv(key BLOB PRIMARY KEY, value BLOB) WITHOUT ROWID`` table in WAL mode is
  an ordered key-value store that many processes on one machine share safely.
- A transaction starts deferred (a snapshot, no write lock) so live queries
  never queue behind writers. The first write restarts the body as
  ``BEGIN IMMEDIATE`` through the retry loop: a deferred transaction that reads
  and then writes would fail with SQLITE_BUSY_SNAPSHOT, which no busy timeout
  cures.
- A transaction keeps what it sets in memory and writes it with one
  ``executemany`` in key order when something needs it in the table: at
  commit, or before a read of many keys or a range, or a range cleared (a
  single key is read, or cleared, in memory first). One statement per batch of an import rather than
  one per key, and neighbouring keys written together.
- The store remembers which transactional functions wrote (by their code,
  ``_body_of``) and starts them as writers, so their bodies run once; every
  other function starts as a reader.
- Holding the write lock makes commits serial, so a counter kept in the
  ``meta`` table gives versionstamps that sort in commit order. The counter
  is raised to the wall clock in microseconds at each stamp, so versions
  advance about 1,000,000 a second, as FoundationDB's do (one machine, one
  clock: exactly-once tokens expire by version on both engines).
- Watches in other processes come from ``PRAGMA data_version`` on a dedicated
  connection (it changes when another connection commits and costs
  microseconds), read when the store's files change (file events, or polling
  that backs off at rest: ``sqlite_wakeups``); then only the watched keys are
  re-read. Commits in this process wake the watchers at once.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import struct
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from app.store.base import (
    MAX_KEY_BYTES,
    MAX_TRANSACTION_BYTES,
    MAX_VALUE_BYTES,
    RETRY_LIMIT,
    RETRY_TIMEOUT,
    STAMP_LEN,
    TRANSACTION_LIFETIME,
    Store,
    Transaction,
    Watch,
    decode_int,
    encode_int,
)
from app.store.errors import (
    CommitTimedOut,
    CommitUnknownResult,
    KeyTooLarge,
    NotAStore,
    NotCommitted,
    Retryable,
    StoreError,
    StoreGone,
    StoreUnavailable,
    StoreUnreachable,
    TransactionTooLarge,
    TransactionTooOld,
    ValueTooLarge,
    WatchFailed,
    result_unknown,
)
from app.store.faults import FROM_ENVIRONMENT, Faults
from app.store.faults import resolve as resolve_faults
from app.store.sqlite_watches import WatchRegistry

log = logging.getLogger(__name__)
T = TypeVar("T")

#: PRAGMA application_id of a Quotes store ("QUOT").
APPLICATION_ID = 0x51554F54
#: Keys per ``IN (...)`` query of ``get_many``.
_CHUNK = 500

_UPSERT = "INSERT INTO kv(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class _NeedsWrite(Exception):
    """Raised inside a read transaction on its first write: restart as a writer."""


class SQLiteTransaction(Transaction):
    """One attempt: a SQLite transaction held to FoundationDB's limits."""

    def __init__(self, conn: sqlite3.Connection, write: bool, lifetime: float, too_old: bool) -> None:
        self._conn = conn
        self._write = write
        self._deadline = time.monotonic() + lifetime
        self._too_old = too_old  # an injected fault: the first read fails
        self._size = 0
        self._stamp: bytes | None = None
        #: Values set and not yet written to SQLite (``flush``).
        self._pending: dict[bytes, bytes] = {}
        self.touched: set[bytes] = set()
        #: Ranges cleared, kept as ranges: a clear never reads the keys it removes.
        self.cleared: list[tuple[bytes, bytes]] = []
        self.watches: list[tuple[bytes, bytes | None, SQLiteWatch]] = []

    # -- FoundationDB's rules --------------------------------------------------

    def check_age(self) -> None:
        if self._too_old or time.monotonic() > self._deadline:
            self._too_old = False
            raise TransactionTooOld(
                "transaction too old: it lived longer than FoundationDB's 5 seconds (1007)"
            )

    def _reading(self, conflict_bytes: int, snapshot: bool) -> None:
        self.check_age()
        if not snapshot:  # a read conflict range counts towards the size
            self._size += conflict_bytes

    def _writing(self, key: bytes, size: int) -> None:
        if not self._write:
            raise _NeedsWrite
        if len(key) > MAX_KEY_BYTES:
            raise KeyTooLarge(f"key of {len(key):,} bytes is too large (at most {MAX_KEY_BYTES:,}; 2102)")
        self._size += size
        self.touched.add(key)

    def get_approximate_size(self) -> int:
        return self._size

    def get_read_version(self) -> int:
        self.check_age()
        row = self._conn.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        return max(row[0] if row else 0, _micros())

    # -- reads ---------------------------------------------------------------

    def get(self, key: bytes, snapshot: bool = False) -> bytes | None:
        self._reading(len(key) + 1, snapshot)
        return self._value(key)

    def _value(self, key: bytes) -> bytes | None:
        """What ``key`` holds in this transaction: set and not written yet, or in the table."""
        if key in self._pending:
            return self._pending[key]
        row = self._conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def get_many(self, keys: list[bytes]) -> list[bytes | None]:
        self._reading(sum(len(key) + 1 for key in keys), False)
        self.flush()
        found: dict[bytes, bytes] = {}
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(self._conn.execute(f"SELECT key, value FROM kv WHERE key IN ({marks})", chunk))
        return [found.get(key) for key in keys]

    def get_range(
        self,
        begin: bytes,
        end: bytes,
        limit: int = 0,
        reverse: bool = False,
        snapshot: bool = False,
    ) -> list[tuple[bytes, bytes]]:
        self._reading(len(begin) + len(end), snapshot)
        self.flush()
        order = "DESC" if reverse else "ASC"
        return self._conn.execute(
            f"SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key {order} LIMIT ?",
            (begin, end, limit if limit > 0 else -1),
        ).fetchall()

    # -- writes ----------------------------------------------------------------

    def set(self, key: bytes, value: bytes) -> None:
        if len(value) > MAX_VALUE_BYTES:
            raise ValueTooLarge(
                f"value of {len(value):,} bytes is too large (at most {MAX_VALUE_BYTES:,}; 2103)"
            )
        self._writing(key, len(key) + len(value))
        self._pending[key] = value

    def set_many(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        if not self._write:
            raise _NeedsWrite
        items = list(items)
        keys = [key for key, _ in items]
        values = [value for _, value in items]
        if (
            max(map(len, keys), default=0) > MAX_KEY_BYTES
            or max(map(len, values), default=0) > MAX_VALUE_BYTES
        ):
            for key, value in items:
                self.set(key, value)  # refuses the first too large, as ``set`` alone would
        self._pending.update(items)
        self.touched.update(keys)
        self._size += sum(map(len, keys)) + sum(map(len, values))

    def flush(self) -> None:
        """Write the values set since the last flush, in key order, in one
        statement: before a read of many keys or a range, a clear of a range,
        and at commit (a single key is read, or cleared, in what is pending first)."""
        if self._pending:
            pending, self._pending = self._pending, {}
            self._conn.executemany(_UPSERT, sorted(pending.items()))

    def clear(self, key: bytes) -> None:
        self._writing(key, len(key))
        self._pending.pop(key, None)
        self._conn.execute("DELETE FROM kv WHERE key = ?", (key,))

    def clear_range(self, begin: bytes, end: bytes) -> None:
        if not self._write:
            raise _NeedsWrite
        self._size += len(begin) + len(end)
        self.cleared.append((begin, end))
        self.flush()
        self._conn.execute("DELETE FROM kv WHERE key >= ? AND key < ?", (begin, end))

    @property
    def wrote(self) -> bool:
        return bool(self.touched or self.cleared)

    def add(self, key: bytes, delta: int) -> None:
        self.set(key, encode_int(decode_int(self._value(key)) + delta))

    def set_versionstamped_key(self, key: bytes, value: bytes) -> None:
        (offset,) = struct.unpack("<I", key[-4:])
        body = key[:-4]
        self.set(body[:offset] + self._commit_stamp() + body[offset + STAMP_LEN :], value)

    def _commit_stamp(self) -> bytes:
        if self._stamp is None:
            if not self._write:
                raise _NeedsWrite
            version = self._conn.execute(
                "INSERT INTO meta(name, value) VALUES ('version', :now) "
                "ON CONFLICT(name) DO UPDATE SET value = max(value + 1, :now) RETURNING value",
                {"now": _micros()},
            ).fetchone()[0]
            self._stamp = struct.pack(">QH", version, 0)
        return self._stamp

    def watch(self, key: bytes) -> Watch:
        watch = SQLiteWatch()
        self.watches.append((key, self.get(key, snapshot=True), watch))
        return watch


class SQLiteWatch(Watch):
    registry: WatchRegistry | None = None

    def cancel(self) -> None:
        if self.registry is not None:
            self.registry.discard(self)
        self._cancelled()


class SQLiteStore(Store):
    """The embedded store: a SQLite file shared by every process on this machine."""

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout: float = 3.0,
        transaction_lifetime: float = TRANSACTION_LIFETIME,
        faults: Faults | None | object = FROM_ENVIRONMENT,
        watch_mode: str | None = None,
    ) -> None:
        """``watch_mode``: what wakes watches for other processes' commits, "events"
        (file events where the system has them, else polling) or "poll"; by
        default ``$QUOTES_WATCH_MODE``, else "events".
        """
        self.path = Path(path)
        self.description = f"embedded store {self.path}"
        self._busy_timeout = busy_timeout
        self._lifetime = transaction_lifetime
        self._faults = resolve_faults(faults)
        if self._faults is not None and self._faults.client_buggify:
            log.warning(
                "QUOTES_FAULTS: client_buggify is FoundationDB's client fault injection; "
                "the embedded store ignores it"
            )
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._closed = False
        #: Code of transactional functions seen writing: they start as writers.
        self._writers: set[object] = set()
        _check_file(self.path)
        try:
            self._initialise()
        except BaseException:
            # Refused or failed: close at once, so a foreign file is left as found
            # (an open connection keeps -wal/-shm files next to a WAL database).
            self._closed = True
            for conn in self._conns:
                conn.close()
            raise
        self._identity = _identity(self.path)
        self._watches = WatchRegistry(self.path, self._connect, self._check_still_there, watch_mode)
        log.info("store opened: %s", self.description)

    # -- connections -------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreUnavailable(f"{self.description} is closed")
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None
        with self._conns_lock:
            self._conns.append(conn)
        return conn

    def _conn(self) -> sqlite3.Connection:
        if self._closed:  # this thread's connection, if any, is closed too
            raise StoreUnavailable(f"{self.description} is closed")
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def _initialise(self) -> None:
        """Check the file is ours; on a new file create the schema, in WAL mode.

        An existing store is only read here, so opening never waits for a writer.
        """
        conn = self._conn()
        try:
            if self._application_id(conn) == APPLICATION_ID:
                return
            conn.execute("BEGIN IMMEDIATE")
            if self._application_id(conn) == 0:
                for statement in _SCHEMA.strip().split(";"):
                    conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise _translate(exc, self.path) from None

    def _application_id(self, conn: sqlite3.Connection) -> int:
        """Ours, or 0 for an empty file; anything else is refused untouched."""
        app_id: int = conn.execute("PRAGMA application_id").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        if app_id != APPLICATION_ID and (app_id != 0 or has_tables):
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise NotAStore(f"{self.path} is a SQLite database but not a Quotes store")
        return app_id

    # -- transactions ------------------------------------------------------

    @property
    def silent_when_down(self) -> bool:  # type: ignore[override]
        """With the ``unreachable_file`` fault the store goes down as a cluster does:
        its watches stay silent, so views ping it."""
        return self._faults is not None and self._faults.unreachable_file is not None

    def transact(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        self._check_still_there()
        if self._faults is not None and self._faults.unreachable():
            raise StoreUnreachable(f"{self.description} does not answer (unreachable, injected)")
        body = _body_of(fn)
        write = body in self._writers
        faults = self._faults
        give_up = time.monotonic() + RETRY_TIMEOUT
        attempts = 0
        unknown = False  # an attempt raised CommitUnknownResult: it may have committed
        while True:
            conn = self._conn()
            tr = SQLiteTransaction(
                conn, write, self._lifetime, faults is not None and faults.hit("transaction_too_old")
            )
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                result = fn(tr, *args, **kwargs)
                self._commit(conn, tr, write)
            except _NeedsWrite:
                conn.execute("ROLLBACK")
                write = True
                if body is not None:
                    self._writers.add(body)  # next time, take the write lock up front
                continue
            except Retryable as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                unknown = unknown or isinstance(exc, CommitUnknownResult)
                attempts += 1
                if attempts >= RETRY_LIMIT or time.monotonic() > give_up:
                    raise _final(exc, unknown) from None
                log.debug("transaction retried: %s", exc)
                continue
            except sqlite3.OperationalError as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                attempts += 1
                # A writer waits out the busy timeout before it sees "busy"; it tries
                # again only to settle a write that may already have committed.
                retry = not write or (unknown and time.monotonic() < give_up)
                if _is_busy(exc) and retry and attempts < RETRY_LIMIT:
                    log.debug("transaction retried: %s", exc)
                    continue
                raise _final(_translate(exc, self.path, opened=True), unknown) from None
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise _final(_translate(exc, self.path, opened=True), unknown) from None
            except StoreError as exc:  # a limit broken (by the body, or at commit)
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if unknown:
                    raise result_unknown(exc) from exc
                raise
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

    def ping(self) -> None:
        """Read one key: raises ``StoreUnavailable`` (or ``StoreGone``) at once when
        the file went away, was damaged or is unreadable."""
        self.transact(_probe)

    def _commit(self, conn: sqlite3.Connection, tr: SQLiteTransaction, write: bool) -> None:
        """Commit under FoundationDB's rules, with the faults asked for."""
        tr.check_age()
        size = tr.get_approximate_size()
        if size > MAX_TRANSACTION_BYTES:
            raise TransactionTooLarge(
                f"transaction too large: {size:,} bytes (at most {MAX_TRANSACTION_BYTES:,}; "
                "2101); nothing was written"
            )
        tr.flush()
        faults = self._faults
        if write and faults is not None and tr.wrote:  # a commit with nothing to write cannot fail
            if faults.hit("not_committed"):
                raise NotCommitted("transaction not committed: it conflicted (1020, injected)")
            if faults.hit("commit_unknown_result"):
                if faults.coin():  # it did commit; the caller cannot know
                    self._commit_unseen(conn, tr)
                raise CommitUnknownResult("commit result unknown (1021, injected)")
            if faults.hit("commit_timed_out"):  # committed, then the wait timed out
                self._commit_unseen(conn, tr)
                raise CommitTimedOut(
                    "transaction timed out during its commit (1031, injected): it may have been made"
                )
        elif faults is not None and tr.watches and faults.hit("commit_timed_out"):
            # As client buggify does on a cluster: a read-only commit times out;
            # the watches it would arm are not, so the body runs again.
            raise NotCommitted("read-only commit timed out (1031, injected): watches not armed")
        conn.execute("COMMIT")
        self._committed(conn, tr)

    def _commit_unseen(self, conn: sqlite3.Connection, tr: SQLiteTransaction) -> None:
        """Commit an attempt whose caller will be told it failed: others' watches
        fire, its own are never armed (the retry arms its own)."""
        conn.execute("COMMIT")
        if tr.wrote:
            self._watches.check(conn, tr.touched, tr.cleared)

    def _check_still_there(self) -> None:
        """Refuse to write into a file that was deleted, replaced or damaged under us.

        SQLite would carry on with the open, unlinked file, and everything
        written from then on would be lost when the program ends.
        """
        if _identity(self.path) != self._identity:
            raise StoreGone(f"store {self.path} was deleted or moved")
        self._watches.raise_damage()

    def _committed(self, conn: sqlite3.Connection, tr: SQLiteTransaction) -> None:
        faults = self._faults
        for key, seen, watch in tr.watches:
            if faults is not None and faults.hit("watch_error"):
                watch._resolve(WatchFailed("watch failed (injected)"))
                continue
            watch.registry = self._watches
            self._watches.register(key, seen, watch, conn)
        if tr.wrote:
            self._watches.check(conn, tr.touched, tr.cleared)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._watches.close()
        with self._conns_lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            conn.close()


def _micros() -> int:
    return time.time_ns() // 1000


def _probe(tr: Transaction) -> None:
    tr.get(b"\x00")


def _final(error: StoreError, unknown: bool) -> StoreError:
    """The error that ends a retry loop, saying so if a write may have happened."""
    return result_unknown(error) if unknown else error


def _body_of(fn: Callable[..., object]) -> object:
    """What identifies a transactional function across calls (its code)."""
    fn = getattr(fn, "__func__", fn)
    while hasattr(fn, "__wrapped__"):  # inspect.unwrap, without loading inspect at start
        fn = fn.__wrapped__
    return getattr(fn, "__code__", None)


def _check_file(path: Path) -> None:
    """Refuse, without writing a byte, anything that is not a store; make a new
    one (private: ``_create_private``) where there is none."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise StoreUnavailable(f"cannot open store {path}: {exc.strerror}") from None
    if mode is None:
        if not path.parent.is_dir():
            raise StoreUnavailable(f"cannot open store {path}: folder {path.parent} does not exist")
        _create_private(path)
        return
    if stat.S_ISDIR(mode):
        raise StoreUnavailable(f"{path} is a folder, not a store file")
    if not stat.S_ISREG(mode):  # a device, pipe or socket: SQLite would write beside it
        raise NotAStore(f"{path} is not a regular file, so not a Quotes store")
    if path.stat().st_size > 0:
        _check_header(path)


def _create_private(path: Path) -> None:
    """A new, empty store file readable and writable by its owner only (0600):
    it holds someone's quotes. SQLite gives the ``-wal`` and ``-shm`` files it
    makes beside it the same mode; a store that exists keeps its own."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return  # made meanwhile by another process: it is checked as any store is
    except OSError:
        raise StoreUnavailable(f"cannot open store {path} ({_why_cannot_open(path)})") from None


def _check_header(path: Path) -> None:
    """``NotAStore`` unless the file starts as a SQLite database does.

    Read through SQLite, never a Python file handle: closing any descriptor of
    a file drops every POSIX lock this process holds on it, so a window or a
    test that opens a second store on a file it already has open would
    silently lose the first one's locks (SQLite defers its own closes for
    exactly this reason).
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=0)
    except sqlite3.Error as exc:
        raise StoreUnavailable(f"cannot read store {path}: {exc}") from None
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise NotAStore(f"{path} is not a Quotes store (not a SQLite database)") from None
        # locked, or a read error: the real open reports it in its own words
    finally:
        conn.close()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _is_busy(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _why_cannot_open(path: Path) -> str:
    try:
        read_only = os.statvfs(path.parent).f_flag & os.ST_RDONLY
    except OSError:
        return "missing, or no permission"
    if read_only:
        return "it is on a read-only file system"
    if not os.access(path.parent, os.W_OK):
        return f"no permission to write in {path.parent}"
    return "missing, or no permission"


#: Free space under which an input/output error is taken to be a full disk.
_NEARLY_FULL_BYTES = 1 << 20


def _disk_full(path: Path, code: int) -> bool:
    """An input/output error on a disk with (almost) no space left: ENOSPC,
    which SQLite reports as one of its I/O errors (a write to the -shm or
    -wal file, a truncate...) rather than as SQLITE_FULL."""
    if code != sqlite3.SQLITE_IOERR:
        return False
    try:
        disk = os.statvfs(path.parent)
    except OSError:
        return False
    free = disk.f_bfree if os.geteuid() == 0 else disk.f_bavail  # root may use the reserve
    return free * disk.f_frsize < _NEARLY_FULL_BYTES


def _translate(exc: sqlite3.Error, path: Path, opened: bool = False) -> StoreError:
    """One line a person can act on, for each way the file can fail us (``opened``:
    the file was a Quotes store when it was opened, so a damaged one was damaged since)."""
    exc_code = getattr(exc, "sqlite_errorcode", 0)
    code = exc_code & 0xFF
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreUnavailable(f"store {path} is locked by another program; try again")
    if code == sqlite3.SQLITE_FULL or exc_code == sqlite3.SQLITE_IOERR_WRITE or _disk_full(path, code):
        return StoreUnavailable(f"cannot write to store {path}: the disk is full")
    if code == sqlite3.SQLITE_READONLY:
        return StoreUnavailable(f"store {path} is read-only: cannot write to it")
    if code == sqlite3.SQLITE_CANTOPEN:
        return StoreUnavailable(f"cannot open store {path} ({_why_cannot_open(path)})")
    if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        if opened:  # as the watches say it when their read finds it first
            return NotAStore(f"store {path} is damaged: {exc}")
        return NotAStore(f"{path} is damaged or not a Quotes store")
    if code == sqlite3.SQLITE_IOERR:
        return StoreUnavailable(f"input/output error on store {path}")
    return StoreError(f"store {path}: {exc}")
