"""7. ``quotes import``: quotes a second at 100,000, and peak memory.

A file of N tiny new quotes (one JSON line each, ``{"author": "a",
"content": "12345"}``) is imported by the real program (``python -m app
import FILE``) into a new embedded store: quotes a second over the
process's wall time, its CPU time, and its peak resident memory
(``ru_maxrss`` from ``os.wait4``). N = 100,000 (5,000 with ``--quick``);
with ``--million`` also 1,000,000, for the memory bound.

The import reads the file twice (check, then write) and keeps one batch and
the ids of whole quotes, so memory should not grow with N. The
**baselines**, in the same run: for speed, a plain SQLite loop inserting the
same lines, parsed with ``json``, into one table, 1,000 a transaction (what
the disk and SQLite cost, without validation, exactly-once tokens, indexes,
counters or the change log); for memory, ``quotes list`` on a store of 2
quotes (the program's own footprint).

Targets: at least 10,000 quotes a second at 100,000; at most 300 MB at 1,000,000.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._common import ROOT, Context, Row, times, worker_env

NAME = "import_speed"
RATE_TARGET = 10_000
MEMORY_TARGET_MB = 300


def _write_file(path: Path, n: int) -> None:
    with path.open("w") as out:
        for i in range(n):
            out.write(json.dumps({"author": "a", "content": str(i)}) + "\n")


def _program(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak memory (MB) of the real program."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise RuntimeError(f"{' '.join(argv[3:])} failed: {errors}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _plain_sqlite(path: Path, lines: Path) -> float:
    """Seconds a plain SQLite loop takes to insert the lines, 1,000 a transaction."""
    start = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE quotes (id INTEGER PRIMARY KEY, author TEXT, content TEXT)")
    with lines.open() as source:
        batch: list[tuple[str, str]] = []
        for line in source:
            record = json.loads(line)
            batch.append((record["author"], record["content"]))
            if len(batch) == 1_000:
                conn.executemany("INSERT INTO quotes (author, content) VALUES (?, ?)", batch)
                batch = []
        conn.executemany("INSERT INTO quotes (author, content) VALUES (?, ?)", batch)
    conn.close()
    return time.perf_counter() - start


def run(ctx: Context) -> list[Row]:
    env = worker_env()
    quotes = [sys.executable, "-m", "app", "--db"]
    small = ctx.workdir / "import-floor.db"
    subprocess.run([*quotes, str(small), "seed"], cwd=ROOT, env=env, check=True, capture_output=True)
    _, _, floor_mb = _program([*quotes, str(small), "list"], env)
    rows = []
    sizes = [5_000] if ctx.quick else [100_000] + ([1_000_000] if ctx.million else [])
    for n in sizes:
        lines = ctx.workdir / f"import-{n}.jsonl"
        _write_file(lines, n)
        wall, cpu, peak_mb = _program(
            [*quotes, str(ctx.workdir / f"import-{n}.db"), "import", str(lines)], env
        )
        plain = _plain_sqlite(ctx.workdir / f"plain-{n}.db", lines)
        rate, plain_rate = n / wall, n / plain
        speed_target = n == 100_000
        rows.append(
            Row(
                NAME,
                f"quotes/s importing {n:,} tiny lines (CPU {cpu:.1f} s, wall {wall:.1f} s)",
                f"{rate:,.0f}/s",
                f"{plain_rate:,.0f}/s",
                times(plain_rate / rate),
                f"≥ {RATE_TARGET:,}/s" if speed_target else "",
                rate >= RATE_TARGET if speed_target else None,
            )
        )
        memory_target = n == 1_000_000
        rows.append(
            Row(
                NAME,
                f"peak memory importing {n:,} tiny lines",
                f"{peak_mb:,.0f} MB",
                f"{floor_mb:,.0f} MB",
                times(peak_mb / floor_mb),
                f"≤ {MEMORY_TARGET_MB} MB" if memory_target else "",
                peak_mb <= MEMORY_TARGET_MB if memory_target else None,
            )
        )
    return rows
