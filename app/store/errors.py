"""Exceptions the store raises; every one carries a message a person can act on.

The transaction errors are FoundationDB's, named as FoundationDB names them
(with its error code), and raised by both engines: the embedded engine keeps
FoundationDB's limits so that code passing here cannot break on a cluster.
``Retryable`` ones are retried by the engine's retry loop; callers see them
only when the loop gives up.
"""


class StoreError(Exception):
    """The store could not do what was asked."""

    #: FoundationDB's error code, where there is one.
    code: int | None = None


class StoreUnavailable(StoreError):
    """The store is missing, unreachable, locked, read-only or full."""


class StoreGone(StoreUnavailable):
    """The store file was deleted, moved or replaced while open: retrying cannot help."""


class NotAStore(StoreError):
    """The file exists but is not a Quotes store; it is left untouched."""


class WatchCancelled(StoreError):
    """A watch was cancelled before it fired."""


class Retryable(StoreError):
    """A transaction attempt failed in a way that running it again may cure."""


class TransactionTooOld(Retryable):
    """The transaction lived longer than FoundationDB's 5 seconds (1007)."""

    code = 1007


class NotCommitted(Retryable):
    """The transaction conflicted with another and did not commit (1020)."""

    code = 1020


class CommitUnknownResult(Retryable):
    """The commit may or may not have happened (1021): bodies must be idempotent."""

    code = 1021


def result_unknown(error: StoreError) -> CommitUnknownResult:
    """``error`` ended a retry loop after an attempt whose commit result was unknown.

    That attempt may have committed, so the caller must not be told the write
    did not happen: the error says so, and is a ``CommitUnknownResult``.
    """
    if isinstance(error, CommitUnknownResult):
        return error
    return CommitUnknownResult(
        f"{error}; an earlier attempt's commit result is unknown (1021), "
        "so the change may have been made: check before doing it again"
    )


class TransactionTooLarge(StoreError):
    """The transaction wrote more than FoundationDB's 10 MB (2101); nothing was written."""

    code = 2101


class KeyTooLarge(StoreError):
    """A key longer than FoundationDB's 10,000 bytes (2102)."""

    code = 2102


class ValueTooLarge(StoreError):
    """A value longer than FoundationDB's 100,000 bytes (2103)."""

    code = 2103


class WatchFailed(StoreError):
    """A watch failed instead of firing: re-read, then arm a new one."""
