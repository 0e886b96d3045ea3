"""The list as the user will see it once the outbox is sent: the store's quotes with the
changes still waiting applied over them. Qt-free.

Every Snapshot, Page and Changes of the live collection passes through here
on its way to the window, so a queued like shows in the count, a queued add
in the list, a queued edit in the text and a queued delete as a row gone, in
this window and in the next one started while the store is still away. The
ids with changes waiting are the ones the window marks pending.
"""

from __future__ import annotations

from dataclasses import replace

from app.client.outbox import Entry, Kind
from app.repo import Quote
from app.repo.schema import next_version
from app.sync.events import Changes, Page, Snapshot


class Overlay:
    """The changes waiting for the collection shown, oldest first."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        #: Ids of quotes with a change waiting (shown pending).
        self.ids: set[str] = set()
        self._by_id: dict[str, list[Entry]] = {}
        #: A page of the stream under way came with changes waiting: its index by id
        #: (``Changes.index``) holds the store's copies, not those the list was given.
        self._page_changed = False

    def __bool__(self) -> bool:
        return bool(self.entries)

    def set(self, entries: list[Entry]) -> None:
        self.entries = list(entries)
        self._by_id = {}
        for entry in entries:
            self._by_id.setdefault(entry.quote_id, []).append(entry)
        self.ids.clear()  # in place: the window's list holds this set
        self.ids.update(self._by_id)

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        self._by_id.setdefault(entry.quote_id, []).append(entry)
        self.ids.add(entry.quote_id)

    def remove(self, entries: list[Entry]) -> None:
        """These changes no longer wait (sent, dropped or discarded)."""
        done = {entry.seq for entry in entries}
        self.set([entry for entry in self.entries if entry.seq not in done])

    def quote(self, quote_id: str, base: Quote | None) -> Quote | None:
        """``base`` (the store's copy, None: none) with the changes waiting for it applied."""
        for entry in self._by_id.get(quote_id, ()):
            if entry.kind is Kind.ADD:
                base = base or entry.quote
            elif entry.kind is Kind.DELETE:
                base = None
            elif base is not None and entry.kind is Kind.LIKE:
                base = base.replace(likes=base.likes + 1)
            elif base is not None and entry.change is not None:
                base = entry.change.applied_to(base).replace(version=next_version(base.version))
        return base

    def event(self, event: Snapshot | Page | Changes) -> Snapshot | Page | Changes:
        """``event`` as the window is to see it."""
        if isinstance(event, Snapshot) and not event.complete:
            self._page_changed = False
        elif isinstance(event, Page) and self.entries:
            self._page_changed = True
        elif isinstance(event, Changes) and event.index is not None and self._page_changed:
            event = replace(event, index=None)
        if not self.entries:
            return event
        if isinstance(event, Page):
            return Page(self._quotes(event.quotes))
        if isinstance(event, Snapshot):
            quotes = self._quotes(event.quotes)
            held = {quote.id for quote in event.quotes}
            added = tuple(
                quote
                for entry in self.entries
                if entry.kind is Kind.ADD
                and entry.quote_id not in held
                and (quote := self.quote(entry.quote_id, None)) is not None
            )
            return Snapshot(quotes + added, complete=event.complete, total=event.total)
        kept: list[Quote] = []
        deleted = list(event.deleted)
        for quote in (*event.inserted, *event.updated):
            shown = self.quote(quote.id, quote)
            if shown is None:
                deleted.append(quote.id)
            else:
                kept.append(shown)
        new = {quote.id for quote in event.inserted}
        inserted = tuple(quote for quote in kept if quote.id in new)
        updated = tuple(quote for quote in kept if quote.id not in new)
        return Changes(inserted, updated, tuple(deleted), event.records_read, completes=event.completes)

    def _quotes(self, quotes: tuple[Quote, ...]) -> tuple[Quote, ...]:
        if not self.ids:
            return quotes
        shown = (self.quote(quote.id, quote) for quote in quotes)
        return tuple(quote for quote in shown if quote is not None)
