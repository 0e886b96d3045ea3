"""The client: what a window does, without Qt.

``QuoteSession`` (the store, the commands, the live feed), ``QuoteList`` (the
rows a window shows and their rules) and ``open_session``. The names the user
interface needs from the layers below are re-exported here, so ``app.ui``
imports ``app.client`` and never ``app.repo``, ``app.sync`` or ``app.store``.
"""

from __future__ import annotations

from app.client.conflicts import Action, Change, Choice, WriteConflict
from app.client.opening import open_session
from app.client.order import Sort
from app.client.plural import counted
from app.client.quote_list import Changed, QuoteList, RowEvents
from app.client.session import QuoteSession
from app.client.undo_history import excerpt
from app.repo.errors import (
    DuplicateId,
    InvalidTenant,
    NotFound,
    StoreError,
    StoreUnavailable,
    UnknownTenant,
)
from app.repo.schema import (
    MAX_AUTHOR,
    MAX_CONTENT,
    InvalidQuote,
    Quote,
    QuoteFields,
    validate_fields,
)
from app.repo.tenants import DEFAULT as DEFAULT_COLLECTION
from app.repo.tenants import same_name as same_collection_name
from app.repo.tenants import validate_new as validate_collection_name
from app.store.faults import InvalidFaults
from app.sync.events import Changes, Page, Snapshot
from app.sync.search import Search

__all__ = [
    "Action",
    "Change",
    "Choice",
    "WriteConflict",
    "counted",
    "excerpt",
    "DEFAULT_COLLECTION",
    "MAX_AUTHOR",
    "MAX_CONTENT",
    "Changed",
    "Changes",
    "DuplicateId",
    "InvalidFaults",
    "InvalidQuote",
    "InvalidTenant",
    "NotFound",
    "Page",
    "Quote",
    "QuoteFields",
    "QuoteList",
    "QuoteSession",
    "RowEvents",
    "Search",
    "Snapshot",
    "Sort",
    "StoreError",
    "StoreUnavailable",
    "UnknownTenant",
    "open_session",
    "same_collection_name",
    "validate_collection_name",
    "validate_fields",
]
