"""``quotes watch``: print the collection (or one quote), then each change, until stopped."""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import Coroutine
from typing import Any

from app.cli.output import Output
from app.cli.signals import Interrupted
from app.repo import NotFound, QuoteRepo
from app.sync.events import Changes, Offline, RecordState, Snapshot
from app.sync.filtered import SearchFilter
from app.sync.live import LiveCollection, LiveRecord
from app.sync.search import Search


def watch(repo: QuoteRepo, args: argparse.Namespace, _: object, out: Output) -> int:
    try:
        if args.id is not None and repo.get(args.id) is None:
            raise NotFound(args.id)
        return asyncio.run(_until_stopped(_follow(repo, args, out)))
    except Interrupted:
        return 0  # the normal way to end a watch


async def _until_stopped(following: Coroutine[None, None, int]) -> int:
    """Run ``following`` until it ends, or until SIGINT or SIGTERM: the normal end, 0.

    The loop handles the signals itself: an exception raised from a Python signal
    handler can land inside one of the loop's own callbacks, which logs and drops it.
    """
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(following)
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, task.cancel)
    try:
        return await task
    except asyncio.CancelledError:
        return 0
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


async def _follow(repo: QuoteRepo, args: argparse.Namespace, out: Output) -> int:
    live: LiveRecord | LiveCollection = LiveRecord(repo, args.id) if args.id else LiveCollection(repo)
    matching = SearchFilter(Search(args.search)) if args.search is not None else None
    last: RecordState | None = None
    reported = 0
    try:
        async for event in live:
            if len(repo.damaged) > reported:  # the others are shown: say which are not
                fresh = list(repo.damaged.items())[reported:]
                reported = len(repo.damaged)
                out.error("left out damaged record(s) the store holds: " + _named(fresh))
            if isinstance(event, Offline) and event.gone:
                out.error(event.reason)
                return 1
            if isinstance(event, RecordState):
                out.event(_record_event(last, event, args.id), args.json)
                last = event
                continue
            shown = event if matching is None else matching.apply(event)
            if isinstance(shown, Offline):
                out.error(f"store offline, retrying: {shown.reason}")
            elif isinstance(shown, (Snapshot, Changes)):  # never a Page: watch reads whole
                out.event(shown, args.json)
    finally:
        await live.aclose()
    return 0


def _named(damaged: list[tuple[str, str]]) -> str:
    return ", ".join(f"{quote_id} ({why})" for quote_id, why in damaged)


def _record_event(last: RecordState | None, state: RecordState, quote_id: str) -> dict[str, Any]:
    if last is None:
        return {"event": "snapshot", "quote": state.quote}
    if state.quote is None:
        return {"event": "delete", "id": quote_id, "quote": None}
    kind = "insert" if last.quote is None else "update"
    return {"event": kind, "id": quote_id, "quote": state.quote}
