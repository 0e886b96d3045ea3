"""6. FoundationDB beside the embedded store: the same measures on both, in one run.

``python -m benchmarks.run --engine fdb [--cluster-file PATH]`` runs this
module: every measure runs on a cluster tenant (**ours**) and on an embedded
store file (**baseline**, measured in the same run), with the same quotes
(``benchmarks._stores``). No target: the point is how the two compare.

- **commit -> another process's live view**: process A likes a quote, B
  follows the collection with ``LiveCollection`` (as ``latency.py``, lockstep);
- **commit -> ``quotes watch --json``**: B is the command;
- **likes/s, 4 processes into one quote** (``add_likes``: atomic adds,
  conflict-free); the quote must end with exactly the likes sent;
- **sync cost of one like** at N = 1,000 and 100,000: commit to the
  ``Changes`` batch in the same process, and the records read for it;
- **first paint at N = 100,000**: the real window (``gui_probe``, offscreen)
  from spawn to the first painted cards, and to the whole collection;
- **reads served**: quotes a second that WRITERS threads of one process read,
  100 at a time: the ceiling for the views' fetches;
- **capacity**: VIEWS live views (tasks, spread over VIEW_PROCESSES
  processes) of one collection of 1,000 quotes while this process commits
  RATE likes a second to random quotes (from WRITERS threads, so a slower
  commit does not lower the rate). For every change and view: the
  latency from commit to the view's batch (a coalesced batch delivers every
  change it covers), the records the store read, the batches (each one read
  of the change log, then one watch) per change.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import threading
import time
from collections import defaultdict

from benchmarks import latency
from benchmarks._common import Context, Row, Worker, build_db, id_of, median, ms, percentile, say, times
from benchmarks._stores import cli_args, drop_tenant, new_tenant, open_spec

NAME = "cluster"
VIEWS = 20
VIEW_PROCESSES = 2
RATE = 100  # changes a second
CAPACITY_QUOTES = 1_000
WRITERS = 4


def _sizes(quick: bool) -> dict[str, int]:
    return {
        "changes": 30 if quick else 300,
        "likes": 25 if quick else 250,
        "sync": 5 if quick else 30,
        "large": 5_000 if quick else 100_000,
        "capacity_s": 2 if quick else 10,
    }


# -- worker processes ------------------------------------------------------------


async def _live_reader(spec: str) -> None:
    from app.sync.events import Changes
    from app.sync.live import LiveCollection

    live = LiveCollection(open_spec(spec))
    await anext(live)
    say("ready")
    async for event in live:
        stamp = time.monotonic_ns()
        if isinstance(event, Changes):
            for quote in event.updated:
                say("applied", quote.likes, stamp)


def _liker(spec: str, count: int) -> None:
    repo = open_spec(spec)
    say("ready")
    sys.stdin.readline()
    for _ in range(count):
        repo.add_likes(id_of(0))
    say("done")
    repo.close()


async def _views(spec: str, count: int) -> None:
    """``count`` live views of one collection. Told ``last ID LIKES``, it waits
    (at most a minute) until every view has that change, then says what each saw."""
    from app.sync.events import Changes
    from app.sync.live import LiveCollection

    repo = open_spec(spec)
    seen: list[dict] = [{"arrivals": [], "records": 0, "batches": 0} for _ in range(count)]

    async def follow(view: dict) -> None:
        live = LiveCollection(repo)
        await anext(live)
        ready.append(1)
        async for event in live:
            stamp = time.monotonic_ns()
            if isinstance(event, Changes):
                view["batches"] += 1
                view["records"] += event.records_read
                view["arrivals"] += [(q.id, q.likes, stamp) for q in event.updated]

    ready: list[int] = []
    tasks = [asyncio.create_task(follow(view)) for view in seen]
    while len(ready) < count:
        await asyncio.sleep(0.01)
    say("ready")
    told = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    _, last_id, last_likes = told.split()
    deadline = time.monotonic() + 60

    def has_last(view: dict) -> bool:
        return any(q == last_id and likes >= int(last_likes) for q, likes, _ in view["arrivals"])

    while not all(map(has_last, seen)) and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    for task in tasks:
        task.cancel()
    say("seen", json.dumps(seen))


# -- the measures -------------------------------------------------------------------


def _view_latency(spec: str, count: int, role: str) -> list[float]:
    repo = open_spec(spec)
    quote_id = id_of(0)
    start = repo.get(quote_id).likes
    if role == "watch":
        reader = Worker("app", *cli_args(spec), "watch", "--json")
        arrival = latency._printed(reader, quote_id)
    else:
        reader = Worker("benchmarks.cluster", "live-reader", spec)
        arrival = latency._applied(reader)
    try:
        return latency._lockstep(arrival, lambda: repo.add_likes(quote_id), start, count)
    finally:
        reader.kill()
        repo.close()


def _likes_per_second(spec: str, each: int) -> float:
    repo = open_spec(spec)
    before = repo.get(id_of(0)).likes
    workers = [Worker("benchmarks.cluster", "liker", spec, str(each)) for _ in range(WRITERS)]
    try:
        for worker in workers:
            worker.expect("ready")
        started = time.perf_counter()
        for worker in workers:
            worker.send("go")
        for worker in workers:
            worker.expect("done", timeout=600)
        elapsed = time.perf_counter() - started
        after = repo.get(id_of(0)).likes
        assert after - before == WRITERS * each, f"{after - before} likes landed of {WRITERS * each}"
        return WRITERS * each / elapsed
    finally:
        for worker in workers:
            worker.kill()
        repo.close()


async def _sync_cost(spec: str, rounds: int) -> tuple[float, int]:
    """Median seconds from a like's commit to its batch in this process, most records read."""
    from app.sync.events import Changes
    from app.sync.live import LiveCollection

    repo = open_spec(spec)
    live = LiveCollection(repo)
    try:
        await anext(live)
        elapsed, read = [], []
        for _ in range(rounds + 1):  # the first is a warm-up
            repo.add_likes(id_of(0))
            start = time.perf_counter()
            event = await anext(live)
            while not (isinstance(event, Changes) and event.updated):
                event = await anext(live)
            elapsed.append(time.perf_counter() - start)
            read.append(event.records_read)
        return median(elapsed[1:]), max(read[1:])
    finally:
        await live.aclose()
        repo.close()


