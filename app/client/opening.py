"""Opening the store a window shows (or, while it is out of reach, the collection's cache)."""

from __future__ import annotations

import logging
from pathlib import Path

from app.client.offline import OfflineSupport, OpenedOn, cache_head
from app.client.session import QuoteSession
from app.repo import QuoteRepo, StoreUnreachable, tenants
from app.store import open_store
from app.sync.live import FIRST_PAGE

log = logging.getLogger(__name__)


def open_session(
    db: str | Path | None = None, cluster_file: str | None = None, tenant: str = tenants.DEFAULT
) -> QuoteSession:
    """A session on a store (an embedded one is created if missing); it closes
    the store when it closes. A brand-new store gets the sample quotes in its
    default collection the first time a window opens it, and never again
    (``QuoteRepo.seed``): not a store something was written or imported into.
    A store that does not answer opens on the collection's offline cache, if
    this computer has one (the session connects by itself once the store answers).

    Raises StoreError, InvalidTenant, UnknownTenant or InvalidFaults.
    """
    name = tenants.validate(tenant)
    store = open_store(db, cluster_file, create=True, probe=False)
    try:
        repo = QuoteRepo(store, name)
        try:
            store.ping()
            tenants.require(store, name)
            if repo.tenant == tenants.DEFAULT:
                repo.seed(first_run=True)
        except StoreUnreachable as exc:
            head = cache_head(store, name, FIRST_PAGE)
            if head is None:
                raise
            log.info("store unreachable, opening the cached collection %r: %s", name, exc)
            opened_on = OpenedOn(head, str(exc))
            return QuoteSession(repo, owns_store=True, offline=OfflineSupport(store, opened_on))
    except BaseException:
        store.close()
        raise
    return QuoteSession(repo, owns_store=True, offline=OfflineSupport(store))
