"""Pages read ahead of the loop: in order, at most ``ahead`` not taken, errors on their page."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from support.waiting import WAIT_S

from app.store.errors import StoreError
from app.sync.pages_ahead import PagesAhead


class Pages:
    """Ten pages, positions 0 to 9; a read of ``fail_at`` fails. ``wanted`` is
    released whenever a page is read."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.read: list[int] = []
        self.fail_at = fail_at
        self.wanted = threading.Semaphore(0)

    def __call__(self, position: int) -> tuple[str, int | None]:
        self.read.append(position)
        self.wanted.release()
        if position == self.fail_at:
            raise StoreError("the store went away")
        return f"page {position}", (position + 1 if position < 9 else None)

    def wait_for_reads(self, count: int) -> None:
        for _ in range(count):
            assert self.wanted.acquire(timeout=WAIT_S)


def test_pages_come_in_order_and_the_last_says_so() -> None:
    pages = Pages()

    async def take_all() -> list[str]:
        taken, position = [], 0
        ahead = PagesAhead(executor, pages, 0, ahead=3)
        while position is not None:
            page, position = await ahead.next()
            taken.append(page)
        return taken

    with ThreadPoolExecutor(1) as executor:
        assert asyncio.run(take_all()) == [f"page {n}" for n in range(10)]
    assert pages.read == list(range(10))


def test_no_more_than_ahead_pages_are_read_before_they_are_taken() -> None:
    pages = Pages()
    with ThreadPoolExecutor(1) as executor:
        ahead = PagesAhead(executor, pages, 0, ahead=3)
        pages.wait_for_reads(3)
        executor.submit(lambda: None).result(timeout=WAIT_S)  # a sentinel: the reads queued before it ran
        assert pages.read == [0, 1, 2]
        assert asyncio.run(ahead.next()) == ("page 0", 1)
        pages.wait_for_reads(1)
        executor.submit(lambda: None).result(timeout=WAIT_S)
        assert pages.read == [0, 1, 2, 3]


def test_a_failed_read_fails_its_page_and_reads_nothing_after_it() -> None:
    pages = Pages(fail_at=1)

    async def take_two() -> None:
        ahead = PagesAhead(executor, pages, 0)
        assert await ahead.next() == ("page 0", 1)
        with pytest.raises(StoreError, match="went away"):
            await ahead.next()

    with ThreadPoolExecutor(1) as executor:
        asyncio.run(take_two())
        executor.submit(lambda: None).result(timeout=WAIT_S)
    assert pages.read == [0, 1]


def test_closed_it_reads_no_further_page() -> None:
    pages = Pages()
    with ThreadPoolExecutor(1) as executor:
        gate = threading.Event()
        executor.submit(gate.wait, WAIT_S)  # the executor is busy: no read has started
        ahead = PagesAhead(executor, pages, 0)
        ahead.close()
        gate.set()
        executor.submit(lambda: None).result(timeout=WAIT_S)
    assert pages.read == [0], "the read asked for before the close still runs, no other"
