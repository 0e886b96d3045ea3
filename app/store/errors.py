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


class StoreUnreachable(StoreUnavailable):
    """The store did not answer in time (a cluster out of reach): nothing was
    written, and the same request may well succeed once it answers again."""


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
    """The commit may or may not have happened (1021): bodies must be idempotent.

    The retry loop runs the body again until the outcome is known: a write
    guarded by an exactly-once token finds its token if the first commit landed.
    """

    code = 1021


class CommitTimedOut(CommitUnknownResult):
    """The commit timed out (1031): it may have been made, or may still be made.

    FoundationDB documents that a commit that timed out "may have already
    succeeded or may succeed in the future"; its client buggify throws exactly
    that, with the commit still in flight. So it is an unknown result, not
    "cluster unavailable".
    """

    code = 1031


class ResultUnknown(StoreError):
    """A write may have been made: its commit result stayed unknown until the
    retry loop gave up (the store stayed unreachable, or a limit was broken).

    The only error that says "may have been made"; the message names what
    ended the loop. Never retried by the store.
    """

    code = 1021


def result_unknown(error: StoreError) -> ResultUnknown:
    """``error`` ended a retry loop after an attempt whose commit result was unknown.

    That attempt may have committed, so the caller must not be told the write
    did not happen: the error says so, and is a ``ResultUnknown``.
    """
    if isinstance(error, ResultUnknown):
        return error
    return ResultUnknown(
        f"{error}; an earlier attempt's commit result is unknown, "
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
