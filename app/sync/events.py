"""What a live query yields: plain data, no Qt, so the UI and the CLI share it."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.repo.schema import Quote


@dataclass(frozen=True)
class Snapshot:
    """The whole collection: the first event, and again after a resync.

    Not complete when the collection is streamed newest first: then it holds
    the first page, ``Page`` events bring the rest, and a ``Changes`` with
    ``completes`` set (what changed meanwhile) makes it whole.
    """

    quotes: tuple[Quote, ...]
    complete: bool = True


@dataclass(frozen=True)
class Page:
    """The next page of a streamed snapshot: quotes older than those before (as a
    rule: a clock set back elsewhere can break it), none of them given before."""

    quotes: tuple[Quote, ...]


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

    def __bool__(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)


@dataclass(frozen=True)
class Offline:
    """The store could not be read; the live query keeps retrying."""

    reason: str
    #: The store file was deleted, moved or replaced, or is damaged: retrying cannot help.
    gone: bool = False


@dataclass(frozen=True)
class RecordState:
    """A live record's value: the quote, or None once it is deleted."""

    quote: Quote | None


Event = Snapshot | Page | Changes | Offline
