"""What a live query yields: plain data, no Qt, so the UI and the CLI share it."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.repo.schema import Quote
from app.sync.quotes_by_id import QuotesById


@dataclass(frozen=True)
class Snapshot:
    """The whole collection: the first event, and again after a resync.

    Not complete when the collection is streamed newest first: then it holds
    the first page, ``Page`` events bring the rest, and a ``Changes`` with
    ``completes`` set (what changed meanwhile) makes it whole.
    """

    quotes: tuple[Quote, ...]
    complete: bool = True
    #: A streamed snapshot's expected size (the collection's count as it began), for
    #: showing progress; None when not streamed.
    total: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Page:
    """The next page of a streamed snapshot, none of its quotes given before:
    newest first, older than those before (as a rule: a clock set back
    elsewhere can break it); or, with ``newest_first`` False, in id order (the
    rest of the collection, for a consumer that orders it once it is whole)."""

    quotes: tuple[Quote, ...]
    newest_first: bool = True


@dataclass(frozen=True)
class Changes:
    """Everything that changed at one database version, applied as one batch."""

    inserted: tuple[Quote, ...] = ()
    updated: tuple[Quote, ...] = ()
    deleted: tuple[str, ...] = ()
    #: How many records the store read to produce this batch (for benchmarks).
    records_read: int = field(default=0, compare=False)
    #: The last batch of a streamed snapshot: from here the collection is whole.
    completes: bool = field(default=False, compare=False)
    #: With the first batch after a stream: every quote it brought, by id, as its
    #: pages and snapshot held them (a ``QuotesById.twin``: a consumer that holds
    #: the pages back need not index them a page at a time), or None.
    index: QuotesById | None = field(default=None, compare=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)

    def split(self, size: int) -> list[Changes]:
        """This batch as batches of at most ``size`` changes, in order (deletes,
        updates, inserts), so a consumer can apply a big one a slice at a time;
        only the last ``completes``."""
        deleted, updated, inserted = len(self.deleted), len(self.updated), len(self.inserted)
        total = deleted + updated + inserted
        if total <= size:
            return [self]
        parts = []
        for start in range(0, total, size):
            stop = start + size  # a slice of deletes, then updates, then inserts
            parts.append(
                Changes(
                    inserted=self.inserted[
                        max(start - deleted - updated, 0) : max(stop - deleted - updated, 0)
                    ],
                    updated=self.updated[max(start - deleted, 0) : max(stop - deleted, 0)],
                    deleted=self.deleted[start:stop],
                    records_read=self.records_read if start == 0 else 0,
                    completes=self.completes and stop >= total,
                    index=self.index if start == 0 else None,
                )
            )
        return parts


@dataclass(frozen=True)
class Offline:
    """The store could not be read; the live query keeps retrying."""

    reason: str
    #: The store file was deleted, moved or replaced, or is damaged: retrying cannot help.
    gone: bool = False


@dataclass(frozen=True)
class CollectionDeleted(Offline):
    """The collection (tenant) was deleted. Like a store that is gone, the
    consumer reports it (``quotes watch`` ends with it; a window has switched
    away already); the live collection keeps following, and if the tenant is
    created again it reads the new collection whole."""

    gone: bool = True


@dataclass(frozen=True)
class RecordState:
    """A live record's value: the quote, or None once it is deleted."""

    quote: Quote | None


Event = Snapshot | Page | Changes | Offline
