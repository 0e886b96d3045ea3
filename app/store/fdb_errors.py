"""What a FoundationDB error means for a write, and the words for it.

The client's own rules, from ``fdb_error_predicate`` (``bindings/c/fdb_c.cpp``)
and ``Transaction::onError`` (``fdbclient/NativeAPI.actor.cpp``):

- *retryable, not committed*: ``on_error`` resets the transaction and backs
  off; nothing was written (1007, 1009, 1020, 1037, 1038, 1042, 1051, 1078,
  1213, 1235, 1242).
- *maybe committed*: 1021 (and 1039). ``on_error`` retries it; the client
  first makes sure the commit is no longer in flight.
- Everything else ends the loop, among them 1031 ``transaction_timed_out``.
  Raised from a commit, it means the commit "may have already succeeded or
  may succeed in the future": client buggify throws it with the commit still
  in flight (``ReadYourWrites.cpp``, ``simulateTimeoutInFlightCommit``).

So a writing commit's error is "result unknown" unless it is definitely
"not committed" (the first group, or a write refused before it was sent). The
engine then runs the body again in a fresh transaction (a write guarded by an
exactly-once token finds its token when the first commit landed; a late
landing of the first conflicts with the re-run, whose write is newer than its
reads), and says "may have been made" only when that never settles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.store.errors import (
    CommitUnknownResult,
    KeyTooLarge,
    NotCommitted,
    StoreError,
    StoreUnavailable,
    StoreUnreachable,
    TransactionTooLarge,
    TransactionTooOld,
    ValueTooLarge,
    result_unknown,
)

#: ``retryable_not_committed``: reset and retried by ``on_error``; nothing written.
RETRYABLE_NOT_COMMITTED = frozenset({1007, 1009, 1020, 1037, 1038, 1042, 1051, 1078, 1213, 1235, 1242})
#: ``maybe_committed``: retried by ``on_error`` once the commit is no longer in flight.
MAYBE_COMMITTED = frozenset({1021, 1039})
#: Refused by the client before the commit was sent: too large, bad keys.
REFUSED = frozenset({2004, 2005, 2101, 2102, 2103})
#: The loop ran out of time (1031 transaction_timed_out, 1004 timed_out).
TIMEOUTS = frozenset({1004, 1031})
#: The cluster, not the transaction, is the problem: timeouts, a storage
#: process behind, the database locked, proxies out of memory, throttling.
UNAVAILABLE = TIMEOUTS | {1037, 1038, 1042, 1051, 1078, 1213, 1235}

_NAMED: dict[int, type[StoreError]] = {
    1007: TransactionTooOld,
    1020: NotCommitted,
    1021: CommitUnknownResult,
    2101: TransactionTooLarge,
    2102: KeyTooLarge,
    2103: ValueTooLarge,
}


def retried_by_on_error(code: int) -> bool:
    """Whether ``on_error`` resets and retries ``code`` (the ``retryable`` predicate)."""
    return code in RETRYABLE_NOT_COMMITTED or code in MAYBE_COMMITTED


def definitely_not_committed(code: int) -> bool:
    """Whether a commit that failed with ``code`` certainly wrote nothing."""
    return code in RETRYABLE_NOT_COMMITTED or code in REFUSED


def describe(error: BaseException) -> str:
    """``description (code)`` for an FDBError (its description is bytes)."""
    description = getattr(error, "description", None)
    if isinstance(description, bytes):
        return f"{description.decode(errors='replace')} ({getattr(error, 'code', '?')})"
    return " ".join(str(error).split()) or type(error).__name__


@dataclass
class History:
    """What one ``transact`` call has been through, to word its end truthfully."""

    #: Errors that made the loop run the body again, oldest first.
    retried: list[Any] = field(default_factory=list)
    #: A writing commit's result was not known at some point.
    unknown: bool = False
    #: Fresh transactions started to settle an unknown result.
    resolving: int = 0

    def last_cause(self) -> Any | None:
        """The latest retried error that was not itself a timeout."""
        for error in reversed(self.retried):
            if error.code not in TIMEOUTS:
                return error
        return None


def name(error: Any, history: History, cluster_file: str, elapsed_s: float) -> StoreError:
    """The store's exception for the FDBError that ended a retry loop after ``elapsed_s``."""
    named = _plain(error, history, cluster_file, elapsed_s)
    return result_unknown(named) if history.unknown else named


def _plain(error: Any, history: History, cluster_file: str, elapsed_s: float) -> StoreError:
    attempts = len(history.retried) + 1
    if error.code in TIMEOUTS:
        cause = history.last_cause()
        if cause is not None:  # it was retrying something: say what
            return _of(cause.code)(
                f"FoundationDB: timed out after {attempts} attempts in {elapsed_s:.1f} s; "
                f"the one before failed with: {describe(cause)}"
            )
        return StoreUnreachable(
            f"FoundationDB cluster unavailable (cluster file {cluster_file}): "
            f"no answer within {elapsed_s:.1f} s ({describe(error)})"
        )
    if attempts > 1 and retried_by_on_error(error.code):
        return _of(error.code)(f"FoundationDB: gave up after {attempts} attempts: {describe(error)}")
    if error.code in _NAMED:
        return _NAMED[error.code](f"FoundationDB: {describe(error)}")
    if error.code in UNAVAILABLE:
        return StoreUnavailable(
            f"FoundationDB cluster unavailable (cluster file {cluster_file}): {describe(error)}"
        )
    return StoreError(f"FoundationDB transaction failed: {describe(error)}")


def _of(code: int) -> type[StoreError]:
    if code in _NAMED:
        return _NAMED[code]
    return StoreUnavailable if code in UNAVAILABLE else StoreError
