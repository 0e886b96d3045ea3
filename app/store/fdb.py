"""The FoundationDB engine: a thin adapter from the store dialect to the official binding.

Why it looks the way it does:

- **Lazy binding.** The ``foundationdb`` package is only the Python side; it
  needs the C client library ``libfdb_c`` and loads it when an API version is
  selected. Importing this module never touches the binding, so a machine
  without the library can still import everything and use the SQLite engine.
- **API version.** ``fdb.api_version`` may be called once per process, and a
  binding newer than the library cannot select its own latest version. We ask
  the installed library for ``fdb_get_max_api_version()`` and select
  ``min(that, fdb.LATEST_API_VERSION)``, or reuse the version already
  selected. From 610 on, a transaction's timeout and retry limit survive
  ``on_error``, which is what bounds every retry loop here in time and count.
- **Never hang.** Opening probes the cluster with a read under a short
  transaction timeout, so a wrong or unreachable cluster file is one clear
  ``StoreUnavailable`` line within seconds; every transaction has a timeout.
- **Network thread.** Futures' ``on_ready`` callbacks run on FoundationDB's
  single network thread. A watch's callback only records the outcome and
  calls ``Watch._resolve``, whose callbacks hand off (e.g. with
  ``loop.call_soon_threadsafe``); nothing there blocks.
- **References.** Dropping a watch future cancels the watch, so the store
  keeps every pending watch in a set until it fires, fails or is cancelled,
  and bounds their number (FoundationDB's own limit is 10,000 per database
  connection; beyond it watches fail with ``too_many_watches``, 1032).
- **Retries.** An attempt that fails is reset by ``on_error`` and the body runs
  again; the watches that attempt created are cancelled, so only the watches
  of the committed attempt stay live. Read-only transactions are committed
  too: a watch is armed by its transaction's commit.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from app.store.base import Store, Transaction, Watch, encode_int
from app.store.errors import StoreError, StoreUnavailable

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Lowest API version whose timeout and retry limit persist across ``on_error``.
MIN_API_VERSION = 610
#: Pending watches allowed per store (FoundationDB's default ``max_watches``).
MAX_WATCHES = 10_000
TRANSACTION_TIMEOUT_MS = 10_000
TRANSACTION_RETRY_LIMIT = 100
PROBE_TIMEOUT_MS = 5_000
PROBE_RETRY_LIMIT = 5

NO_LIBRARY = (
    "FoundationDB client library (libfdb_c) is not installed: install the "
    "FoundationDB client package matching your cluster's version"
)

#: Error codes that mean the cluster, not the transaction, is the problem:
#: timed_out, transaction_timed_out, process_behind, database_locked.
_UNAVAILABLE_CODES = frozenset({1004, 1031, 1037, 1038})

_api_lock = threading.Lock()


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _describe(error: BaseException) -> str:
    """``description (code)`` for an FDBError (its description is bytes)."""
    description = getattr(error, "description", None)
    if isinstance(description, bytes):
        return f"{description.decode(errors='replace')} ({getattr(error, 'code', '?')})"
    return _one_line(error)


def _max_api_version() -> int:
    """The highest API version the installed ``libfdb_c`` supports."""
    candidates = [
        ctypes.util.find_library("fdb_c"),
        "/usr/lib/libfdb_c.so",
        "/usr/local/lib/libfdb_c.so",
    ]
    if sys.platform == "darwin":
        candidates.append("/usr/local/lib/libfdb_c.dylib")
    for name in filter(None, candidates):
        try:
            library = ctypes.CDLL(name)
        except OSError as error:
            if os.path.exists(name):
                raise StoreUnavailable(
                    f"FoundationDB client library {name} could not be loaded: "
                    f"{_one_line(error)}"
                ) from error
            continue
        library.fdb_get_max_api_version.argtypes = []
        library.fdb_get_max_api_version.restype = ctypes.c_int
        return int(library.fdb_get_max_api_version())
    raise StoreUnavailable(NO_LIBRARY)


def _load_binding() -> Any:
    """The ``fdb`` module with an API version selected (once per process)."""
    with _api_lock:
        import fdb

        selected = fdb.is_api_version_selected()
        if selected:
            version = fdb.get_api_version()
        else:
            version = min(_max_api_version(), fdb.LATEST_API_VERSION)
        if version < MIN_API_VERSION:
            raise StoreUnavailable(
                f"FoundationDB client library supports API version {version}; "
                f"Quotes needs {MIN_API_VERSION} or later (FoundationDB 6.1+)"
            )
        if not selected:
            try:
                fdb.api_version(version)
            except Exception as error:
                raise StoreUnavailable(
                    f"FoundationDB client library could not be loaded: {_one_line(error)}"
                ) from error
        return fdb


def _default_cluster_file() -> str:
    """The cluster file the client would use: FoundationDB's own search order."""
    if os.environ.get("FDB_CLUSTER_FILE"):
        return os.environ["FDB_CLUSTER_FILE"]
    if os.path.exists("fdb.cluster"):
        return os.path.abspath("fdb.cluster")
    if sys.platform == "darwin":
        return "/usr/local/etc/foundationdb/fdb.cluster"
    if sys.platform == "win32":
        return r"C:\ProgramData\foundationdb\fdb.cluster"
    return "/etc/foundationdb/fdb.cluster"


def _probe(tr: Transaction) -> None:
    tr.get(b"\x00")


