"""The client: what a window does, without Qt.

``QuoteSession`` (the store, the commands, the live feed), ``QuoteList`` (the
rows a window shows and their rules) and ``open_session``. The names the user
interface needs from the layers below are re-exported here, so ``app.ui``
imports ``app.client`` and never ``app.repo``, ``app.sync`` or ``app.store``.

The names are loaded on first use (PEP 562): a command-line tool that needs
one piece (``app.client.transfer``) does not load the whole client, its live
feed and event loop included.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.client.conflicts import Action, Change, Choice, WriteConflict
    from app.client.file_jobs import JobCancelled, JobFailed, Step
    from app.client.opening import open_session
    from app.client.order import Sort
    from app.client.outbox import Entry as OutboxEntry
    from app.client.outgoing import Queued
    from app.client.plural import counted
    from app.client.quote_list import Changed, QuoteList, RowEvents
    from app.client.search_index import FoldedRows
    from app.client.search_run import SearchRun
    from app.client.session import QuoteSession
    from app.client.undo_history import excerpt
    from app.repo.errors import (
        DuplicateId,
        InvalidTenant,
        NotFound,
        StoreError,
        StoreUnavailable,
        StoreUnreachable,
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
    from app.sync.search import Search, fold_query

_WHERE: dict[str, tuple[str, str]] = {
    "Action": ("app.client.conflicts", "Action"),
    "Change": ("app.client.conflicts", "Change"),
    "Choice": ("app.client.conflicts", "Choice"),
    "WriteConflict": ("app.client.conflicts", "WriteConflict"),
    "JobCancelled": ("app.client.file_jobs", "JobCancelled"),
    "JobFailed": ("app.client.file_jobs", "JobFailed"),
    "Step": ("app.client.file_jobs", "Step"),
    "open_session": ("app.client.opening", "open_session"),
    "Sort": ("app.client.order", "Sort"),
    "OutboxEntry": ("app.client.outbox", "Entry"),
    "Queued": ("app.client.outgoing", "Queued"),
    "counted": ("app.client.plural", "counted"),
    "Changed": ("app.client.quote_list", "Changed"),
    "QuoteList": ("app.client.quote_list", "QuoteList"),
    "RowEvents": ("app.client.quote_list", "RowEvents"),
    "FoldedRows": ("app.client.search_index", "FoldedRows"),
    "SearchRun": ("app.client.search_run", "SearchRun"),
    "QuoteSession": ("app.client.session", "QuoteSession"),
    "excerpt": ("app.client.undo_history", "excerpt"),
    "DuplicateId": ("app.repo.errors", "DuplicateId"),
    "InvalidTenant": ("app.repo.errors", "InvalidTenant"),
    "NotFound": ("app.repo.errors", "NotFound"),
    "StoreError": ("app.repo.errors", "StoreError"),
    "StoreUnavailable": ("app.repo.errors", "StoreUnavailable"),
    "StoreUnreachable": ("app.repo.errors", "StoreUnreachable"),
    "UnknownTenant": ("app.repo.errors", "UnknownTenant"),
    "MAX_AUTHOR": ("app.repo.schema", "MAX_AUTHOR"),
    "MAX_CONTENT": ("app.repo.schema", "MAX_CONTENT"),
    "InvalidQuote": ("app.repo.schema", "InvalidQuote"),
    "Quote": ("app.repo.schema", "Quote"),
    "QuoteFields": ("app.repo.schema", "QuoteFields"),
    "validate_fields": ("app.repo.schema", "validate_fields"),
    "DEFAULT_COLLECTION": ("app.repo.tenants", "DEFAULT"),
    "same_collection_name": ("app.repo.tenants", "same_name"),
    "validate_collection_name": ("app.repo.tenants", "validate_new"),
    "InvalidFaults": ("app.store.faults", "InvalidFaults"),
    "Changes": ("app.sync.events", "Changes"),
    "Page": ("app.sync.events", "Page"),
    "Snapshot": ("app.sync.events", "Snapshot"),
    "Search": ("app.sync.search", "Search"),
    "fold_query": ("app.sync.search", "fold_query"),
}

__all__ = [
    "Action",
    "Change",
    "Changed",
    "Changes",
    "Choice",
    "DEFAULT_COLLECTION",
    "DuplicateId",
    "FoldedRows",
    "InvalidFaults",
    "InvalidQuote",
    "InvalidTenant",
    "JobCancelled",
    "JobFailed",
    "MAX_AUTHOR",
    "MAX_CONTENT",
    "NotFound",
    "OutboxEntry",
    "Page",
    "Queued",
    "Quote",
    "QuoteFields",
    "QuoteList",
    "QuoteSession",
    "RowEvents",
    "Search",
    "SearchRun",
    "Snapshot",
    "Sort",
    "Step",
    "StoreError",
    "StoreUnavailable",
    "StoreUnreachable",
    "UnknownTenant",
    "WriteConflict",
    "counted",
    "excerpt",
    "fold_query",
    "open_session",
    "same_collection_name",
    "validate_collection_name",
    "validate_fields",
]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value
