"""The seed's sync strategy, kept as the baseline the sync-cost benchmark beats.

On every change, read the whole collection again (in pages, watched at the
end, as ``QuoteRepo.read_whole`` does for the app's first read) and diff it
against what is held. Built on the repository's public calls only; the app
itself follows the change log (``app.sync.live.LiveCollection``).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from app.repo import Quote, QuoteRepo, Watch, Whole
from app.sync.events import Changes, Snapshot
from app.sync.live import wait_for_watch


class RereadCollection:
    """An async iterator of ``Snapshot`` then ``Changes``: the whole collection
    re-read at every firing of the watch. ``records_read`` says how many
    records the last event cost."""

    def __init__(self, repo: QuoteRepo) -> None:
        self.repo = repo
        self.quotes: dict[str, Quote] | None = None
        self.records_read = 0
        self._watch: Watch | None = None
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="reread")

    def __aiter__(self) -> RereadCollection:
        return self

    async def __anext__(self) -> Snapshot | Changes:
        while True:
            if self._watch is not None:
                await wait_for_watch(self._watch, None)
            whole = await asyncio.get_running_loop().run_in_executor(self._executor, self._read)
            self._watch, self.records_read = whole.watch, len(whole.quotes)
            held, found = self.quotes, whole.quotes
            self.quotes = found
            if held is None:
                return Snapshot(tuple(found.values()))
            changes = Changes(
                inserted=tuple(q for i, q in found.items() if i not in held),
                updated=tuple(q for i, q in found.items() if i in held and held[i] != q),
                deleted=tuple(i for i in held if i not in found),
            )
            if changes:
                return changes

    def _read(self) -> Whole:
        for step in self.repo.read_whole(watch=True):
            if isinstance(step, Whole):
                return step
        raise AssertionError("read_whole ends with the whole collection")

    async def aclose(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
