"""5. Write throughput: likes per second into one quote, from 1 and 4 processes.

Each writer process opens the store, says it is ready, waits for "go", then
adds its share of likes to the same quote, each in its own transaction
(``QuoteRepo.like``, which bumps the likes, the record version, two metadata
counters and appends to the change log). Throughput is all likes over the wall
time from "go" to the last writer done. Afterwards the quote must hold exactly
the likes sent, and the ``updates`` counter must have moved by as many: none
lost.

The baseline, in the same run, is a minimal SQLite writer: one
``UPDATE counter SET likes = likes + 1`` per ``BEGIN IMMEDIATE`` transaction,
with the same pragmas, from as many processes.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

from benchmarks._common import Context, Row, Worker, build_db, id_of, say, times

NAME = "throughput"


def likes_per_writer(quick: bool) -> int:
    return 200 if quick else 5_000


# -- writer processes ------------------------------------------------------------


def _ours_writer(db: Path, count: int) -> None:
    from app.repo import QuoteRepo
    from app.store.sqlite import SQLiteStore

    repo = QuoteRepo(SQLiteStore(db))
    quote_id = id_of(0)
    repo.get(quote_id)  # connection open, caches warm
    say("ready")
    sys.stdin.readline()
    start = time.perf_counter()
    for _ in range(count):
        repo.add_likes(quote_id)
    say("done", time.perf_counter() - start)
    repo.close()


def _floor_writer(db: Path, count: int) -> None:
    conn = sqlite3.connect(db, timeout=3.0, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("SELECT likes FROM counter").fetchall()
    say("ready")
    sys.stdin.readline()
    start = time.perf_counter()
    for _ in range(count):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE counter SET likes = likes + 1 WHERE id = 1")
        conn.execute("COMMIT")
    say("done", time.perf_counter() - start)
    conn.close()


# -- the measurement ----------------------------------------------------------------


def _race(role: str, db: Path, writers: int, count: int) -> float:
    """Likes per second from ``writers`` processes adding ``count`` each."""
    procs = [Worker("benchmarks.throughput", role, str(db), str(count)) for _ in range(writers)]
    try:
        for proc in procs:
            proc.expect("ready")
        start = time.perf_counter()
        for proc in procs:
            proc.send("go")
        for proc in procs:
            proc.expect("done", timeout=300)
        elapsed = time.perf_counter() - start
        for proc in procs:
            proc.finish()
    finally:
        for proc in procs:
            proc.kill()
    return writers * count / elapsed


def _floor(ctx: Context, writers: int, count: int) -> tuple[float, int]:
    db = ctx.workdir / f"floor-throughput-{writers}-{time.monotonic_ns()}.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, likes INTEGER NOT NULL)")
    conn.execute("INSERT INTO counter VALUES (1, 0)")
    rate = _race("floor-writer", db, writers, count)
    (likes,) = conn.execute("SELECT likes FROM counter").fetchone()
    conn.close()
    return rate, likes


def _ours(ctx: Context, writers: int, count: int) -> tuple[float, int, int]:
    from app.repo import QuoteRepo
    from app.store.sqlite import SQLiteStore

    db = build_db(ctx, 1_000)
    repo = QuoteRepo(SQLiteStore(db))
    before, updates_before = repo.get(id_of(0)).likes, repo.counters()["updates"]
    rate = _race("ours-writer", db, writers, count)
    after, updates_after = repo.get(id_of(0)).likes, repo.counters()["updates"]
    repo.close()
    return rate, after - before, updates_after - updates_before


def run(ctx: Context) -> list[Row]:
    count = likes_per_writer(ctx.quick)
    rows = []
    for writers in (1, 4):
        sent = writers * count
        ours, added, updates = _ours(ctx, writers, count)
        floor, floor_added = _floor(ctx, writers, count)
        rows.append(
            Row(
                NAME,
                f"likes/s into 1 quote, {writers} process{'es' if writers > 1 else ''}",
                f"{ours:,.0f}/s",
                f"{floor:,.0f}/s",
                times(ours / floor),
            )
        )
        rows.append(
            Row(
                NAME,
                f"likes lost, {writers} process{'es' if writers > 1 else ''} ({sent:,} sent)",
                f"{sent - added:,}",
                f"{sent - floor_added:,}",
                "",
                "0 (and updates counter moved by all)",
                added == sent and updates == sent,
            )
        )
    return rows


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["ours-writer", "floor-writer"])
    parser.add_argument("db", type=Path)
    parser.add_argument("count", type=int)
    args = parser.parse_args(argv)
    if args.role == "ours-writer":
        _ours_writer(args.db, args.count)
    else:
        _floor_writer(args.db, args.count)


if __name__ == "__main__":
    main(sys.argv[1:])
