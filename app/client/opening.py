"""Opening the store a window shows."""

from __future__ import annotations

from pathlib import Path

from app.client.session import QuoteSession
from app.repo import open_repo, tenants


def open_session(
    db: str | Path | None = None, cluster_file: str | None = None, tenant: str = tenants.DEFAULT
) -> QuoteSession:
    """A session on a store (an embedded one is created if missing); it closes
    the store when it closes. A brand-new store gets the sample quotes in its
    default collection the first time a window opens it, and never again
    (``QuoteRepo.seed``): not a store something was written or imported into.

    Raises StoreError, InvalidTenant, UnknownTenant or InvalidFaults.
    """
    repo = open_repo(db, cluster_file, tenant, create=True)
    try:
        if repo.tenant == tenants.DEFAULT:
            repo.seed(first_run=True)
    except BaseException:
        repo.close()
        raise
    return QuoteSession(repo, owns_store=True)
