"""The FoundationDB engine: a thin adapter from the store dialect to the official binding.

Why it looks the way it does:

- **Lazy binding.** The ``foundationdb`` package is only the Python side; it
  needs the C client library ``libfdb_c`` and loads it when an API version is
  selected. Importing this module never touches the binding, so a machine
  without the library can still import everything and use the SQLite engine.
- **API version.** The binding passes its own header version to
  ``fdb_select_api_version_impl``, so a binding newer than the client library
  cannot work at any API version: the 8.0 binding refuses every 7.x library.
  We depend on the 7.3 binding and select API version 730, which every 7.3 and
  later client library accepts. The library is found by the binding itself
  (beside the binding, a ``.pth`` file, then the system's search path,
  ``LD_LIBRARY_PATH`` included); when binding and library do not match, the
  error says which ``foundationdb==X.Y.*`` to install. A transaction's timeout
  and retry limit survive ``on_error``, which bounds every retry loop here.
- **Errors are named for what happened**: 1007, 1020, 1021, 2101-2103 become the
  store's own exceptions (the same the embedded engine raises); a loop that
  times out (1031) after conflicts says so, not "cluster unavailable".
- **Faults** from ``QUOTES_FAULTS`` are injected as real ``FDBError`` codes, so
  they take the binding's own ``on_error`` path.
- **Never hang.** Opening probes the cluster with a read under a short
  transaction timeout, so a wrong or unreachable cluster file is one clear
  ``StoreUnavailable`` line within seconds; every transaction has a timeout.
- **Network thread.** Futures' ``on_ready`` callbacks run on FoundationDB's
  single network thread. A watch's callback only records the outcome and
  calls ``Watch._resolve``, whose callbacks hand off (e.g. with
  ``loop.call_soon_threadsafe``); nothing there blocks.
- **References.** Dropping a watch future cancels the watch, so the store
  keeps every pending watch in a set until it fires, fails or is cancelled,
  and bounds their number per database: ``fdb.open`` shares one database per
  cluster file, and FoundationDB's limit (10,000 by default; beyond it watches
  fail with ``too_many_watches``, 1032) is that database's, so every store on
  one cluster file shares one budget.
- **Retries.** An attempt that fails is reset by ``on_error`` and the body runs
  again; the watches that attempt created are cancelled, so only the watches
  of the committed attempt stay live. Read-only transactions are committed
  too: a watch is armed by its transaction's commit.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from app.store.base import RETRY_LIMIT, Store, Transaction, Watch, encode_int
from app.store.errors import (
    CommitUnknownResult,
    KeyTooLarge,
    NotCommitted,
    StoreError,
    StoreUnavailable,
    TransactionTooLarge,
    TransactionTooOld,
    ValueTooLarge,
    WatchFailed,
    result_unknown,
)
from app.store.faults import FROM_ENVIRONMENT, Faults
from app.store.faults import resolve as resolve_faults

T = TypeVar("T")
log = logging.getLogger(__name__)

#: The API version we select: 7.3's, accepted by every 7.3 and later client library.
API_VERSION = 730
#: Pending watches allowed per database (FoundationDB's default ``max_watches``).
MAX_WATCHES = 10_000
TRANSACTION_TIMEOUT_MS = 10_000
TRANSACTION_RETRY_LIMIT = RETRY_LIMIT
PROBE_TIMEOUT_MS = 5_000
PROBE_RETRY_LIMIT = 5

NO_LIBRARY = (
    "FoundationDB client library (libfdb_c) is not installed: install the "
    "FoundationDB 7.3 client package (foundationdb-clients)"
)

#: Error codes that mean the cluster, not the transaction, is the problem:
#: timed_out, transaction_timed_out, process_behind, database_locked.
_UNAVAILABLE_CODES = frozenset({1004, 1031, 1037, 1038})
#: FoundationDB's codes for errors the store names with its own exceptions.
_NAMED = {
    1007: TransactionTooOld,
    1020: NotCommitted,
    1021: CommitUnknownResult,
    2101: TransactionTooLarge,
    2102: KeyTooLarge,
    2103: ValueTooLarge,
}

_api_lock = threading.Lock()


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _describe(error: BaseException) -> str:
    """``description (code)`` for an FDBError (its description is bytes)."""
    description = getattr(error, "description", None)
    if isinstance(description, bytes):
        return f"{description.decode(errors='replace')} ({getattr(error, 'code', '?')})"
    return _one_line(error)


def _binding_for(api_version: int) -> str:
    """The ``foundationdb`` package that matches a client library's API version."""
    return f"foundationdb=={api_version // 100}.{api_version // 10 % 10}.*"


