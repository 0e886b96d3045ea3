"""The repository: the only door to the store.

Few public names:

- ``open_repo`` and ``QuoteRepo``: one tenant's quotes; every per-collection
  operation is a method (get, page, read_all, insert, update, like, delete,
  delete_random, import_many, seed, catch_up, watch, follow, ...);
- ``tenants``: the store's tenants, each function taking the store first
  (``tenants.names(store)``, ``tenants.create(store, name)``, ...);
- ``Quote`` (with ``version``, its text's version) and ``QuoteFields``
  (``app.repo.schema``), and every exception a caller handles, the store's
  included (``app.repo.errors``; ``Conflict`` for an edit or delete made
  against an older version).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.repo import tenants
from app.repo.changelog import Cursor
from app.repo.errors import (
    CollectionReplaced,
    Conflict,
    DuplicateId,
    DuplicateImport,
    InvalidQuote,
    InvalidRecord,
    InvalidTenant,
    NotAStore,
    NotFound,
    StoreError,
    StoreGone,
    StoreUnavailable,
    Trimmed,
    UnknownTenant,
    WatchCancelled,
)
from app.repo.paged_read import CatchUp, Whole
from app.repo.quotes import QuoteRepo, ReadStart
from app.repo.schema import Quote
from app.store import Store, Watch, open_store

if TYPE_CHECKING:
    from app.repo.validation import QuoteFields

__all__ = [
    "CatchUp",
    "Conflict",
    "CollectionReplaced",
    "Cursor",
    "DuplicateId",
    "DuplicateImport",
    "InvalidQuote",
    "InvalidRecord",
    "InvalidTenant",
    "NotAStore",
    "NotFound",
    "Quote",
    "QuoteFields",
    "QuoteRepo",
    "ReadStart",
    "Store",
    "StoreError",
    "StoreGone",
    "StoreUnavailable",
    "Trimmed",
    "UnknownTenant",
    "Watch",
    "WatchCancelled",
    "Whole",
    "open_repo",
    "tenants",
]


def __getattr__(name: str) -> Any:
    """``QuoteFields`` (pydantic) is loaded when first used: reading commands never need it."""
    if name == "QuoteFields":
        from app.repo.validation import QuoteFields

        return QuoteFields
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
