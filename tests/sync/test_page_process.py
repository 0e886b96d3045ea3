"""A stream in id order read by a second process (``app.sync.page_process``).

The child reads pages as stored; this process decodes them. Whatever the child
does, the stream reads what one process would, damaged records are named here,
and a stream given up or a child gone ends cleanly.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from support.live_events import next_event, run
from support.quotes import make_quote

from app.repo import QuoteRepo
from app.sync.events import Changes, Offline, Page, Snapshot
from app.sync.live import LiveCollection
from app.sync.page_process import PageProcess


@pytest.fixture
def filled(repo: QuoteRepo) -> QuoteRepo:
    if not PageProcess.usable(repo):
        pytest.skip("only the embedded store is read by another process")
    for n in range(120):
        repo.restore(make_quote(minute=n, likes=n % 5))
    return repo


def test_a_stream_read_by_another_process_reads_what_one_process_would(filled) -> None:
    repo = filled

    async def scenario() -> None:
        live = LiveCollection(repo, stream="first-page", page=25)
        try:
            assert isinstance(await next_event(live), Snapshot)
            assert live._streaming is not None and live._streaming.process is not None
            event = await next_event(live)
            while isinstance(event, Page):
                event = await next_event(live)
            assert isinstance(event, Changes) and event.completes
            assert dict(live.quotes) == {q.id: q for q in repo.read_all()}
        finally:
            await live.aclose()

    run(scenario())


def test_a_damaged_record_read_by_the_other_process_is_named_here(filled) -> None:
    repo = filled
    damaged = sorted(q.id for q in repo.read_all())[60]
    repo.store.transact(lambda tr: tr.set(repo.keys.record(damaged), b"{not json"))

    async def scenario() -> None:
        live = LiveCollection(repo, stream="first-page", page=25)
        try:
            event = await next_event(live)
            while not (isinstance(event, Changes) and event.completes):
                event = await next_event(live)
            assert damaged not in live.quotes and len(live.quotes) == 119
            assert repo.damaged == {damaged: "not JSON"}
        finally:
            await live.aclose()

    run(scenario())


def page_readers() -> list[int]:
    """The processes this one started to read pages for it, as /proc lists them."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat, command = (entry / "stat").read_text(), (entry / "cmdline").read_bytes()
        except OSError:  # ended meanwhile
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"app.sync.page_process" in command:
            found.append(int(entry.name))
    return found


def test_a_stream_given_up_ends_its_reading_process(filled) -> None:
    async def scenario() -> None:
        live = LiveCollection(filled, stream="first-page", page=25)
        await next_event(live)
        assert page_readers(), "a second process reads the rest"
        await live.aclose()
        assert not page_readers(), "none is left once the stream is given up"

    run(scenario())


def test_a_reading_process_gone_shows_offline_and_the_stream_starts_again(filled) -> None:
    async def scenario() -> None:
        live = LiveCollection(filled, stream="first-page", page=25)
        try:
            await next_event(live)
            assert live._streaming is not None and live._streaming.process is not None
            live._streaming.process._child.kill()
            event = await next_event(live)
            while isinstance(event, Page):
                event = await next_event(live)
            assert isinstance(event, Offline)
            assert "ended before the collection did" in event.reason
            event = await asyncio.wait_for(live.__anext__(), 30.0)
            assert isinstance(event, Snapshot), "read again from the first page"
        finally:
            await live.aclose()

    run(scenario())
