"""The tenant repository for the Quote schema.

Few public names: ``open_repo`` and ``QuoteRepo`` for one tenant's quotes,
the ``tenants`` functions for the store's tenants, ``bulk`` for import and
the samples, ``snapshot`` for reading a whole collection in pages, and the
exceptions.
"""

from __future__ import annotations

from pathlib import Path

from app.repo import tenants
from app.repo.errors import DuplicateId, InvalidTenant, NotFound, UnknownTenant
from app.repo.quotes import QuoteRepo
from app.repo.schema import InvalidQuote, Quote
from app.store import open_store

__all__ = [
    "DuplicateId",
    "InvalidQuote",
    "InvalidTenant",
    "NotFound",
    "Quote",
    "QuoteRepo",
    "UnknownTenant",
    "open_repo",
]


def open_repo(
    db: str | Path | None = None,
    cluster_file: str | None = None,
    tenant: str = tenants.DEFAULT,
    create: bool = False,
) -> QuoteRepo:
    """Open a store and the Quote repository of one of its existing tenants.

    ``create``: a missing embedded store file is created (commands that
    write); otherwise a missing file is ``StoreUnavailable``. An unknown
    tenant is ``UnknownTenant``.
    """
    name = tenants.validate(tenant)
    store = open_store(db, cluster_file, create=create)
    try:
        tenants.require(store, name)
        return QuoteRepo(store, name)
    except BaseException:
        store.close()
        raise
