"""6. Command-line start: ``quotes list`` and ``quotes like ID`` against ``python -c pass``.

Scripts run ``quotes`` many times, so what a command costs before it does
anything matters. Each round runs, one after the other, the **baseline**
``python -c pass`` (the interpreter's own start, in the same run), then
``quotes list`` on a store of 2 quotes and ``quotes like ID`` on it, as real
processes from this repository (``python -m app``); 40 rounds (5 with
``--quick``), wall time per process, median and p90, and the CPU time
(user + system, ``os.wait4``) median, which a busy machine disturbs less.
Byte-compiled modules are kept in a temporary folder for the whole run
(``PYTHONPYCACHEPREFIX``), as an installed program has them.

Targets: ``quotes list`` at most 150 ms, and within 4 times ``python -c pass``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from benchmarks._common import ROOT, Context, Row, median, ms, percentile, times, worker_env

NAME = "cli_start"
LIMIT_S = 0.150
LIMIT_RATIO = 4.0


def _once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv`` (which must succeed)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read() if process.stderr else b""
    if process.returncode:
        raise RuntimeError(f"{' '.join(argv[1:])} failed: {errors.decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime


def run(ctx: Context) -> list[Row]:
    db = ctx.workdir / "cli-start.db"
    env = worker_env(PYTHONPYCACHEPREFIX=str(ctx.workdir / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    quotes = [sys.executable, "-m", "app", "--db", str(db)]
    subprocess.run([*quotes, "seed"], cwd=ROOT, env=env, check=True, capture_output=True)
    listed = subprocess.run([*quotes, "list"], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    quote_id = listed.stdout.split()[0]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "quotes list (2 quotes)": [*quotes, "list"],
        "quotes like ID": [*quotes, "like", quote_id],
    }
    for argv in commands.values():  # warm: byte-compiled, the files in the page cache
        _once(argv, env)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(5 if ctx.quick else 40):
        for name, argv in commands.items():
            wall, cpu = _once(argv, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    floor, floor_cpu = median(walls["python -c pass"]), median(cpus["python -c pass"])
    rows = []
    for name in list(commands)[1:]:
        wall, cpu = median(walls[name]), median(cpus[name])
        is_list = name.startswith("quotes list")
        rows.append(
            Row(
                NAME,
                f"{name}: wall, median (p90 {ms(percentile(walls[name], 90))})",
                ms(wall),
                ms(floor),
                times(wall / floor),
                f"≤ {ms(LIMIT_S)} and ≤ {LIMIT_RATIO:.0f}x" if is_list else "",
                (wall <= LIMIT_S and wall / floor <= LIMIT_RATIO) if is_list else None,
            )
        )
        rows.append(Row(NAME, f"{name}: CPU, median", ms(cpu), ms(floor_cpu), times(cpu / floor_cpu)))
    return rows
