"""2. Sync cost against collection size.

For each N, a store holds N quotes and a live collection follows it. One like
is committed; we time from the commit to the ``Changes`` batch the live
collection yields (its cache already updated), and count the records the
store read to produce it (``Changes.records_read``). Ours is the incremental
sync (read the change log after the cursor, fetch the touched records); the
baseline is the seed's strategy (``benchmarks/reread_baseline.py``), which
re-reads the whole collection on every change and diffs it. Both run here, in
one process, on the same files: the commit wakes the watch in-process at once,
so no polling delay is counted, only the sync's own work.
"""

from __future__ import annotations

import asyncio
import time

from benchmarks._common import Context, Row, build_db, id_of, median, ms, times

NAME = "sync_cost"


def sizes(quick: bool, million: bool = False) -> tuple[int, ...]:
    """The collection sizes measured (``--million`` adds 1,000,000)."""
    if quick:
        return (1_000, 5_000)
    return (1_000, 10_000, 100_000, *((1_000_000,) if million else ()))


class _Follower:
    """A live collection over one store, and a repo to commit likes with."""

    def __init__(self, db, mode: str) -> None:
        from app.repo import QuoteRepo
        from app.store.sqlite import SQLiteStore
        from app.sync.live import LiveCollection
        from benchmarks.reread_baseline import RereadCollection

        self.repo = QuoteRepo(SQLiteStore(db))
        self.live = LiveCollection(self.repo) if mode == "incremental" else RereadCollection(self.repo)
        self.elapsed: list[float] = []
        self.read: list[int] = []

    async def start(self) -> None:
        from app.sync.events import Snapshot

        first = await anext(self.live)
        assert isinstance(first, Snapshot), first
        await self.like(record=False)  # warm-up: caches, executor thread

    async def like(self, record: bool = True) -> None:
        from app.sync.events import Changes
        from app.sync.live import LiveCollection

        quote_id = id_of(0)
        self.repo.add_likes(quote_id)
        start = time.perf_counter()
        event = await anext(self.live)
        elapsed = time.perf_counter() - start
        assert isinstance(event, Changes) and [q.id for q in event.updated] == [quote_id], event
        if record:
            self.elapsed.append(elapsed)
            self.read.append(
                event.records_read if isinstance(self.live, LiveCollection) else self.live.records_read
            )

    async def close(self) -> None:
        await self.live.aclose()
        self.repo.close()


async def _measure(dbs: dict[int, object], rounds: int, reps: dict[tuple[int, str], int]):
    """Median time and most records read per (N, mode); sizes interleaved in rounds."""
    followers = {}
    try:
        for n, db in dbs.items():
            for mode in ("incremental", "reread"):
                followers[n, mode] = _Follower(db, mode)
                await followers[n, mode].start()
        for _ in range(rounds):  # interleaved, so drift on the machine hits every size alike
            for key, follower in followers.items():
                for _ in range(reps[key]):
                    await follower.like()
        return {key: (median(f.elapsed), max(f.read)) for key, f in followers.items()}
    finally:
        for follower in followers.values():
            await follower.close()


def run(ctx: Context) -> list[Row]:
    ns = sizes(ctx.quick, ctx.million)
    dbs = {n: build_db(ctx, n) for n in ns}
    rounds = 2 if ctx.quick else 5
    reps = {}
    for n in ns:
        reps[n, "incremental"] = 10 if ctx.quick else 40
        reps[n, "reread"] = 1 if ctx.quick or n >= 100_000 else 4
    results = asyncio.run(_measure(dbs, rounds, reps))
    rows: list[Row] = []
    for n in ns:
        (t_ours, r_ours), (t_seed, r_seed) = results[n, "incremental"], results[n, "reread"]
        largest = n == max(ns)
        target = ">= 1,000x (time)" if largest else ""
        met = (t_seed / t_ours >= 1000) if largest else None
        count = rounds * reps[n, "incremental"], rounds * reps[n, "reread"]
        rows.append(
            Row(
                NAME,
                f"time to deliver 1 like, N={n:,} (median of {count[0]} / {count[1]})",
                ms(t_ours),
                ms(t_seed),
                times(t_seed / t_ours),
                target,
                met,
            )
        )
        rows.append(
            Row(
                NAME,
                f"records read for 1 like, N={n:,}",
                f"{r_ours:,}",
                f"{r_seed:,}",
                times(r_seed / max(r_ours, 1)),
            )
        )
    small, large = min(ns), max(ns)
    (t_small, r_small), (t_large, r_large) = results[small, "incremental"], results[large, "incremental"]
    flat = t_large / t_small
    rows.append(
        Row(
            NAME,
            f"ours: time at N={large:,} / at N={small:,}",
            times(flat),
            "",
            "",
            "flat (<= 2x, same records read)",
            flat <= 2 and r_large == r_small,
        )
    )
    return rows


if __name__ == "__main__":  # pragma: no cover
    import sys
    import tempfile
    from pathlib import Path

    from benchmarks._common import markdown_table

    with tempfile.TemporaryDirectory() as tmp:
        print(markdown_table(run(Context(quick="--quick" in sys.argv, workdir=Path(tmp)))))
