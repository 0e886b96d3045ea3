"""A live collection seen through a search: quotes entering and leaving it.

``SearchFilter.apply`` turns a live collection's events into the events of the
matching quotes only: a quote that starts matching (added, or edited into the
search) is an insert, a matching quote that changes is an update, and one that
stops matching (deleted, or edited out) is a delete. Plain data, no Qt: the
command line's ``watch --search`` uses it, and the window can.
"""

from __future__ import annotations

from app.repo import Quote
from app.sync.events import Changes, Event, Page, Snapshot
from app.sync.search import Search


class SearchFilter:
    def __init__(self, search: Search) -> None:
        self.search = search
        #: Ids of the matching quotes, as the events given so far left them.
        self.shown: set[str] = set()

    def apply(self, event: Event) -> Event | None:
        """The event as seen through the search; None if it changes nothing there.

        An empty ``Changes`` (a live collection's "back online", or the end of a
        streamed snapshot) passes as it is.
        """
        if isinstance(event, Snapshot):
            matching = tuple(q for q in event.quotes if self.search.matches(q))
            self.shown = {q.id for q in matching}
            return Snapshot(matching, event.complete)
        if isinstance(event, Page):
            matching = tuple(q for q in event.quotes if self.search.matches(q))
            self.shown.update(q.id for q in matching)
            return Page(matching) if matching else None
        if not isinstance(event, Changes) or not (event or event.completes):
            return event
        inserted: list[Quote] = []
        updated: list[Quote] = []
        deleted: list[str] = []
        for quote in event.inserted + event.updated:
            if self.search.matches(quote):
                (updated if quote.id in self.shown else inserted).append(quote)
                self.shown.add(quote.id)
            elif quote.id in self.shown:
                deleted.append(quote.id)
                self.shown.discard(quote.id)
        for quote_id in event.deleted:
            if quote_id in self.shown:
                deleted.append(quote_id)
                self.shown.discard(quote_id)
        filtered = Changes(
            tuple(inserted), tuple(updated), tuple(deleted), event.records_read, event.completes
        )
        return filtered if filtered or filtered.completes else None
