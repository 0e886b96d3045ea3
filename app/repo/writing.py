"""What every write does beside its own change, in the same transaction.

- bump the metadata counters with atomic add, as ecto_foundationdb's
  SchemaMetadata does (insert: inserts, collection, changes; delete: deletes,
  collection, changes; update: updates, changes);
- append ``(commit-order key) -> op`` to the change log, so a live query
  with a cursor reads only what changed since;
- refuse to write under a tenant deleted meanwhile.

Plain bodies taking the transaction first, for the repository's methods and
the bulk writes (``app.repo.bulk``).
"""

from __future__ import annotations

import os
import random
from typing import TYPE_CHECKING, Literal

from app.repo.keys import QuoteKeys
from app.repo.records import encode
from app.repo.schema import Quote, new_version, utc_micros
from app.store.base import Transaction, decode_int, encode_int

if TYPE_CHECKING:
    from app.repo.quotes import QuoteRepo

Op = Literal["insert", "delete", "update"]

#: Bumped by each kind of write (SchemaMetadata's rules).
_BUMPS: dict[Op, tuple[str, ...]] = {
    "insert": ("inserts", "collection", "changes"),
    "delete": ("deletes", "collection", "changes"),
    "update": ("updates", "changes"),
}


def require_tenant(tr: Transaction, repo: QuoteRepo) -> None:
    """``UnknownTenant`` if the tenant is gone: a tenant deleted meanwhile takes
    no more writes (nothing is left under a dead prefix); ``CollectionReplaced``
    if it was created again since this repository's first write."""
    repo.incarnation.check(tr)


def ready_for_inserts(tr: Transaction, repo: QuoteRepo) -> None:
    """Before ``put_new`` (once a transaction): ``UnknownTenant`` if the tenant
    is gone; an empty collection's insertion-time index is marked complete,
    since nothing in it can predate the index (``app.repo.insertion_index``)."""
    require_tenant(tr, repo)
    keys = repo.keys
    if tr.get(keys.insertion_index_complete, snapshot=True) is None and _empty(tr, keys):
        tr.set(keys.insertion_index_complete, b"1")


def put_new(tr: Transaction, keys: QuoteKeys, quote: Quote) -> None:
    """Write a quote known not to exist yet (the caller checked, in ``tr``,
    after ``ready_for_inserts``). A quote without a version (0: imported new,
    seeded) is given a fresh one."""
    if not quote.version:
        quote = quote.replace(version=new_version())
    tr.set(keys.record(quote.id), encode(quote))
    tr.set(keys.likes(quote.id), encode_int(quote.likes))
    tr.set(keys.by_insertion(utc_micros(quote.inserted_at), quote.id), b"")
    # A random start, not 1: after a delete, a re-insert under this id must not
    # bring the version back to a value a record watch saw (A-B-A goes unseen).
    tr.set(keys.version(quote.id), encode_int(random.SystemRandom().getrandbits(62)))
    changed(tr, keys, "insert", quote.id)


def put_many_new(tr: Transaction, keys: QuoteKeys, quotes: list[Quote], records: list[bytes]) -> None:
    """``put_new`` for a batch (an import's) of quotes with their versions and
    their ``records`` (``encode``) made before the transaction, so a retry
    writes the same: the same keys for each quote, the counters bumped once
    for all of them."""
    version_starts = random.Random(os.urandom(8))
    items: list[tuple[bytes, bytes]] = []
    for quote, record in zip(quotes, records, strict=True):
        quote_id = quote.id
        items += (
            (keys.record(quote_id), record),
            (keys.likes(quote_id), encode_int(quote.likes)),
            (keys.by_insertion(utc_micros(quote.inserted_at), quote_id), b""),
            (keys.version(quote_id), encode_int(version_starts.getrandbits(62))),
        )
    tr.set_many(items)
    for quote in quotes:
        tr.set_versionstamped_key(keys.log_entry(quote.id), b"insert")
    for name in _BUMPS["insert"]:
        tr.add(keys.counter(name), len(quotes))


def changed(tr: Transaction, keys: QuoteKeys, op: Op, quote_id: str) -> None:
    for name in _BUMPS[op]:
        tr.add(keys.counter(name), 1)
    tr.set_versionstamped_key(keys.log_entry(quote_id), op.encode())


def _empty(tr: Transaction, keys: QuoteKeys) -> bool:
    inserts = tr.get(keys.counter("inserts"), snapshot=True)
    return decode_int(inserts) == decode_int(tr.get(keys.counter("deletes"), snapshot=True))
