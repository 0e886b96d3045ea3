"""The change log: ``(commit-order key) -> op`` per write, read from a cursor.

A reader remembers the newest key it has seen (its cursor) and reads only the
entries after it. The log is trimmed to its newest ``KEEP`` entries; a reader
whose cursor is older than the trimmed floor re-reads the collection.

Trimming is never part of a user's write: after a write has committed, about
one in ``TRIM_EVERY`` runs a best-effort trim in a transaction of its own,
whose reads are snapshot reads, so it never conflicts with the writers it runs
beside, and whose failure is logged and forgotten, so it can never fail a
write. The same trim clears exactly-once tokens older than ``ONCE_TTL``.

The knobs below are read when used, not bound as defaults at import, so a
test or a maintenance script that sets them is obeyed.
"""

from __future__ import annotations

import logging
import random
import time

from app.repo.keys import QuoteKeys, once_tokens_before
from app.store.base import Store, Transaction
from app.store.errors import StoreError

log = logging.getLogger(__name__)

#: Entries kept when trimming.
KEEP = 10_000
#: About one write in this many starts a trim.
TRIM_EVERY = 1_000
#: Most entries one catch-up reads; past it the reader re-reads the collection.
READ_LIMIT = 5_000
#: Exactly-once tokens live this long (a retry loop gives up after 10 s).
ONCE_TTL_SECONDS = 600


def cursor(tr: Transaction, keys: QuoteKeys) -> bytes:
    """The newest log key (or the floor): where a fresh reader starts."""
    newest = tr.get_range(keys.log_prefix, keys.log_end, limit=1, reverse=True)
    if newest:
        return newest[0][0]
    return tr.get(keys.floor) or b""


def since(
    tr: Transaction, keys: QuoteKeys, after: bytes, limit: int | None = None
) -> tuple[list[str], bytes] | None:
    """Ids changed after ``after`` and the new cursor; None when the log cannot
    say (trimmed past the cursor, or more than ``limit`` entries, ``READ_LIMIT``
    unless given)."""
    limit = READ_LIMIT if limit is None else limit
    floor = tr.get(keys.floor)
    if floor is not None and after < floor:
        return None
    begin = after + b"\x00" if after else keys.log_prefix
    entries = tr.get_range(begin, keys.log_end, limit=limit + 1)
    if len(entries) > limit:
        return None
    if not entries:
        return [], after
    ids = list(dict.fromkeys(keys.logged_id(key) for key, _ in entries))
    return ids, entries[-1][0]


def _trim(tr: Transaction, keys: QuoteKeys, keep: int) -> int:
    tr.clear_range(*once_tokens_before(int((time.time() - ONCE_TTL_SECONDS) * 1000)))
    newest = tr.get_range(keys.log_prefix, keys.log_end, limit=keep + 1, reverse=True, snapshot=True)
    if len(newest) <= keep:
        return 0
    cut = newest[-1][0]
    tr.clear_range(keys.log_prefix, cut + b"\x00")
    tr.set(keys.floor, cut)
    return 1


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
