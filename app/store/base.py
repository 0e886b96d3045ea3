"""The store dialect: a small subset of FoundationDB's transaction API.

Both engines (SQLite for one machine, FoundationDB for many) implement
``Store`` and ``Transaction`` so that everything above them runs unchanged.

Transactional functions take a ``Transaction`` as their first argument so
they compose (FoundationDB's class-scheduling style); ``Store.transact`` runs
one in a retry loop, so its body must be idempotent and must not touch the UI.

A ``Watch`` is a wake-up signal, never a data stream: it is registered when
its transaction commits, fires once when the key's value differs from the
value that transaction saw (several changes may fold into one firing), and can
fail with an error, after which the caller re-reads and re-arms.
"""

from __future__ import annotations

import logging
import struct
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import TypeVar

from app.store.errors import WatchCancelled

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Little-endian signed 64-bit, FoundationDB's atomic-add encoding.
_INT64 = struct.Struct("<q")


#: Length of a commit-order stamp: 8-byte commit version, 2-byte batch order.
STAMP_LEN = 10

# FoundationDB's limits, kept by every engine.
#: Seconds a transaction may live before its reads fail (``transaction_too_old``).
TRANSACTION_LIFETIME = 5.0
#: Bytes a transaction may affect: keys and values written, ranges read and
#: cleared, prefixes included (``transaction_too_large``).
MAX_TRANSACTION_BYTES = 10_000_000
MAX_KEY_BYTES = 10_000
MAX_VALUE_BYTES = 100_000
#: Seconds and attempts a retry loop may take before it gives up.
RETRY_TIMEOUT = 10.0
RETRY_LIMIT = 100


def versionstamp_key(prefix: bytes, suffix: bytes = b"") -> bytes:
    """The raw key for ``set_versionstamped_key``: ``prefix``, the stamp, ``suffix``."""
    return prefix + b"\xff" * STAMP_LEN + suffix + struct.pack("<I", len(prefix))


def encode_int(value: int) -> bytes:
    """Encode an integer the way atomic ``add`` stores it."""
    return _INT64.pack(value)


def decode_int(value: bytes | None) -> int:
    """Decode a value written by atomic ``add`` (a missing key is 0)."""
    if not value:
        return 0
    return int.from_bytes(value, "little", signed=True)


class Transaction(ABC):
    """One transaction: reads see one consistent snapshot, writes commit atomically."""

    @abstractmethod
    def get(self, key: bytes, snapshot: bool = False) -> bytes | None:
        """The value at ``key``, or None.

        A ``snapshot`` read adds no read conflict: a concurrent write to the
        key does not make this transaction retry (FoundationDB's snapshot reads).
        """

    @abstractmethod
    def get_many(self, keys: list[bytes]) -> list[bytes | None]:
        """The values at ``keys``, in order: every read started, then awaited.

        Never read many keys one by one: on a cluster each serial read is a
        network round trip.
        """

    @abstractmethod
    def get_range(
        self,
        begin: bytes,
        end: bytes,
        limit: int = 0,
        reverse: bool = False,
        snapshot: bool = False,
    ) -> list[tuple[bytes, bytes]]:
        """Key-value pairs with ``begin <= key < end`` in key order (0 = no limit)."""

    @abstractmethod
    def get_approximate_size(self) -> int:
        """Bytes this transaction affects so far, counted as FoundationDB counts them."""

    @abstractmethod
    def get_read_version(self) -> int:
        """The version this transaction reads at: at least every committed
        version, below every later commit's; it advances about 1,000,000 a
        second on both engines (FoundationDB's rate)."""

    @abstractmethod
    def set(self, key: bytes, value: bytes) -> None: ...

    def set_many(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        """``set`` each key to its value, in one call (an engine may write them
        together; a batch of an import sets thousands)."""
        for key, value in items:
            self.set(key, value)

    @abstractmethod
    def clear(self, key: bytes) -> None: ...

    @abstractmethod
    def clear_range(self, begin: bytes, end: bytes) -> None: ...

    @abstractmethod
    def add(self, key: bytes, delta: int) -> None:
        """Atomically add ``delta`` to the little-endian integer at ``key``.

        Conflict-free: it adds no read conflict, so concurrent adds never retry.
        """

    @abstractmethod
    def set_versionstamped_key(self, key: bytes, value: bytes) -> None:
        """Set a key that embeds this commit's position in the commit order.

        ``key`` is in FoundationDB's raw form (see ``versionstamp_key``): ten
        placeholder bytes, then a 4-byte little-endian offset to them at the
        end. At commit the ten bytes are filled with a stamp that sorts keys in
        commit order; every such key in one transaction gets the same stamp.
        """

    @abstractmethod
    def watch(self, key: bytes) -> Watch:
        """A watch on ``key``, armed when this transaction commits."""

    @property
    @abstractmethod
    def wrote(self) -> bool:
        """Whether this attempt has written anything yet (set, clear, clear_range,
        add or a versionstamped key): a commit with nothing to write cannot fail,
        and an exactly-once body that wrote nothing records no token."""


class Watch(ABC):
    """A one-shot notification that a key's value changed.

    ``on_ready`` callbacks may run on any thread (the FoundationDB network
    thread, the SQLite watch thread, or a committing thread) and must not block.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._error: BaseException | None = None
        self._callbacks: list[Callable[[Watch], None]] = []

    @abstractmethod
    def cancel(self) -> None:
        """Stop watching; pending callbacks get ``WatchCancelled``."""

    def done(self) -> bool:
        return self._done.is_set()

    def error(self) -> BaseException | None:
        """The error the watch failed with, or None if it fired."""
        return self._error

    def wait(self, timeout: float | None = None) -> bool:
        """Block until fired, failed or cancelled; False on timeout."""
        return self._done.wait(timeout)

    def on_ready(self, callback: Callable[[Watch], None]) -> None:
        """Call ``callback(watch)`` once the watch is done (at once if it is)."""
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(callback)
                return
        callback(self)

    def _resolve(self, error: BaseException | None = None) -> None:
        with self._lock:
            if self._done.is_set():
                return
            self._error = error
            self._done.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            try:
                callback(self)
            except Exception:  # one failing callback must not starve the others
                log.exception("watch callback failed")

    def _cancelled(self) -> None:
        self._resolve(WatchCancelled("watch cancelled"))


class Store(ABC):
    """An ordered, transactional key-value store with watches."""

    #: A short human description: the file path or the cluster file.
    description: str = ""
    #: Whether a watch on this store stays silent (neither fires nor fails) when
    #: the store becomes unreachable, so a view must ``ping`` it to find out
    #: (FoundationDB); the embedded store fails its watches at once instead.
    silent_when_down: bool = False

    @abstractmethod
    def transact(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """Run ``fn(tr, *args, **kwargs)`` in a transaction, retrying conflicts.

        Retries are bounded in count and time; when they run out the last
        error is raised as a ``StoreError``.
        """

    @abstractmethod
    def ping(self) -> None:
        """A cheap read, answered within about 2 seconds or ``StoreUnavailable``.

        For the sync layer's periodic check while a view is open: a watch on
        a FoundationDB cluster that went down neither fires nor fails, so a
        view learns the store is unreachable only by asking.
        """

    @abstractmethod
    def close(self) -> None:
        """Release connections and cancel outstanding watches."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
