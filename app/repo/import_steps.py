"""The steps of a streamed import, each one bounded transaction.

An import of a file larger than memory (``app.client.transfer``) cannot hand
every quote to ``QuoteRepo.import_groups`` at once, so it drives these steps
itself: ``taken`` checks ids in batches before anything is written,
``create_collections`` makes the collections the file names (one
transaction, saying which were new), ``write`` commits one batch, and
``take_back`` deletes what an import wrote when it is cancelled or fails,
so that an import is all or nothing. Every write here is exactly-once.
"""

from __future__ import annotations

import os
import random
from typing import TYPE_CHECKING

from app.repo import changelog, edits, tenants
from app.repo.bulk import BATCH_BYTES
from app.repo.errors import DuplicateImport
from app.repo.records import decode, encode
from app.repo.schema import Quote
from app.repo.transactional import NEW, transactional
from app.repo.writing import put_many_new, ready_for_inserts, require_tenant
from app.store.base import Store, Transaction

if TYPE_CHECKING:
    from app.repo.quotes import QuoteRepo


def _approximate_bytes(repo: QuoteRepo, quote: Quote, record: bytes) -> int:
    """What writing ``quote`` adds to the transaction's size, by FoundationDB's
    count, a little over: five keys (prefix, id and a dozen bytes each, 40
    bytes a mutation), their small values, the record, and the read of its key."""
    key = len(repo.keys.prefix) + len(quote.id.encode()) + 12
    return 5 * (40 + key + 8) + len(record) + 32 + 2 * key


def ready(quotes: list[Quote]) -> tuple[list[Quote], list[bytes]]:
    """Quotes to ``write`` (those without a version given one) and their records,
    made once, before the transaction: a retry writes the same."""
    versions = random.Random(os.urandom(8))  # new versions as ``new_version`` draws them
    versioned = [
        quote if quote.version else quote.replace(version=1 + versions.getrandbits(52)) for quote in quotes
    ]
    return versioned, [encode(quote) for quote in versioned]


@transactional
def taken(repo: QuoteRepo, ids: list[str], *, tr: Transaction = NEW) -> list[str]:
    """Those of ``ids`` (at most ``bulk.BATCH_RECORDS``) that a quote of the
    collection has; ``UnknownTenant`` if there is no such collection."""
    tenants.require(repo.store, repo.tenant, tr=tr)
    found = tr.get_many([repo.keys.record(i) for i in ids])
    return [i for i, raw in zip(ids, found, strict=True) if raw is not None]


@transactional(once=True)
def create_collections(store: Store, names: list[str], *, tr: Transaction = NEW) -> list[str]:
    """Create the collections of ``names`` that do not exist; those it created."""
    return [name for name in names if tenants.create(store, name, tr=tr)]


@transactional(once=True)
def write(repo: QuoteRepo, quotes: list[Quote], records: list[bytes], *, tr: Transaction = NEW) -> int:
    """Write the first of ``quotes`` (whole, checked, made ``ready``) that fit in
    ``bulk.BATCH_BYTES`` (at least one); how many it wrote. ``DuplicateImport``
    if an id is taken (nothing of the batch is written)."""
    ready_for_inserts(tr, repo)
    count, size = 0, tr.get_approximate_size()
    for quote, record in zip(quotes, records, strict=True):
        size += _approximate_bytes(repo, quote, record)
        if count and size >= BATCH_BYTES:
            break
        count += 1
    existing = tr.get_many([repo.keys.record(q.id) for q in quotes[:count]])
    for quote, found in zip(quotes, existing, strict=False):
        if found is not None:
            raise DuplicateImport(repo.tenant, quote.id)
    put_many_new(tr, repo.keys, quotes[:count], records[:count])
    return count


@transactional(once=True)
def take_back(repo: QuoteRepo, ids: list[str], *, tr: Transaction = NEW) -> None:
    """Delete the quotes of ``ids`` that exist (an import taking back what it wrote).
    Their records are read at once (all reads issued together), not one quote
    after another: a thousand sequential reads on a cluster took seconds, near
    the 5 s a transaction may take."""
    require_tenant(tr, repo)
    existing = tr.get_many([repo.keys.record(i) for i in ids])
    for quote_id, raw in zip(ids, existing, strict=True):
        if raw is not None:
            edits.remove(tr, repo, decode(quote_id, raw, 0))


def finished(repo: QuoteRepo, written: int) -> None:
    """After an import wrote ``written`` quotes into ``repo``: trim the change log
    as that many single writes would."""
    changelog.maybe_trim(repo.store, repo.keys, writes=written)
