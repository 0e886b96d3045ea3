"""The tenant repository for the Quote schema."""

from __future__ import annotations

from pathlib import Path

from app.repo.errors import InvalidTenant, NotFound
from app.repo.quotes import QuoteRepo
from app.repo.schema import InvalidQuote, Quote
from app.repo.tenants import DEFAULT
from app.store import open_store

__all__ = ["InvalidQuote", "InvalidTenant", "NotFound", "Quote", "QuoteRepo", "open_repo"]


def open_repo(
    db: str | Path | None = None, cluster_file: str | None = None, tenant: str = DEFAULT
) -> QuoteRepo:
    """Open a store and the Quote repository of one of its tenants."""
    store = open_store(db, cluster_file)
    try:
        return QuoteRepo(store, tenant)
    except InvalidTenant:
        store.close()
        raise
