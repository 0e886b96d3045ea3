"""Every exception the repository raises: its own, and the store's that callers handle.

Upper layers (sync, client, ui, cli) catch these from here, never from
``app.store``.
"""

from app.repo.changelog import Trimmed
from app.repo.records import InvalidRecord
from app.repo.schema import InvalidQuote, Quote
from app.store.errors import (
    NotAStore,
    StoreError,
    StoreGone,
    StoreUnavailable,
    StoreUnreachable,
    WatchCancelled,
)

__all__ = [
    "Conflict",
    "DuplicateId",
    "DuplicateImport",
    "InvalidQuote",
    "InvalidRecord",
    "CollectionReplaced",
    "InvalidTenant",
    "NotAStore",
    "NotFound",
    "StoreError",
    "StoreGone",
    "StoreUnavailable",
    "StoreUnreachable",
    "Trimmed",
    "UnknownTenant",
    "WatchCancelled",
]


class NotFound(LookupError):
    """No quote has that id (in this tenant)."""

    def __init__(self, quote_id: str) -> None:
        super().__init__(f"no quote with id {quote_id}")
        self.quote_id = quote_id


class DuplicateId(InvalidQuote):
    """A quote brought back (restore, import) under an id that is already taken."""

    def __init__(self, quote_id: str) -> None:
        super().__init__(f"a quote with id {quote_id} already exists")
        self.quote_id = quote_id


class DuplicateImport(DuplicateId):
    """An id an import would reuse: taken in its collection, or twice in it."""

    def __init__(self, tenant: str, quote_id: str) -> None:
        super().__init__(quote_id)
        self.tenant = tenant


class InvalidTenant(ValueError):
    """A tenant name that cannot be used; the message says why."""


class UnknownTenant(LookupError):
    """No tenant has that name; tenants are created on purpose, never by a typo."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"no tenant named {name!r} (tenants: {', '.join(known)})")
        self.name = name
        self.known = known


class Conflict(Exception):
    """A conditional edit or delete refused: the quote's text changed since the
    version the caller saw (nothing was written). ``current`` is the quote now."""

    def __init__(self, quote_id: str, seen: int, current: Quote) -> None:
        super().__init__(
            f"quote {quote_id} has changed: it is at version {current.version}, "
            f"not {seen} as seen; nothing was written"
        )
        self.quote_id = quote_id
        self.seen = seen
        self.current = current


class CollectionReplaced(UnknownTenant):
    """A write through a repository opened on a collection that was deleted and
    created again since: it never lands in the newer collection (an undo of a
    delete must not bring an old quote into the new one)."""

    def __init__(self, name: str) -> None:
        LookupError.__init__(
            self, f"collection {name!r} was deleted and created again since; nothing was changed"
        )
        self.name = name
        self.known = []
