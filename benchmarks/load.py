"""3. Initial load: time to the first painted window, and resident memory.

A fresh process (``benchmarks/gui_probe.py``, what ``run_gui`` builds, offscreen)
opens the window on a store of N quotes, sorted newest first (the window's
default). Time: from just before the process is spawned to the end of the
first paint of the list with quotes in it (the newest quotes may be painted
before the whole collection is read), and to the first paint once the whole
collection is in the model. Memory: the process's resident set (VmRSS) at
that second moment, and its peak (VmHWM). The baseline is the same window
on a store holding only the two sample quotes: Python, Qt and the window's
own start-up cost. With ``--million`` the window is also opened on 1,000,000
quotes, against the same baseline.

"Most liked" is measured too: it needs every quote before it can order them
(the window shows the first page by likes, then the whole list once it is in
and ordered, a slice at a time), so its rows say what that order costs at
each size; its longest stall has the same target, one frame.

The window reads the rest of the collection in id order and shows it once it
is ordered: the time to the whole collection painted waits for that order
(``benchmarks/gui_probe.py``), and so does its row from the first paint.
"""

from __future__ import annotations

from app.client.order import Sort
from benchmarks._common import Context, Row, Worker, build_db, median, ms, times

NAME = "load"
#: Targets by number of quotes: seconds to the first paint, resident MB.
TIME_TARGETS = {100_000: 0.5, 1_000_000: 0.6}
MEMORY_TARGETS = {100_000: 250.0, 1_000_000: 600.0}
MILLION = 1_000_000
#: One frame at 60 Hz: the window drops none while the rest is read (and, most liked, ordered).
STALL_TARGET = 0.016
#: Seconds from the first paint to the whole collection painted, newest first (issue 23).
WHOLE_AFTER_PAINT_TARGETS = {MILLION: 5.0}


def size(quick: bool) -> int:
    return 5_000 if quick else 100_000


def large_size(quick: bool) -> int:
    return 20_000 if quick else MILLION


def _open_window(db, sort: Sort = Sort.NEWEST) -> tuple[float, int, float, float, float, float]:
    """Seconds to the first painted window (opened in ``sort``), rows then,
    seconds to the whole collection painted, RSS then and peak RSS (MB), and
    the longest GUI stall in between (seconds)."""
    probe = Worker("benchmarks.gui_probe", "load", str(db), sort.value)
    try:
        first, rows, _, _ = probe.expect("painted", timeout=300)
        stamp, _, rss, peak, stall = probe.expect("whole", timeout=300)
        probe.finish(timeout=120)
    finally:
        probe.kill()
    seconds = lambda ns: (int(ns) - probe.started_ns) / 1e9  # noqa: E731
    return seconds(first), int(rows), seconds(stamp), float(rss), float(peak), float(stall) / 1e3


def run(ctx: Context) -> list[Row]:
    runs = 1 if ctx.quick else 3
    sizes = [size(ctx.quick)] + ([large_size(ctx.quick)] if ctx.million else [])
    base: list = []
    measured: dict[int, list] = {n: [] for n in sizes}
    liked: dict[int, list] = {n: [] for n in sizes}
    for _ in range(runs):  # interleaved: a machine that slows down weighs on every column
        base.append(_open_window(build_db(ctx, 0)))
        for n in sizes:
            measured[n].append(_open_window(build_db(ctx, n)))
            liked[n].append(_open_window(build_db(ctx, n), Sort.MOST_LIKED))
    rows: list[Row] = []
    for n, ours in measured.items():
        rows += _rows(n, runs, ours, base)
    for n, ours in liked.items():
        rows += _most_liked_rows(n, runs, ours, base)
    return rows


def _rows(n: int, runs: int, ours: list, base: list) -> list[Row]:
    t_ours, t_base = median([r[0] for r in ours]), median([r[0] for r in base])
    whole, whole_base = median([r[2] for r in ours]), median([r[2] for r in base])
    after_paint, after_paint_base = median([r[2] - r[0] for r in ours]), median([r[2] - r[0] for r in base])
    rows_shown, stall = ours[0][1], max(r[5] for r in ours)
    rss, peak = max(r[3] for r in ours), max(r[4] for r in ours)
    rss_base, peak_base = max(r[3] for r in base), max(r[4] for r in base)
    per_quote = (rss - rss_base) * 2**20 / n
    time_target, memory_target = TIME_TARGETS.get(n), MEMORY_TARGETS.get(n)
    label = f"N={n:,}" + (f", median of {runs}" if runs > 1 else "")
    return [
        Row(
            NAME,
            f"time to first painted window, {label} ({rows_shown:,} rows)",
            ms(t_ours),
            ms(t_base),
            times(t_ours / t_base),
            *_target(t_ours, time_target, ms),
        ),
        Row(
            NAME,
            f"time to the whole collection painted, {label}",
            ms(whole),
            ms(whole_base),
            times(whole / whole_base),
        ),
        Row(
            NAME,
            f"from first paint to the whole collection painted, {label}",
            ms(after_paint),
            ms(after_paint_base),
            "",
            *_target(after_paint, WHOLE_AFTER_PAINT_TARGETS.get(n) if time_target else None, ms),
        ),
        Row(
            NAME,
            f"longest GUI stall from first paint to whole, N={n:,} (worst of {runs})",
            ms(stall),
            "",
            "",
            *_target(stall, STALL_TARGET if time_target else None, ms),
        ),
        Row(
            NAME,
            f"resident memory, whole collection, N={n:,} ({per_quote:,.0f} bytes a quote)",
            f"{rss:.0f} MB",
            f"{rss_base:.0f} MB",
            times(rss / rss_base),
            *_target(rss, memory_target, _mb),
        ),
        Row(
            NAME,
            f"peak resident memory, N={n:,}",
            f"{peak:.0f} MB",
            f"{peak_base:.0f} MB",
            times(peak / peak_base),
            *_target(peak, memory_target, _mb),
        ),
    ]


def _most_liked_rows(n: int, runs: int, ours: list, base: list) -> list[Row]:
    t_ours, t_base = median([r[0] for r in ours]), median([r[0] for r in base])
    whole, whole_base = median([r[2] for r in ours]), median([r[2] for r in base])
    stall = max(r[5] for r in ours)
    peak, peak_base = max(r[4] for r in ours), max(r[4] for r in base)
    label = f"N={n:,}" + (f", median of {runs}" if runs > 1 else "")
    return [
        Row(
            NAME,
            f"Most liked: time to first painted window, {label}",
            ms(t_ours),
            ms(t_base),
            times(t_ours / t_base),
        ),
        Row(
            NAME,
            f"Most liked: time to the whole collection painted, {label}",
            ms(whole),
            ms(whole_base),
            times(whole / whole_base),
        ),
        Row(
            NAME,
            f"Most liked: longest GUI stall from first paint to whole, N={n:,} (worst of {runs})",
            ms(stall),
            "",
            "",
            *_target(stall, STALL_TARGET if n in TIME_TARGETS else None, ms),
        ),
        Row(
            NAME,
            f"Most liked: peak resident memory, N={n:,}",
            _mb(peak),
            _mb(peak_base),
            times(peak / peak_base),
        ),
    ]


def _mb(value: float) -> str:
    return f"{value:.0f} MB"


def _target(value: float, limit: float | None, text) -> tuple[str, bool | None]:
    """The target column and whether it was met (none for sizes without a target: --quick)."""
    if limit is None:
        return "", None
    return f"<= {text(limit)}", value <= limit
