"""3. Initial load: time to the first painted window, and resident memory.

A fresh process (``benchmarks/gui_probe.py``, what ``run_gui`` builds, offscreen)
opens the window on a store of N quotes. Time: from just before the process
is spawned to the end of the first paint of the list with quotes in it.
Memory: the process's resident set (VmRSS) at that moment, and its peak
(VmHWM). The baseline is the same window on a store holding only the two
sample quotes: Python, Qt and the window's own start-up cost.
"""

from __future__ import annotations

from benchmarks._common import Context, Row, Worker, build_db, median, ms, times

NAME = "load"
TIME_TARGET = 1.0
MEMORY_TARGET = 250.0


def size(quick: bool) -> int:
    return 5_000 if quick else 100_000


def _open_window(db) -> tuple[float, int, float, float]:
    """Seconds to the first painted window, rows shown, RSS and peak RSS (MB)."""
    probe = Worker("benchmarks.gui_probe", "load", str(db))
    try:
        stamp, rows, rss, peak = probe.expect("painted", timeout=120)
        probe.finish()
    finally:
        probe.kill()
    return (int(stamp) - probe.started_ns) / 1e9, int(rows), float(rss), float(peak)


def run(ctx: Context) -> list[Row]:
    n = size(ctx.quick)
    runs = 1 if ctx.quick else 3
    ours = [_open_window(build_db(ctx, n)) for _ in range(runs)]
    base = [_open_window(build_db(ctx, 0)) for _ in range(runs)]
    t_ours, t_base = median([r[0] for r in ours]), median([r[0] for r in base])
    rows_shown = ours[0][1]
    rss, peak = max(r[2] for r in ours), max(r[3] for r in ours)
    rss_base, peak_base = max(r[2] for r in base), max(r[3] for r in base)
    label = f"N={n:,}" + (f", median of {runs}" if runs > 1 else "")
    return [
        Row(NAME, f"time to first painted window, {label} ({rows_shown:,} rows)", ms(t_ours),
            ms(t_base), times(t_ours / t_base), f"<= {ms(TIME_TARGET)}", t_ours <= TIME_TARGET),
        Row(NAME, f"resident memory at first paint, N={n:,}", f"{rss:.0f} MB",
            f"{rss_base:.0f} MB", times(rss / rss_base), f"<= {MEMORY_TARGET:.0f} MB",
            rss <= MEMORY_TARGET),
        Row(NAME, f"peak resident memory, N={n:,}", f"{peak:.0f} MB", f"{peak_base:.0f} MB",
            times(peak / peak_base), f"<= {MEMORY_TARGET:.0f} MB", peak <= MEMORY_TARGET),
    ]
