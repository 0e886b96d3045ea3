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

from typing import TYPE_CHECKING

from app.repo import changelog, edits, tenants
from app.repo.bulk import BATCH_BYTES
from app.repo.errors import DuplicateImport
from app.repo.schema import Quote
from app.repo.transactional import NEW, transactional
from app.repo.writing import put_new, ready_for_inserts, require_tenant
from app.store.base import Store, Transaction

if TYPE_CHECKING:
    from app.repo.quotes import QuoteRepo


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
def write(repo: QuoteRepo, quotes: list[Quote], *, tr: Transaction = NEW) -> int:
    """Write ``quotes`` (whole, checked) from the first until the transaction
    holds ``bulk.BATCH_BYTES``; how many it wrote. ``DuplicateImport`` if an id
    is taken (nothing of the batch is written)."""
    ready_for_inserts(tr, repo)
    existing = tr.get_many([repo.keys.record(q.id) for q in quotes])
    written = 0
    for quote, found in zip(quotes, existing, strict=True):
        if found is not None:
            raise DuplicateImport(repo.tenant, quote.id)
        put_new(tr, repo.keys, quote)
        written += 1
        if tr.get_approximate_size() >= BATCH_BYTES:
            break
    return written


@transactional(once=True)
def take_back(repo: QuoteRepo, ids: list[str], *, tr: Transaction = NEW) -> None:
    """Delete the quotes of ``ids`` that exist (an import taking back what it wrote)."""
    require_tenant(tr, repo)
    existing = tr.get_many([repo.keys.record(i) for i in ids])
    for quote_id, found in zip(ids, existing, strict=True):
        if found is not None:
            edits.delete(tr, repo, quote_id, None)


def finished(repo: QuoteRepo, written: int) -> None:
    """After an import wrote ``written`` quotes into ``repo``: trim the change log
    as that many single writes would."""
    changelog.maybe_trim(repo.store, repo.keys, writes=written)