def open_fdb(cluster_file: str | None, *, max_watches: int = MAX_WATCHES) -> FDBStore:
    """Connect to the cluster named by ``cluster_file`` (None: the default one).

    Raises ``StoreUnavailable`` with one line when the client library is
    missing, the cluster file is missing or invalid, or the cluster does not
    answer within a few seconds.
    """
    fdb = _load_binding()
    path = cluster_file or _default_cluster_file()
    if not os.path.isfile(path):
        raise StoreUnavailable(f"FoundationDB cluster file not found: {path}")
    try:
        db = fdb.open(path)
        db.options.set_max_watches(max_watches)
    except fdb.FDBError as error:
        raise StoreUnavailable(
            f"FoundationDB cluster file {path} cannot be used: {_describe(error)}"
        ) from error
    store = FDBStore(db, path, max_watches)
    try:
        store._run(_probe, (), {}, PROBE_TIMEOUT_MS, PROBE_RETRY_LIMIT)
    except fdb.FDBError as error:
        raise StoreUnavailable(
            f"FoundationDB cluster unreachable (cluster file {path}): {_describe(error)}"
        ) from error
    log.info("store opened: %s (API version %d)", store.description, fdb.get_api_version())
    return store


class FDBStore(Store):
    """A FoundationDB database: transactions with bounded retries, and watches."""

    def __init__(self, db: Any, cluster_file: str, max_watches: int) -> None:
        self.description = f"FoundationDB (cluster file {cluster_file})"
        self._cluster_file = cluster_file
        self._db = db
        self._max_watches = max_watches
        self._lock = threading.Lock()
        self._pending: set[_FDBWatch] = set()

    def transact(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        import fdb

        try:
            return self._run(
                fn, args, kwargs, TRANSACTION_TIMEOUT_MS, TRANSACTION_RETRY_LIMIT
            )
        except fdb.FDBError as error:
            if error.code in _UNAVAILABLE_CODES:
                raise StoreUnavailable(
                    f"FoundationDB cluster unavailable (cluster file {self._cluster_file}): "
                    f"{_describe(error)}"
                ) from error
            raise StoreError(
                f"FoundationDB transaction failed: {_describe(error)}"
            ) from error

    def _run(
        self,
        fn: Callable[..., T],
        args: tuple[object, ...],
        kwargs: dict[str, object],
        timeout_ms: int,
        retry_limit: int,
    ) -> T:
        """The retry loop; raises the last ``FDBError`` when retries run out."""
        import fdb

        db = self._db
        if db is None:
            raise StoreError("the FoundationDB store is closed")
        tr = db.create_transaction()
        # From API 610 both options survive on_error: they bound the whole loop.
        tr.options.set_timeout(timeout_ms)
        tr.options.set_retry_limit(retry_limit)
        while True:
            attempt = _FDBTransaction(self, tr)
            try:
                result = fn(attempt, *args, **kwargs)
                tr.commit().wait()
                return result
            except fdb.FDBError as error:
                attempt.cancel_watches()
                log.debug("transaction retried: %s", _describe(error))
                tr.on_error(error).wait()  # backs off, or raises if it must not retry
            except BaseException:
                attempt.cancel_watches()
                raise

    def _watch(self, tr: Any, key: bytes) -> _FDBWatch:
        with self._lock:
            if self._db is None:
                raise StoreError("the FoundationDB store is closed")
            if len(self._pending) >= self._max_watches:
                raise StoreError(
                    f"too many FoundationDB watches pending (limit {self._max_watches})"
                )
            watch = _FDBWatch(self, tr.watch(key))
            self._pending.add(watch)
        # Outside the lock: the callback runs at once if the future is ready.
        watch._future.on_ready(watch._ready)
        return watch

    def _forget(self, watch: _FDBWatch) -> None:
        with self._lock:
            self._pending.discard(watch)

    def close(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, set()
            self._db = None
        for watch in pending:
            watch.cancel()


class _FDBTransaction(Transaction):
    """One attempt of a retry loop, over an ``fdb.Transaction``."""

    def __init__(self, store: FDBStore, tr: Any) -> None:
        self._store = store
        self._tr = tr
        self._watches: list[_FDBWatch] = []

    def get(self, key: bytes) -> bytes | None:
        value = self._tr.get(key).wait()
        return bytes(value) if value.present() else None

    def get_range(
        self, begin: bytes, end: bytes, limit: int = 0, reverse: bool = False
    ) -> list[tuple[bytes, bytes]]:
        found = self._tr.get_range(begin, end, limit=limit, reverse=reverse).to_list()
        return [(kv.key, kv.value) for kv in found]

    def set(self, key: bytes, value: bytes) -> None:
        self._tr.set(key, value)

    def clear(self, key: bytes) -> None:
        self._tr.clear(key)

    def clear_range(self, begin: bytes, end: bytes) -> None:
        self._tr.clear_range(begin, end)

    def add(self, key: bytes, delta: int) -> None:
        self._tr.add(key, encode_int(delta))

    def set_versionstamped_key(self, key: bytes, value: bytes) -> None:
        self._tr.set_versionstamped_key(key, value)

    def watch(self, key: bytes) -> Watch:
        watch = self._store._watch(self._tr, key)
        self._watches.append(watch)
        return watch

    def cancel_watches(self) -> None:
        """This attempt will not commit: its watches must never fire."""
        for watch in self._watches:
            watch.cancel()


class _FDBWatch(Watch):
    """A watch future; the store holds it until it is done."""

    def __init__(self, store: FDBStore, future: Any) -> None:
        super().__init__()
        self._store = store
        self._future = future

    def cancel(self) -> None:
        self._cancelled()  # first, so the 1101 the future then reports is ignored
        self._store._forget(self)
        self._future.cancel()

    def _ready(self, future: Any) -> None:
        # On the network thread (or the caller's, if already ready): never block.
        self._store._forget(self)
        try:
            future.wait()
        except Exception as error:  # FDBError; anything else fails the watch too
            self._resolve(StoreError(f"FoundationDB watch failed: {_describe(error)}"))
        else:
            self._resolve(None)
