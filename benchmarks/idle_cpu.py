"""Idle CPU per watcher: what following a store costs while nothing changes (part of ``latency``).

Each watcher follows its own store of 2 quotes, all at the same time, as a
separate process: ``quotes watch --json`` (woken by file events), the window
(``gui_probe.py``, offscreen, woken by file events), ``quotes watch --json``
with ``QUOTES_WATCH_MODE=poll`` (the fallback where file events are not
available), and the **baseline**, the 1 ms ``PRAGMA data_version`` poller of
the latency floor (what the store did before it used file events). Once each
is ready, its CPU time (utime + stime from ``/proc/PID/stat``) is read at the
start and the end of 60 s (3 s with ``--quick``); the share of one core is
CPU time / wall time.
"""

from __future__ import annotations

import os
import time

from benchmarks._common import Context, Row, Worker, build_db, cpu_seconds

#: The share of one core an idle watcher may use.
TARGETS = {"events": 0.002, "window": 0.002, "poll": 0.01}


def seconds(quick: bool) -> float:
    return 3.0 if quick else 60.0


def _percent(share: float) -> str:
    return f"{share * 100:.3f} %"


def _less(base: float, ours: float, wall: float) -> str:
    """How many times less than the baseline; a bound when ours used no clock tick at all."""
    if ours:
        return f"{base / ours:,.0f}x less"
    one_tick = 1 / os.sysconf("SC_CLK_TCK") / wall
    return f"> {base / one_tick:,.0f}x less"


def rows(ctx: Context, floor_db) -> list[Row]:
    """Rows for the latency table; ``floor_db``: a store for the 1 ms poller."""
    watchers = {
        "baseline": Worker("benchmarks.latency", "floor-reader", str(floor_db)),
        "events": Worker("app", "--db", str(build_db(ctx, 2)), "watch", "--json"),
        "window": Worker("benchmarks.gui_probe", "load", str(build_db(ctx, 2))),
        "poll": Worker("app", "--db", str(build_db(ctx, 2)), "watch", "--json", QUOTES_WATCH_MODE="poll"),
    }
    try:
        watchers["baseline"].expect("ready")
        watchers["events"].line()  # the snapshot
        watchers["poll"].line()
        watchers["window"].expect("painted")
        time.sleep(1.0)  # let the window finish what it does after its first paint
        started = time.monotonic()
        used = {name: cpu_seconds(w.process.pid) for name, w in watchers.items()}
        time.sleep(seconds(ctx.quick))
        wall = time.monotonic() - started
        share = {name: (cpu_seconds(w.process.pid) - used[name]) / wall for name, w in watchers.items()}
    finally:
        for worker in watchers.values():
            worker.kill()
    base = share["baseline"]
    labels = {
        "events": "quotes watch (file events)",
        "window": "window (file events)",
        "poll": "quotes watch (polling fallback)",
    }
    return [
        Row(
            "latency",
            f"idle CPU, {label}, {wall:.0f} s (baseline: 1 ms poll)",
            _percent(share[name]),
            _percent(base),
            _less(base, share[name], wall),
            f"<= {_percent(TARGETS[name])}",
            share[name] <= TARGETS[name],
        )
        for name, label in labels.items()
    ]
