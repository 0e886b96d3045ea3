"""A whole collection read while other processes like as fast as they can.

``python -m benchmarks.read_under_load [--quotes N] [--rounds R]``

What ``quotes list --json`` / ``export`` read (``QuoteRepo.read_all``) and what
a window's first load reads (a ``LiveCollection`` streamed as the window streams it, to its
catch-up), first on a quiet store (the baseline), then while four writer
processes like random quotes without pause, in the same run. Under load the
read pages through the collection while the change log grows behind its
cursor; it must finish (catch-up in chunks; a restart only when the log was
trimmed past the cursor). Prints medians and the slowest round; no
assertion on time.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from app.repo import QuoteRepo
from app.store.sqlite import SQLiteStore
from app.sync.events import Changes
from app.sync.live import LiveCollection
from benchmarks._common import Context, Worker, build_db, median, say

#: A writer: likes random quotes of the first N until its stdin closes.
WRITER = "benchmarks.read_under_load_writer"
WRITERS = 4


def read_all(path: Path) -> int:
    repo = QuoteRepo(SQLiteStore(path, faults=None))
    try:
        return len(repo.read_all())
    finally:
        repo.close()


def window_load(path: Path) -> int:
    """Quotes a window's live collection holds once its first load has caught up."""

    async def load() -> int:
        repo = QuoteRepo(SQLiteStore(path, faults=None))
        live = LiveCollection(repo, stream="first-page")
        try:
            async for event in live:
                if isinstance(event, Changes) and event.completes:
                    return len(live.quotes or ())
            raise RuntimeError("the live collection ended before its first load")
        finally:
            await live.aclose()
            repo.close()

    return asyncio.run(load())


def timed(read, path: Path, rounds: int) -> tuple[list[float], int]:
    seconds, count = [], 0
    for _ in range(rounds):
        started = time.perf_counter()
        count = read(path)
        seconds.append(time.perf_counter() - started)
    return seconds, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.read_under_load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = Context(quick=False, workdir=Path(tmp))
        started = time.perf_counter()
        path = build_db(ctx, args.quotes)
        say("built", f"{args.quotes:,} quotes in {time.perf_counter() - started:.1f} s")
        results = {}
        for name, read in (("read_all (list --json)", read_all), ("window first load", window_load)):
            results[name, "quiet"] = timed(read, path, args.rounds)
        writers = [Worker(WRITER, str(path), str(args.quotes), str(n)) for n in range(WRITERS)]
        try:
            for writer in writers:
                writer.expect("ready")
            for name, read in (("read_all (list --json)", read_all), ("window first load", window_load)):
                results[name, "loaded"] = timed(read, path, args.rounds)
        finally:
            likes = 0
            for writer in writers:
                writer.send("stop")
                likes += int(writer.expect("liked")[0])
                writer.finish()
        for (name, load), (seconds, count) in results.items():
            say(
                name,
                load,
                f"median {median(seconds):.2f} s",
                f"slowest {max(seconds):.2f} s",
                f"{count:,} quotes",
            )
        for name in ("read_all (list --json)", "window first load"):
            ratio = median(results[name, "loaded"][0]) / median(results[name, "quiet"][0])
            say(name, f"loaded / quiet: {ratio:.2f}x")
        say("writers", f"{likes:,} likes committed during the loaded rounds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
