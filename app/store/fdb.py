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
import time
from collections.abc import Callable
from typing import Any, TypeVar

from app.store.base import RETRY_LIMIT, Store, Transaction, Watch, encode_int
from app.store.errors import StoreError, StoreUnavailable, StoreUnreachable, WatchFailed, result_unknown
from app.store.faults import FROM_ENVIRONMENT, Faults
from app.store.faults import resolve as resolve_faults
from app.store.fdb_errors import (
    REFUSED,
    History,
    definitely_not_committed,
    describe,
    name,
    retried_by_on_error,
)

T = TypeVar("T")
log = logging.getLogger(__name__)

#: The API version we select: 7.3's, accepted by every 7.3 and later client library.
API_VERSION = 730
#: Pending watches allowed per database (FoundationDB's default ``max_watches``).
MAX_WATCHES = 10_000
#: A transaction's whole retry loop: FoundationDB's 5 s, so an unreachable
#: cluster is a ``StoreUnavailable`` within seconds, never a hang.
TRANSACTION_TIMEOUT_MS = 5_000
TRANSACTION_RETRY_LIMIT = RETRY_LIMIT
#: Seconds spent settling a commit whose result is unknown, in fresh transactions.
RESOLVE_TIMEOUT = 30.0
PROBE_TIMEOUT_MS = 5_000
PROBE_RETRY_LIMIT = 5
#: ``ping``: a cheap read that fails this soon when the cluster does not answer.
PING_TIMEOUT_MS = 2_000

NO_LIBRARY = (
    "FoundationDB client library (libfdb_c) is not installed: install the "
    "FoundationDB 7.3 client package (foundationdb-clients)"
)

_api_lock = threading.Lock()
#: The client buggify percentage the network was started with (None: not started).
_network_buggify: int | None = None


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


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


def _start_network(fdb: Any, buggify: int) -> None:
    """Start the client's network thread, with the client's own buggify if asked.

    Network options hold only when set before the network starts, once per
    process: a later store asking for another setting gets a warning, not it.
    """
    global _network_buggify
    with _api_lock:
        if _network_buggify is None and fdb.impl._network_thread is not None:
            _network_buggify = 0  # started by someone else, without ours
        if _network_buggify is None:
            if buggify:
                fdb.impl.options.set_client_buggify_enable()
                fdb.impl.options.set_client_buggify_section_activated_probability(100)
                fdb.impl.options.set_client_buggify_section_fired_probability(buggify)
                log.warning("FoundationDB client buggify on: %d%% of sections fire", buggify)
            fdb.impl.init()
            _network_buggify = buggify
        elif buggify and buggify != _network_buggify:
            log.warning(
                "client_buggify=%d ignored: this process's FoundationDB network "
                "started with client_buggify=%d",
                buggify,
                _network_buggify,
            )


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
    probe: bool = True,
) -> FDBStore:
    """Connect to the cluster named by ``cluster_file`` (None: the default one).

    Raises ``StoreUnavailable`` with one line when the client library is
    missing, the cluster file is missing or invalid, or the cluster does not
    answer within a few seconds (``StoreUnreachable``; without ``probe`` the
    cluster is not asked: a window opening on its offline cache connects
    later). ``faults`` default to ``QUOTES_FAULTS``; None: none.
    """
    fdb = _load_binding()
    path = cluster_file or _default_cluster_file()
    if not os.path.isfile(path):
        raise StoreUnavailable(f"FoundationDB cluster file not found: {path}")
    resolved = resolve_faults(faults)
    try:
        _start_network(fdb, resolved.client_buggify if resolved is not None else 0)
        db = fdb.open(path)
        budget = _budget_for(db, path, max_watches)
    except fdb.FDBError as error:
        raise StoreUnavailable(
            f"FoundationDB cluster file {path} cannot be used: {describe(error)}"
        ) from error
    store = FDBStore(db, path, budget, resolved)
    if not probe:
        return store
    try:
        store._run(_probe, (), {}, PROBE_TIMEOUT_MS, PROBE_RETRY_LIMIT, inject=False)
    except StoreUnavailable:
        raise
    except StoreError as error:
        raise StoreUnreachable(f"FoundationDB cluster unreachable (cluster file {path}): {error}") from error
    log.info("store opened: %s (API version %d)", store.description, fdb.get_api_version())
    return store


