"""A whole collection is read to the end while other processes like without pause.

A read pages through the collection in short transactions while the change
log grows behind its cursor; it must finish (catch-up in chunks), exact as of
its last transaction, for ``quotes list --json`` and for a window's first load
alike. The writers run until told to stop, so the reads overlap their writes
however fast or slow this machine is; nothing here measures time
(``benchmarks/read_under_load.py`` does, against a quiet read in the same run).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest
from support.cli import Cli, cli_env
from support.processes import LineReader, Processes
from support.waiting import WAIT_S

from app.repo import QuoteFields, QuoteRepo, open_repo
from app.sync.events import Changes
from app.sync.live import LiveCollection

QUOTES = 100_000
WRITERS = 4

#: Likes random quotes of the collection until a line comes on stdin.
_LIKER = """
import random, sys, threading
from app.repo import open_repo
repo = open_repo(sys.argv[1])
ids = sys.argv[2].split(",")
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
print("ready", flush=True)
liked = 0
while not stop.is_set():
    repo.add_likes(random.choice(ids))
    liked += 1
print("liked", liked, flush=True)
repo.close()
"""


@pytest.mark.e2e
def test_list_and_a_window_load_finish_while_four_processes_like_at_full_speed(db, processes: Processes):
    repo = open_repo(db, create=True)
    try:
        repo.import_many(
            [(QuoteFields(author=f"A{n % 97}", content=f"Quote {n}."), 0) for n in range(QUOTES)]
        )
        liked_ids = ",".join(q.id for q in repo.newest_page(None, 500)[0])
        writers = [
            processes.start(
                [sys.executable, "-c", _LIKER, str(db), liked_ids], stdin=subprocess.PIPE, env=cli_env()
            )
            for _ in range(WRITERS)
        ]
        readers = [LineReader(w.stdout) for w in writers]
        for reader in readers:
            assert reader.next_line(WAIT_S).strip() == "ready"
        before = repo.counters()["updates"]

        listed = json.loads(Cli("--db", str(db)).ok("list", "--json"))
        loaded = asyncio.run(_window_load(repo))
        during = repo.counters()["updates"] - before

        for writer in writers:
            writer.stdin.write("stop\n")
            writer.stdin.flush()
        likes = sum(int(reader.next_line(WAIT_S).split()[1]) for reader in readers)
        final = {q.id: q.likes for q in repo.read_all()}
    finally:
        repo.close()

    assert during > 0, "the writers wrote while the collection was read"
    assert len(listed) == QUOTES and len(loaded) == QUOTES
    assert sum(final.values()) == likes
    # Each read is exact as of its end: no like it shows is one that never happened.
    assert all(q["likes"] <= final[q["id"]] for q in listed)
    assert all(count <= final[quote_id] for quote_id, count in loaded.items())


async def _window_load(repo: QuoteRepo) -> dict[str, int]:
    """What a window's live collection holds once its first (streamed) load has caught up."""
    live = LiveCollection(repo, stream="first-page")
    try:
        async for event in live:
            if isinstance(event, Changes) and event.completes:
                assert live.quotes is not None
                return {quote_id: q.likes for quote_id, q in live.quotes.items()}
        raise AssertionError("the live collection ended before its first load")
    finally:
        await live.aclose()