def _load_binding() -> Any:
    """The ``fdb`` module with our API version selected (once per process)."""
    with _api_lock:
        import fdb

        if fdb.is_api_version_selected():
            return fdb
        try:
            import fdb.impl  # loads libfdb_c the binding's own way
        except Exception as error:  # the binding raises a bare Exception
            raise StoreUnavailable(f"{NO_LIBRARY} ({_one_line(error)})") from error
        library_max = int(fdb.impl._capi.fdb_get_max_api_version())
        if library_max < API_VERSION:
            raise StoreUnavailable(
                f"FoundationDB client library supports API version {library_max}; Quotes "
                f"needs FoundationDB 7.3 or later (or install {_binding_for(library_max)} "
                "for an older cluster at your own risk)"
            )
        if fdb.LATEST_API_VERSION > library_max:
            raise StoreUnavailable(
                f"the foundationdb binding (API {fdb.LATEST_API_VERSION}) is newer than the "
                f"client library (API {library_max}): install {_binding_for(library_max)}"
            )
        try:
            fdb.api_version(API_VERSION)
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


class _WatchBudget:
    """Pending watches of one database (one per cluster file, as ``fdb.open`` shares)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.pending = 0


_budgets: dict[str, _WatchBudget] = {}
_budgets_lock = threading.Lock()


def _budget_for(db: Any, path: str, limit: int) -> _WatchBudget:
    """The database's budget; its ``max_watches`` is set once, by the first store."""
    with _budgets_lock:
        budget = _budgets.get(os.path.realpath(path))
        if budget is None:
            db.options.set_max_watches(limit)
            budget = _budgets[os.path.realpath(path)] = _WatchBudget(limit)
        return budget


def open_fdb(
    cluster_file: str | None,
    *,
    max_watches: int = MAX_WATCHES,
    faults: Faults | None | object = FROM_ENVIRONMENT,
) -> FDBStore:
    """Connect to the cluster named by ``cluster_file`` (None: the default one).

    Raises ``StoreUnavailable`` with one line when the client library is
    missing, the cluster file is missing or invalid, or the cluster does not
    answer within a few seconds. ``faults`` default to ``QUOTES_FAULTS``; None: none.
    """
    fdb = _load_binding()
    path = cluster_file or _default_cluster_file()
    if not os.path.isfile(path):
        raise StoreUnavailable(f"FoundationDB cluster file not found: {path}")
    try:
        db = fdb.open(path)
        budget = _budget_for(db, path, max_watches)
    except fdb.FDBError as error:
        raise StoreUnavailable(
            f"FoundationDB cluster file {path} cannot be used: {_describe(error)}"
        ) from error
    store = FDBStore(db, path, budget, resolve_faults(faults))
    try:
        store._run(_probe, (), {}, PROBE_TIMEOUT_MS, PROBE_RETRY_LIMIT, inject=False)
    except fdb.FDBError as error:
        raise StoreUnavailable(
            f"FoundationDB cluster unreachable (cluster file {path}): {_describe(error)}"
        ) from error
    log.info("store opened: %s (API version %d)", store.description, fdb.get_api_version())
    return store