class FDBStore(Store):
    """A FoundationDB database: transactions with bounded retries, and watches."""

    silent_when_down = True

    def __init__(self, db: Any, cluster_file: str, budget: _WatchBudget, faults: Faults | None) -> None:
        self.description = f"FoundationDB (cluster file {cluster_file})"
        self._cluster_file = cluster_file
        self._db = db
        self._budget = budget
        self._faults = faults
        self._lock = threading.Lock()
        self._pending: set[_FDBWatch] = set()

    def transact(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        return self._run(fn, args, kwargs, TRANSACTION_TIMEOUT_MS, TRANSACTION_RETRY_LIMIT)

    def ping(self) -> None:
        """Raise ``StoreUnavailable`` unless the cluster answers a read within
        ``PING_TIMEOUT_MS`` (a watch on a dead cluster neither fires nor fails)."""
        try:
            self._run(_probe, (), {}, PING_TIMEOUT_MS, PROBE_RETRY_LIMIT, inject=False)
        except StoreUnavailable:
            raise
        except StoreError as error:
            raise StoreUnreachable(str(error)) from error

    def _run(
        self,
        fn: Callable[..., T],
        args: tuple[object, ...],
        kwargs: dict[str, object],
        timeout_ms: int,
        retry_limit: int,
        inject: bool = True,
    ) -> T:
        """The retry loop, raising the store's exception for how it ended.

        Errors go through ``on_error`` (which backs off, or raises when it must
        not retry); a writing commit that ends in doubt in a way ``on_error``
        does not retry (1031 from a commit) is settled in fresh transactions.
        A writing attempt gets its read version before it commits, so a
        cluster that does not answer times out there, where nothing was sent:
        "unavailable", not "may have been made".
        """
        import fdb

        faults = self._faults if inject else None
        history = History()
        started = time.monotonic()
        tr = self._begin(timeout_ms, retry_limit)
        while True:
            attempt = _FDBTransaction(self, tr, faults)
            at_commit = False
            try:
                result = fn(attempt, *args, **kwargs)
                if attempt.wrote:  # a timeout here is before the commit: nothing sent
                    tr.get_read_version().wait()
                at_commit = True
                self._commit(tr, faults, attempt)
                return result
            except fdb.FDBError as error:
                attempt.cancel_watches()
                log.debug("transaction retried: %s", describe(error))
                if at_commit and not attempt.wrote and not attempt.watched:
                    return result  # nothing to commit: its reads stand (client buggify fails such commits)
                history.unknown = history.unknown or (
                    at_commit and attempt.wrote and not definitely_not_committed(error.code)
                )
                if at_commit and not retried_by_on_error(error.code) and error.code not in REFUSED:
                    # e.g. 1031 from a commit: on_error will not retry it; settle it afresh
                    history.retried.append(error)
                    if self._may_resolve(history, started, retry_limit):
                        history.resolving += 1
                        tr = self._begin(timeout_ms, retry_limit)
                        continue
                    raise self._name(error, history, started) from error
                try:
                    tr.on_error(error).wait()
                except fdb.FDBError as final:
                    raise self._name(final, history, started) from final
                history.retried.append(error)
            except BaseException as error:
                attempt.cancel_watches()
                if history.unknown and isinstance(error, StoreError):  # a limit broken
                    raise result_unknown(error) from error
                raise

    def _begin(self, timeout_ms: int, retry_limit: int) -> Any:
        db = self._db
        if db is None:
            raise StoreError("the FoundationDB store is closed")
        tr = db.create_transaction()
        # Both options survive on_error: they bound the whole loop.
        tr.options.set_timeout(timeout_ms)
        tr.options.set_retry_limit(retry_limit)
        return tr

    @staticmethod
    def _may_resolve(history: History, started: float, retry_limit: int) -> bool:
        """Whether to settle an unknown result in another fresh transaction."""
        return history.resolving < retry_limit and time.monotonic() - started < RESOLVE_TIMEOUT

    def _name(self, error: Any, history: History, started: float) -> StoreError:
        return name(error, history, self._cluster_file, time.monotonic() - started)

    @staticmethod
    def _commit(tr: Any, faults: Faults | None, attempt: _FDBTransaction) -> None:
        import fdb

        if faults is not None and not attempt.wrote and attempt.watched:
            if faults.hit("commit_timed_out"):  # as client buggify fails read-only commits
                raise fdb.FDBError(1031)
        if faults is not None and attempt.wrote:
            if faults.hit("not_committed"):
                raise fdb.FDBError(1020)
            if faults.hit("commit_unknown_result"):
                if faults.coin():
                    tr.commit().wait()
                raise fdb.FDBError(1021)
            if faults.hit("commit_timed_out"):
                tr.commit().wait()
                raise fdb.FDBError(1031)
        tr.commit().wait()

    def _watch(self, tr: Any, key: bytes) -> _FDBWatch:
        with self._lock:
            if self._db is None:
                raise StoreError("the FoundationDB store is closed")
        with _budgets_lock:
            if self._budget.pending >= self._budget.limit:
                raise StoreError(f"too many FoundationDB watches pending (limit {self._budget.limit})")
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

    wrote = False  # set by each write

    def __init__(self, store: FDBStore, tr: Any, faults: Faults | None) -> None:
        self._store = store
        self._tr = tr
        self._faults = faults
        self._too_old = faults is not None and faults.hit("transaction_too_old")
        self._watches: list[_FDBWatch] = []

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

    def get_read_version(self) -> int:
        self._reading()
        return int(self._tr.get_read_version().wait())

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

    @property
    def watched(self) -> bool:
        """Whether this attempt armed watches (they need its commit)."""
        return bool(self._watches)

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
            self._resolve(WatchFailed(f"FoundationDB watch failed: {describe(error)}"))
        else:
            self._resolve(None)