def _first_paint(spec: str) -> tuple[float, float]:
    probe = Worker("benchmarks.gui_probe", "load", spec)
    try:
        first, _, _, _ = probe.expect("painted", timeout=600)
        whole, *_ = probe.expect("whole", timeout=600)
        probe.finish(timeout=120)
    finally:
        probe.kill()
    return (int(first) - probe.started_ns) / 1e9, (int(whole) - probe.started_ns) / 1e9


def _capacity(spec: str, seconds: float) -> dict[str, float]:
    """Latencies (s) of every change to every view, and reads per change per view."""
    repo = open_spec(spec)
    likes = {id_of(i): repo.get(id_of(i)).likes for i in range(CAPACITY_QUOTES)}
    per_process = VIEWS // VIEW_PROCESSES
    readers = [Worker("benchmarks.cluster", "views", spec, str(per_process)) for _ in range(VIEW_PROCESSES)]
    commits: list[tuple[str, int, int]] = []
    try:
        for reader in readers:
            reader.expect("ready", timeout=300)
        started = time.perf_counter()
        threads = [
            threading.Thread(target=_commit_paced, args=(repo, likes, commits, t, started, seconds))
            for t in range(WRITERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        achieved = len(commits) / (time.perf_counter() - started)
        repo.add_likes(last_id := id_of(0))  # after every other: a view that has it has them all
        likes[last_id] += 1
        commits.append((last_id, last_likes := likes[last_id], time.monotonic_ns()))
        views = []
        for reader in readers:
            reader.send(f"last {last_id} {last_likes}")
        for reader in readers:
            views += json.loads(" ".join(reader.expect("seen", timeout=120)))
    finally:
        for reader in readers:
            reader.kill()
        repo.close()
    return _capacity_numbers(commits, views, achieved)


def _commit_paced(repo, likes: dict[str, int], commits: list, t: int, started: float, seconds: float) -> None:
    """Writer ``t`` of ``WRITERS``: RATE / WRITERS likes a second, to random quotes of its own
    (so it knows each like's count without reading it back)."""
    rng = random.Random(t)
    own = [id_of(i) for i in range(t, CAPACITY_QUOTES, WRITERS)]
    for n in range(int(seconds * RATE / WRITERS)):
        time.sleep(max(0.0, started + n * WRITERS / RATE - time.perf_counter()))  # pacing, not waiting
        quote_id = rng.choice(own)
        repo.add_likes(quote_id)
        likes[quote_id] += 1
        commits.append((quote_id, likes[quote_id], time.monotonic_ns()))


def _records_per_second(spec: str, seconds: float) -> float:
    """Quotes read a second by WRITERS threads, each reading 100 at a time (``get_many``):
    what the store can serve the live views' fetches at most, from one client process."""
    repo = open_spec(spec)
    ids = [id_of(i) for i in range(CAPACITY_QUOTES)]
    counts = [0] * WRITERS
    end = time.perf_counter() + seconds

    def read(t: int) -> None:
        rng = random.Random(t)
        while time.perf_counter() < end:
            counts[t] += len(repo.get_many(rng.sample(ids, 100)))

    threads = [threading.Thread(target=read, args=(t,)) for t in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    repo.close()
    return sum(counts) / seconds


def _capacity_numbers(commits: list[tuple[str, int, int]], views: list[dict], achieved: float) -> dict:
    latencies: list[float] = []
    missed = 0
    for view in views:
        arrivals: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for quote_id, likes, stamp in view["arrivals"]:
            arrivals[quote_id].append((likes, stamp))
        for quote_id, likes, committed in commits:
            stamp = next((s for value, s in arrivals[quote_id] if value >= likes), None)
            if stamp is None:
                missed += 1
            else:
                latencies.append((stamp - committed) / 1e9)
    changes = len(commits) * len(views)
    return {
        "rate": achieved,
        "p50": median(latencies),
        "p99": percentile(latencies, 99),
        "max": max(latencies),
        "records": sum(v["records"] for v in views) / changes,
        "batches": sum(v["batches"] for v in views) / changes,
        "missed": missed,
    }


# -- the table ------------------------------------------------------------------------


def _pair(label: str, ours: float, base: float, fmt=ms) -> Row:
    return Row(NAME, label, fmt(ours), fmt(base), times(ours / base) if base else "")


def _stats(label: str, ours: list[float], base: list[float]) -> list[Row]:
    return [
        _pair(f"{label}: median ({len(ours)} changes)", median(ours), median(base)),
        _pair(f"{label}: p99", percentile(ours, 99), percentile(base, 99)),
    ]


def _plain(value: float) -> str:
    return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def run(ctx: Context) -> list[Row]:
    if not ctx.cluster_file:
        raise RuntimeError("--engine fdb needs --cluster-file or FDB_CLUSTER_FILE")
    size = _sizes(ctx.quick)
    specs: dict[int, tuple[str, str]] = {}
    try:
        for n in (CAPACITY_QUOTES, size["large"]):
            print(f"# building {n:,} quotes on both engines ...", flush=True)
            specs[n] = (new_tenant(ctx.cluster_file, n), str(build_db(ctx, n)))
        return _measure(ctx, size, specs)
    finally:
        for ours, _ in specs.values():
            drop_tenant(ours)


def _measure(ctx: Context, size: dict[str, int], specs: dict[int, tuple[str, str]]) -> list[Row]:
    small, large = specs[CAPACITY_QUOTES], specs[size["large"]]
    rows: list[Row] = []
    live = [_view_latency(spec, size["changes"], "live") for spec in small]
    rows += _stats("commit -> another process's live view", *live)
    watch = [_view_latency(spec, size["changes"], "watch") for spec in small]
    rows += _stats("commit -> quotes watch --json", *watch)
    rate = [_likes_per_second(spec, size["likes"]) for spec in small]
    rows.append(_pair(f"likes/s, {WRITERS} processes into one quote", *rate, fmt=_plain))
    for n, pair in ((CAPACITY_QUOTES, small), (size["large"], large)):
        cost = [asyncio.run(_sync_cost(spec, size["sync"])) for spec in pair]
        rows.append(_pair(f"sync cost of 1 like, N={n:,} (median of {size['sync']})", cost[0][0], cost[1][0]))
        rows.append(_pair(f"records read for 1 like, N={n:,}", cost[0][1], cost[1][1], fmt=_plain))
    paint = [_first_paint(spec) for spec in large]
    rows.append(_pair(f"first paint, N={size['large']:,}", paint[0][0], paint[1][0]))
    rows.append(_pair(f"whole collection painted, N={size['large']:,}", paint[0][1], paint[1][1]))
    served = [_records_per_second(spec, size["capacity_s"]) for spec in small]
    rows.append(_pair(f"quotes read/s, {WRITERS} threads of get_many(100)", *served, fmt=_plain))
    cap = [_capacity(spec, size["capacity_s"]) for spec in small]
    label = f"{VIEWS} views, {RATE} changes/s"
    rows.append(_pair(f"{label}: changes/s achieved", cap[0]["rate"], cap[1]["rate"], fmt=_plain))
    for stat in ("p50", "p99", "max"):
        rows.append(_pair(f"{label}: commit -> view, {stat}", cap[0][stat], cap[1][stat]))
    for key, what in (
        ("records", "records read per change per view"),
        ("batches", "log reads per change per view"),
        ("missed", "changes a view never saw"),
    ):
        rows.append(_pair(f"{label}: {what}", cap[0][key], cap[1][key], _plain))
    return rows


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["live-reader", "liker", "views"])
    parser.add_argument("spec")
    parser.add_argument("count", nargs="?", type=int, default=0)
    args = parser.parse_args(argv)
    if args.role == "live-reader":
        asyncio.run(_live_reader(args.spec))
    elif args.role == "liker":
        _liker(args.spec, args.count)
    else:
        asyncio.run(_views(args.spec, args.count))


if __name__ == "__main__":
    main(sys.argv[1:])