class FDBStore(Store):
    """A FoundationDB database: transactions with bounded retries, and watches."""

    def __init__(
        self, db: Any, cluster_file: str, budget: _WatchBudget, faults: Faults | None
    ) -> None:
        self.description = f"FoundationDB (cluster file {cluster_file})"
        self._cluster_file = cluster_file
        self._db = db
        self._budget = budget
        self._faults = faults
        self._lock = threading.Lock()
        self._pending: set[_FDBWatch] = set()

    def transact(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        import fdb

        try:
            return self._run(fn, args, kwargs, TRANSACTION_TIMEOUT_MS, TRANSACTION_RETRY_LIMIT)
        except fdb.FDBError as error:
            named = self._named(error, getattr(error, "after", None))
            if getattr(error, "unknown", False):
                named = result_unknown(named)
            raise named from error

    def _named(self, error: Any, after: Any) -> StoreError:
        """The store's exception for an FDBError that ended a retry loop."""
        named = _NAMED.get(error.code)
        if named is not None:
            return named(f"FoundationDB: {_describe(error)}")
        if error.code == 1031 and after is not None:  # timed out while retrying something
            return StoreError(
                f"FoundationDB transaction timed out while retrying: {_describe(after)}"
            )
        if error.code in _UNAVAILABLE_CODES:
            return StoreUnavailable(
                f"FoundationDB cluster unavailable (cluster file {self._cluster_file}): "
                f"{_describe(error)}"
            )
        return StoreError(f"FoundationDB transaction failed: {_describe(error)}")

    def _run(
        self,
        fn: Callable[..., T],
        args: tuple[object, ...],
        kwargs: dict[str, object],
        timeout_ms: int,
        retry_limit: int,
        inject: bool = True,
    ) -> T:
        """The retry loop; raises the last ``FDBError`` when retries run out.

        That error carries ``after``: the retryable error seen before it, if any;
        and ``unknown``: whether an attempt's commit result was unknown (1021).
        """
        import fdb

        db = self._db
        if db is None:
            raise StoreError("the FoundationDB store is closed")
        faults = self._faults if inject else None
        tr = db.create_transaction()
        # Both options survive on_error: they bound the whole loop.
        tr.options.set_timeout(timeout_ms)
        tr.options.set_retry_limit(retry_limit)
        last = None
        unknown = False
        while True:
            attempt = _FDBTransaction(self, tr, faults)
            try:
                result = fn(attempt, *args, **kwargs)
                self._commit(tr, faults, attempt.wrote)
                return result
            except fdb.FDBError as error:
                attempt.cancel_watches()
                log.debug("transaction retried: %s", _describe(error))
                unknown = unknown or error.code == 1021
                try:
                    tr.on_error(error).wait()  # backs off, or raises if it must not retry
                except fdb.FDBError as final:
                    final.after = last if final.code != error.code else None
                    final.unknown = unknown
                    raise
                last = error
            except BaseException as error:
                attempt.cancel_watches()
                if unknown and isinstance(error, StoreError):  # a limit broken
                    raise result_unknown(error) from error
                raise

    @staticmethod
    def _commit(tr: Any, faults: Faults | None, wrote: bool) -> None:
        import fdb

        if faults is not None and wrote:
            if faults.hit("not_committed"):
                raise fdb.FDBError(1020)
            if faults.hit("commit_unknown_result"):
                if faults.coin():
                    tr.commit().wait()
                raise fdb.FDBError(1021)
        tr.commit().wait()

    def _watch(self, tr: Any, key: bytes) -> _FDBWatch:
        with self._lock:
            if self._db is None:
                raise StoreError("the FoundationDB store is closed")
        with _budgets_lock:
            if self._budget.pending >= self._budget.limit:
                raise StoreError(
                    f"too many FoundationDB watches pending (limit {self._budget.limit})"
                )
            self._budget.pending += 1
        watch = _FDBWatch(self, tr.watch(key))
        with self._lock:
            self._pending.add(watch)
        # Outside the lock: the callback runs at once if the future is ready.
        watch._future.on_ready(watch._ready)
        return watch

    def _forget(self, watch: _FDBWatch) -> None:
        with self._lock:
            if watch not in self._pending:
                return
            self._pending.discard(watch)
        with _budgets_lock:
            self._budget.pending -= 1

    def close(self) -> None:
        with self._lock:
            pending = list(self._pending)
            self._db = None
        for watch in pending:
            watch.cancel()


class _FDBTransaction(Transaction):
    """One attempt of a retry loop, over an ``fdb.Transaction``."""

    def __init__(self, store: FDBStore, tr: Any, faults: Faults | None) -> None:
        self._store = store
        self._tr = tr
        self._faults = faults
        self._too_old = faults is not None and faults.hit("transaction_too_old")
        self._watches: list[_FDBWatch] = []
        self.wrote = False

    def _reading(self) -> None:
        if self._too_old:
            import fdb

            self._too_old = False
            raise fdb.FDBError(1007)

    def get(self, key: bytes, snapshot: bool = False) -> bytes | None:
        self._reading()
        value = (self._tr.snapshot if snapshot else self._tr).get(key).wait()
        return bytes(value) if value.present() else None

    def get_many(self, keys: list[bytes]) -> list[bytes | None]:
        self._reading()
        futures = [self._tr.get(key) for key in keys]  # all in flight at once
        values = [future.wait() for future in futures]
        return [bytes(value) if value.present() else None for value in values]

    def get_range(
        self,
        begin: bytes,
        end: bytes,
        limit: int = 0,
        reverse: bool = False,
        snapshot: bool = False,
    ) -> list[tuple[bytes, bytes]]:
        self._reading()
        source = self._tr.snapshot if snapshot else self._tr
        found = source.get_range(begin, end, limit=limit, reverse=reverse).to_list()
        return [(kv.key, kv.value) for kv in found]

    def get_approximate_size(self) -> int:
        return int(self._tr.get_approximate_size().wait())

    def set(self, key: bytes, value: bytes) -> None:
        self.wrote = True
        self._tr.set(key, value)

    def clear(self, key: bytes) -> None:
        self.wrote = True
        self._tr.clear(key)

    def clear_range(self, begin: bytes, end: bytes) -> None:
        self.wrote = True
        self._tr.clear_range(begin, end)

    def add(self, key: bytes, delta: int) -> None:
        self.wrote = True
        self._tr.add(key, encode_int(delta))

    def set_versionstamped_key(self, key: bytes, value: bytes) -> None:
        self.wrote = True
        self._tr.set_versionstamped_key(key, value)

    def watch(self, key: bytes) -> Watch:
        watch = self._store._watch(self._tr, key)
        self._watches.append(watch)
        if self._faults is not None and self._faults.hit("watch_error"):
            watch._resolve(WatchFailed("FoundationDB watch failed (injected)"))
            watch.cancel()  # release the real watch; the failure stands
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
            self._resolve(WatchFailed(f"FoundationDB watch failed: {_describe(error)}"))
        else:
            self._resolve(None)
