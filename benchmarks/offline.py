"""Offline: a window opened on its cached collection, and the outbox sent after reconnect.

Both on the embedded store made unreachable the way a cluster is (the
``unreachable_file`` fault), in fresh window processes
(``benchmarks/offline_probe.py``, what ``quotes`` builds, offscreen):

- **first paint offline**: from just before the process is spawned to the
  first paint of the list with cards, opened while the store does not answer,
  on the cache of N quotes its previous run wrote. Baseline: that previous
  run, the same window opened online (it reads the store and writes the
  cache), in the same run. Target: no slower than online.
- **outbox sent after reconnect**: the window, offline, likes 1,000 quotes (each
  queued in the outbox, shown pending); then the store answers again. Time
  from the moment the window is live again to its outbox being empty (every
  like committed once). Baseline: the same 1,000 likes made online, one
  ``QuoteRepo.like`` each, in this process. Target: under 2 s.
"""

from __future__ import annotations

import os
import time

from app.repo import QuoteRepo
from app.store.sqlite import SQLiteStore
from benchmarks._common import Context, Row, Worker, build_db, median, ms, times

NAME = "offline"
LIKES = 1_000
SEND_TARGET_S = 2.0


def size(quick: bool) -> int:
    return 5_000 if quick else 100_000


def _window(db, workdir, offline: bool, likes: int = 0) -> tuple[float, int, str, float | None]:
    """Seconds to the first paint, rows then, the connection shown, and (with
    ``likes``) seconds from reconnect to the outbox sent."""
    switch = workdir / "unreachable"
    env = {"QUOTES_OFFLINE_DIR": str(workdir / "offline"), "QUOTES_FAULTS": f"unreachable_file={switch}"}
    if offline:
        switch.touch()
    probe = Worker("benchmarks.offline_probe", str(db), **env)
    sent = None
    try:
        stamp, rows, connection = probe.expect("painted", timeout=300)
        if not offline:
            probe.expect("cached", timeout=300)
        elif likes:
            probe.send(f"like {likes}")
            probe.expect("queued", timeout=300)
            switch.unlink()
            connected, empty = probe.expect("sent", timeout=300)
            sent = (int(empty) - int(connected)) / 1e9
        probe.finish(timeout=120)
    finally:
        probe.kill()
        switch.unlink(missing_ok=True)
    return (int(stamp) - probe.started_ns) / 1e9, int(rows), connection.replace("_", " "), sent


def _online_likes(db, count: int) -> float:
    repo = QuoteRepo(SQLiteStore(db, faults=None))
    try:
        ids = [q.id for q in repo.newest_page(None, count)[0]]
        started = time.perf_counter()
        for quote_id in ids:
            repo.like(quote_id)
        return time.perf_counter() - started
    finally:
        repo.close()


def run(ctx: Context) -> list[Row]:
    runs = 1 if ctx.quick else 3
    n = size(ctx.quick)
    online, offline, sends, direct = [], [], [], []
    for run_number in range(runs):
        workdir = ctx.workdir / f"offline-{run_number}"
        os.makedirs(workdir)
        db = build_db(ctx, n)
        online.append(_window(db, workdir, offline=False))
        seconds, rows, connection, _ = _window(db, workdir, offline=True)
        if not connection.startswith("Offline — as of") or rows < min(n, 200):
            raise RuntimeError(f"the window did not open on its cache: {rows} rows, {connection!r}")
        offline.append((seconds, rows))
        sends.append(_window(db, workdir, offline=True, likes=LIKES)[3])
        direct.append(_online_likes(build_db(ctx, n), LIKES))
    paint, paint_base = median([o[0] for o in offline]), median([o[0] for o in online])
    send, send_base = median(sends), median(direct)
    return [
        Row(
            NAME,
            f"first paint opened offline on its cache, N={n:,} (median of {runs})",
            ms(paint),
            f"{ms(paint_base)} online",
            times(paint / paint_base),
            "≤ online",
            paint <= paint_base,
        ),
        Row(
            NAME,
            f"outbox: {LIKES:,} queued likes sent after reconnect (median of {runs})",
            ms(send),
            f"{ms(send_base)} made online",
            times(send / send_base),
            f"< {SEND_TARGET_S:.0f} s",
            send < SEND_TARGET_S,
        ),
    ]
