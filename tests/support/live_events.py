"""Driving a live query from a test: its events one at a time, each within ``STEP``."""

from __future__ import annotations

import asyncio

from app.repo import Quote
from app.sync.events import Page

#: The longest any single event may take to arrive (seconds).
STEP = 10.0


def run(coro, timeout: float = 60.0):
    """Run ``coro`` to its end, failing after ``timeout`` seconds."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


async def next_event(live, timeout: float = STEP):
    return await asyncio.wait_for(live.__anext__(), timeout)


async def rest_of_stream(live) -> tuple[list[tuple[Quote, ...]], object]:
    """The quotes of each Page a stream sends after its first, and the event that ends it."""
    pages = []
    event = await next_event(live)
    while isinstance(event, Page):
        pages.append(event.quotes)
        event = await next_event(live)
    return pages, event
