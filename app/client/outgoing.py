"""A window's changes that wait in the outbox: queued when the store is out of reach,
shown at once as pending, and sent in order when it answers. Qt-free.

The session asks here before it writes (while changes wait, a new one joins
the queue behind them, so their order holds) and when a write finds the
store unreachable. What the window shows passes through the ``Overlay``; a
change queued, sent, dropped or discarded re-shows its quote at once
(``show``). A send that ends in a conflict hands the conflict to the window
(``on_conflict``: the conflict view); one that is dropped says why
(``on_note``). ``on_count`` hears the changes still waiting, for the status
bar and the outbox list.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from app.client.conflicts import Change, WriteConflict
from app.client.outbox import Conflicted, Entry, Kind, Outbox, Outcome, Sent
from app.client.overlay import Overlay
from app.repo import Quote, QuoteRepo, StoreError
from app.repo.queued_likes import BATCH
from app.sync.events import Changes

log = logging.getLogger(__name__)

#: Runs a blocking call off the event loop (``QuoteSession._run``).
Runner = Callable[..., Awaitable[Any]]


class Queued(Exception):
    """The change could not reach the store: it waits in the outbox and is sent when
    the store answers (the list shows it already, marked pending)."""

    def __init__(self, entry: Entry) -> None:
        super().__init__("saved on this computer; it will be sent when the store answers")
        self.entry = entry


class Outgoing:
    """The outbox of the collection a window shows (see the module's docstring)."""

    def __init__(
        self,
        outbox: Outbox,
        run: Runner,
        spawn: Callable[[Coroutine[Any, Any, Any]], object],
        show: Callable[[Changes], None],
        known: Callable[[str], Quote | None],
    ) -> None:
        """``show`` hands a re-shown quote to the window (not through the overlay);
        ``known`` is the store's copy of a quote as last read (None: none)."""
        self.outbox = outbox
        self.overlay = Overlay()
        self._run = run
        self._spawn = spawn
        self._show = show
        self._known = known
        self._sending = False
        self.on_count: Callable[[list[Entry]], None] = lambda entries: None
        self.on_note: Callable[[str], None] = lambda note: None
        self.on_conflict: Callable[[WriteConflict], None] = lambda conflict: None

    @property
    def waiting(self) -> list[Entry]:
        """The changes waiting, oldest first."""
        return self.overlay.entries

    def load(self, tenant: str) -> None:
        """Take up the changes waiting for ``tenant``, before its collection is shown (at
        start, on a switch): a small local read, so on the loop."""
        self.overlay.set(self.outbox.entries(tenant))
        self.on_count(self.waiting)

    async def queue(
        self,
        repo: QuoteRepo,
        kind: Kind,
        quote_id: str,
        quote: Quote | None = None,
        change: Change | None = None,
    ) -> Queued:
        """Write a change to the outbox and show it at once; the ``Queued`` to raise."""
        entry = await self._run(self.outbox.queue, repo.tenant, kind, quote_id, quote, change)
        self.overlay.add(entry)
        self._reshow({quote_id: self._known(quote_id)})
        self.on_count(self.waiting)
        log.info("queued while the store is out of reach: %s", entry.describe())
        return Queued(entry)

    async def discard(self, entries: list[Entry]) -> None:
        """Drop changes unsent; their quotes show as the store has them."""
        await self._run(self.outbox.discard, entries)
        self.overlay.remove(entries)
        self._reshow({entry.quote_id: self._known(entry.quote_id) for entry in entries})
        self.on_count(self.waiting)

    def send(self, repo: QuoteRepo) -> None:
        """Send what waits, in order, unless a send is under way already."""
        if self.overlay and not self._sending:
            self._sending = True
            self._spawn(self._send(repo))

    async def _send(self, repo: QuoteRepo) -> None:
        """Until nothing waits, or the store is out of reach again (the rest waits for the
        next time), or the window switched collection (the new one's send takes over)."""
        try:
            while self.waiting and self.waiting[0].tenant == repo.tenant:
                try:
                    outcomes: list[Outcome] = await self._run(
                        self.outbox.send_next, repo, self.waiting[:BATCH]
                    )
                except StoreError as exc:
                    log.info("outbox not sent yet: %s", exc)
                    break
                self._sent(outcomes)
        finally:
            self._sending = False

    def _sent(self, outcomes: list[Outcome]) -> None:
        """Show what became of the changes just sent (one batch of the list's changes)."""
        self.overlay.remove([outcome.entry for outcome in outcomes])
        bases: dict[str, Quote | None] = {}
        for outcome in outcomes:
            quote_id = outcome.entry.quote_id
            if isinstance(outcome, Sent):
                bases[quote_id] = outcome.quote
            elif isinstance(outcome, Conflicted):
                bases[quote_id] = outcome.conflict.theirs
                self.on_conflict(outcome.conflict)
            else:
                bases[quote_id] = self._known(quote_id)
                self.on_note(outcome.note)
        self._reshow(bases)
        self.on_count(self.waiting)

    def _reshow(self, bases: dict[str, Quote | None]) -> None:
        """Show these quotes as the store has them (``bases``) with what still waits applied."""
        if not bases:
            return
        shown = {quote_id: self.overlay.quote(quote_id, base) for quote_id, base in bases.items()}
        updated = tuple(quote for quote in shown.values() if quote is not None)
        self._show(Changes(updated=updated, deleted=tuple(i for i, q in shown.items() if q is None)))
