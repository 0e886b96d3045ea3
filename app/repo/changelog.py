"""The change log: ``(commit-order key) -> op`` per write, read from a cursor.

A reader remembers the newest key it has seen with the tenant's epoch (its
``Cursor``) and reads only the entries after it, at most ``READ_LIMIT`` a
transaction: a longer log is read in several (``since`` says there is
``more``). The log is trimmed to its newest ``KEEP`` entries; a reader whose
cursor is older than the trimmed floor, or of another epoch, re-reads the
collection. The floor only moves forward: a trim reads it (with a conflict,
so two trims at once are serialised) and never sets it back.

Trimming is never part of a user's write: after a write has committed, about
one in ``TRIM_EVERY`` runs a best-effort trim in a transaction of its own,
whose reads of the log are snapshot reads, so it never conflicts with the
writers it runs beside, and whose failure is logged and forgotten, so it can
never fail a write. The same trim clears exactly-once tokens first tried more
than ``ONCE_TTL_VERSIONS`` store versions ago.

The knobs below are read when used, not bound as defaults at import, so a
test or a maintenance script that sets them is obeyed.
"""

from __future__ import annotations

import logging
import random
from typing import NamedTuple

from app.repo.keys import LEGACY_ONCE, QuoteKeys, once_tokens_before
from app.store.base import Store, Transaction
from app.store.errors import StoreError

log = logging.getLogger(__name__)

#: Entries kept when trimming.
KEEP = 10_000
#: About one write in this many starts a trim.
TRIM_EVERY = 1_000
#: Most entries one catch-up transaction reads.
READ_LIMIT = 5_000
#: Exactly-once tokens live this many store versions: ten minutes at
#: FoundationDB's 1,000,000 versions a second (a retry loop gives up after 10 s).
ONCE_TTL_VERSIONS = 600_000_000


class Trimmed(StoreError):
    """The log cannot say what changed since a cursor: read the collection again."""


class Cursor(NamedTuple):
    """Where a reader of one collection is: the incarnation and the log key."""

    #: The tenant's epoch (``app.repo.tenants.epoch``) when the cursor was taken.
    epoch: bytes
    #: The newest log key read (or the floor, or b"" for an empty log).
    position: bytes


class Since(NamedTuple):
    """The log after a cursor position, up to ``READ_LIMIT`` entries."""

    #: Ids changed, in log order, each once.
    ids: list[str]
    #: The newest entry read.
    position: bytes
    #: More entries follow: read again from ``position``.
    more: bool


def cursor(tr: Transaction, keys: QuoteKeys) -> bytes:
    """The newest log key (or the floor): where a fresh reader starts."""
    newest = tr.get_range(keys.log_prefix, keys.log_end, limit=1, reverse=True)
    if newest:
        return newest[0][0]
    return tr.get(keys.floor) or b""


def since(tr: Transaction, keys: QuoteKeys, after: bytes, limit: int | None = None) -> Since | None:
    """The first ``limit`` entries (``READ_LIMIT`` unless given) after
    ``after``; None when the log was trimmed past it."""
    limit = READ_LIMIT if limit is None else limit
    floor = tr.get(keys.floor)
    if floor is not None and after < floor:
        return None
    begin = after + b"\x00" if after else keys.log_prefix
    entries = tr.get_range(begin, keys.log_end, limit=limit + 1)
    more = len(entries) > limit
    entries = entries[:limit]
    if not entries:
        return Since([], after, False)
    ids = list(dict.fromkeys(keys.logged_id(key) for key, _ in entries))
    return Since(ids, entries[-1][0], more)


def _trim(tr: Transaction, keys: QuoteKeys, keep: int) -> int:
    _clear_old_tokens(tr)
    newest = tr.get_range(keys.log_prefix, keys.log_end, limit=keep + 1, reverse=True, snapshot=True)
    if len(newest) <= keep:
        return 0
    cut = newest[-1][0]
    floor = tr.get(keys.floor)  # not a snapshot: a concurrent trim's floor makes this one retry
    if floor is not None and floor >= cut:
        return 0
    tr.clear_range(keys.log_prefix, cut + b"\x00")
    tr.set(keys.floor, cut)
    return 1


def _clear_old_tokens(tr: Transaction) -> None:
    for begin, end in once_tokens_before(tr.get_read_version() - ONCE_TTL_VERSIONS):
        tr.clear_range(begin, end)
    tr.clear_range(LEGACY_ONCE.start, LEGACY_ONCE.stop)  # keyed by wall clock, before versions


def trim(store: Store, keys: QuoteKeys, keep: int | None = None) -> int:
    """Drop all but the newest ``keep`` entries (``KEEP`` unless given); 1 if
    any were dropped. Maintenance: writers trim by themselves (``maybe_trim``)."""
    return store.transact(_trim, keys, KEEP if keep is None else keep)


def maybe_trim(store: Store, keys: QuoteKeys, writes: int = 1) -> None:
    """After ``writes`` committed writes: trim with a chance of one in
    ``TRIM_EVERY`` a write; a failure here stays here."""
    if random.random() >= writes / TRIM_EVERY:
        return
    try:
        trim(store, keys)
    except StoreError as exc:  # best effort: the next trim will do it
        log.debug("change log trim skipped: %s", exc)
