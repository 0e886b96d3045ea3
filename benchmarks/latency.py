"""1. Propagation latency across processes on the embedded store.

This process (A) commits likes, one at a time; a reader process (B) reports
the moment each one has reached it. The latency of a change is B's stamp
minus A's stamp taken as soon as the commit returned, both from
``time.monotonic_ns()`` (CLOCK_MONOTONIC, one clock for the whole machine).
A waits for B's answer, then a random 0 to 2 ms (so commits do not lock onto
the floor poller's phase), before the next change.

Readers, all in the same run:

- floor: a minimal SQLite writer (one UPDATE per transaction) and a reader
  that polls ``PRAGMA data_version`` every millisecond and re-reads the row:
  the least any design polling at 1 ms can do;
- ours, live collection: ``LiveCollection`` in B; the stamp is taken when the
  batch is yielded, after the collection has applied it;
- ours, ``quotes watch --json``: the command in B; A stamps each line as it
  arrives through the pipe (so the pipe's delay counts against us);
- ours, window: the GUI in B (offscreen), the stamp taken when the window's
  model signals the changed row (see ``benchmarks/gui_probe.py``).

Our store wakes its watches on file events, not a poll; this benchmark also
measures what following a store costs while nothing happens (``idle_cpu.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import time
from pathlib import Path

from benchmarks import idle_cpu
from benchmarks._common import (
    Context,
    Row,
    Worker,
    build_db,
    id_of,
    median,
    ms,
    percentile,
    say,
    times,
)

NAME = "latency"
POLL = 0.001  # the floor polls every millisecond


def changes(quick: bool) -> int:
    return 200 if quick else 1_000


# -- process B: the readers ----------------------------------------------------


def _floor_reader(db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    last = conn.execute("PRAGMA data_version").fetchone()[0]
    say("ready")
    while True:
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version != last:
            last = version
            (value,) = conn.execute("SELECT likes FROM counter WHERE id = 1").fetchone()
            say("applied", value, time.monotonic_ns())
        time.sleep(POLL)


async def _live_reader(db: Path) -> None:
    from app.repo import QuoteRepo
    from app.store.sqlite import SQLiteStore
    from app.sync.events import Changes
    from app.sync.live import LiveCollection

    repo = QuoteRepo(SQLiteStore(db))
    live = LiveCollection(repo)
    await anext(live)
    say("ready")
    async for event in live:
        stamp = time.monotonic_ns()
        if isinstance(event, Changes):
            for quote in event.updated:
                say("applied", quote.likes, stamp)


# -- process A: the writers and the measurement -----------------------------------


def _floor_db(path: Path) -> Path:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, likes INTEGER NOT NULL)")
    conn.execute("INSERT INTO counter VALUES (1, 0)")
    conn.close()
    return path


def _applied(reader: Worker):
    """Arrivals as a reader reports them: ``applied LIKES T`` lines, after ``ready``."""
    reader.expect("ready")

    def arrival() -> tuple[int, int]:
        likes, stamp = (int(f) for f in reader.expect("applied", timeout=30))
        return likes, stamp

    return arrival


def _printed(reader: Worker, quote_id: str):
    """Arrivals from ``quotes watch --json``: stamped here when its line comes through the
    pipe (later than the print by the pipe and this process's reading thread)."""
    reader.line()  # the snapshot

    def arrival() -> tuple[int, int]:
        while True:
            event = json.loads(reader.line(timeout=30))
            stamp = time.monotonic_ns()
            if event["event"] == "update" and event["id"] == quote_id:
                return event["quote"]["likes"], stamp

    return arrival


def _lockstep(arrival, commit, start_likes: int, count: int) -> list[float]:
    """Commit ``count`` likes one by one; the latency of each, in seconds."""
    rng = random.Random(1)
    latencies = []
    for i in range(1, count + 1):
        commit()
        committed = time.monotonic_ns()
        while True:
            likes, stamp = arrival()
            if likes == start_likes + i:
                break
        latencies.append((stamp - committed) / 1e9)
        time.sleep(rng.uniform(0, 0.002))
    return latencies


def measure_floor(ctx: Context, count: int) -> list[float]:
    db = _floor_db(ctx.workdir / f"floor-{time.monotonic_ns()}.db")
    reader = Worker("benchmarks.latency", "floor-reader", str(db))
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")

    def commit() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE counter SET likes = likes + 1 WHERE id = 1")
        conn.execute("COMMIT")

    try:
        return _lockstep(_applied(reader), commit, 0, count)
    finally:
        reader.kill()
        conn.close()


def measure_ours(ctx: Context, count: int, role: str, n_quotes: int = 1_000) -> list[float]:
    from app.repo import QuoteRepo
    from app.store.sqlite import SQLiteStore

    db = build_db(ctx, n_quotes)
    quote_id = id_of(0)
    repo = QuoteRepo(SQLiteStore(db))
    start = repo.get(quote_id).likes
    if role == "gui":
        reader = Worker("benchmarks.gui_probe", "latency", str(db), quote_id)
    elif role == "watch":
        reader = Worker("app", "--db", str(db), "watch", "--json")
    else:
        reader = Worker("benchmarks.latency", role, str(db))

    def commit() -> None:
        repo.add_likes(quote_id)

    try:
        arrival = _printed(reader, quote_id) if role == "watch" else _applied(reader)
        return _lockstep(arrival, commit, start, count)
    finally:
        reader.kill()
        repo.close()


def _rows(label: str, values: list[float], floor: list[float], targets: dict) -> list[Row]:
    rows = []
    for stat, fn in (("median", median), ("p99", lambda v: percentile(v, 99)), ("max", max)):
        ours, base = fn(values), fn(floor)
        target = targets.get(stat)
        rows.append(
            Row(
                NAME,
                f"{label}: {stat} ({len(values):,} changes)",
                ms(ours),
                ms(base),
                times(ours / base) if base else "",
                f"<= {ms(target)}" if target else "",
                (ours <= target) if target else None,
            )
        )
    return rows


def run(ctx: Context, gui: bool = True) -> list[Row]:
    count = changes(ctx.quick)
    floor = measure_floor(ctx, count)
    live = measure_ours(ctx, count, "live-reader")
    rows = _rows("to live collection", live, floor, {"median": 0.002, "p99": 0.010})
    watch = measure_ours(ctx, count, "watch")
    rows += _rows("to quotes watch --json", watch, floor, {"median": 0.002, "p99": 0.010})
    if gui:
        window = measure_ours(ctx, count, "gui")
        rows += _rows("to window model", window, floor, {"median": 0.002, "p99": 0.010})
        rows += idle_cpu.rows(ctx, _floor_db(ctx.workdir / f"floor-idle-{time.monotonic_ns()}.db"))
    return rows


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["floor-reader", "live-reader"])
    parser.add_argument("db", type=Path)
    args = parser.parse_args(argv)
    if args.role == "floor-reader":
        _floor_reader(args.db)
    else:
        asyncio.run(_live_reader(args.db))


if __name__ == "__main__":
    main(sys.argv[1:])
