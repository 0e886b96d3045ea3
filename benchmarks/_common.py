"""Shared by every benchmark: results, percentiles, worker processes, test data.

Times that cross processes use ``time.monotonic_ns()``: on Linux it reads
CLOCK_MONOTONIC, one clock for the whole machine, so a stamp taken in one
process can be subtracted from a stamp taken in another.
"""

from __future__ import annotations

import hashlib
import math
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Context:
    """What every benchmark gets from the runner."""

    quick: bool
    workdir: Path
    #: Also measure load and sync cost at 1,000,000 quotes (``--million``).
    million: bool = False
    #: The cluster ``--engine fdb`` measures (``benchmarks/cluster.py``).
    cluster_file: str | None = None
    #: Databases already built in this run, by number of quotes (reused, copied).
    built: dict[int, Path] = field(default_factory=dict)


@dataclass
class Row:
    """One line of the results table."""

    benchmark: str
    measure: str
    ours: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    #: True / False when there is a target, None when there is none.
    met: bool | None = None


# -- statistics ---------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def ms(seconds: float) -> str:
    """A duration in milliseconds, with sensible precision."""
    value = seconds * 1000
    if value >= 100:
        return f"{value:,.0f} ms"
    if value >= 10:
        return f"{value:.1f} ms"
    return f"{value:.2f} ms"


def times(ratio: float) -> str:
    if ratio >= 100:
        return f"{ratio:,.0f}x"
    return f"{ratio:.1f}x"


# -- the table ----------------------------------------------------------------

HEADER = ("benchmark", "measure", "ours", "baseline", "ratio", "target", "met")


def _cells(row: Row) -> tuple[str, ...]:
    met = {True: "yes", False: "NO", None: ""}[row.met]
    return (row.benchmark, row.measure, row.ours, row.baseline, row.ratio, row.target, met)


def markdown_table(rows: Sequence[Row]) -> str:
    """The results as a Markdown table (also readable as plain text)."""
    lines = [HEADER] + [_cells(row) for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]

    def fmt(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [fmt(HEADER), "| " + " | ".join("-" * w for w in widths) + " |"]
    out += [fmt(_cells(row)) for row in rows]
    return "\n".join(out)


# -- worker processes ---------------------------------------------------------


def worker_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FDB_CLUSTER_FILE", None)  # always the embedded store
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(extra)
    return env


class Worker:
    """A benchmark worker process (``python -m MODULE ARGS``) spoken to by lines.

    Its stdout is read on a thread, so ``line()`` can wait with a timeout.
    """

    def __init__(self, module: str, *args: str, **env: str) -> None:
        self.started_ns = time.monotonic_ns()
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=worker_env(**env),
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        threading.Thread(target=self._pump_err, daemon=True).start()

    def _pump(self) -> None:
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def _pump_err(self) -> None:
        for line in self.process.stderr:
            self._stderr.append(line)

    def line(self, timeout: float = 60) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise RuntimeError(f"worker gave no line within {timeout} s{self._err()}") from None
        if line is None:
            self.process.wait(timeout=5)
            raise RuntimeError(f"worker exited ({self.process.returncode}) before answering{self._err()}")
        return line

    def expect(self, word: str, timeout: float = 60) -> list[str]:
        """Wait for a line starting with ``word``; returns its other fields."""
        while True:
            fields = self.line(timeout).split()
            if fields and fields[0] == word:
                return fields[1:]

    def send(self, text: str) -> None:
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def finish(self, timeout: float = 30) -> None:
        """Close its stdin (the signal to stop) and wait for it to exit."""
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise RuntimeError(f"worker did not exit within {timeout} s{self._err()}") from None
        if self.process.returncode != 0:
            raise RuntimeError(f"worker failed ({self.process.returncode}){self._err()}")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)

    def _err(self) -> str:
        text = "".join(self._stderr[-20:]).strip()
        return f":\n{text}" if text else ""


def say(*fields: object) -> None:
    """A worker's answer: one line on stdout, flushed at once."""
    sys.stdout.write(" ".join(str(f) for f in fields) + "\n")
    sys.stdout.flush()


def rss_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MB (Linux)."""
    now = peak = 0.0
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                now = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    return now, peak


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far, user + system (Linux: ``/proc/PID/stat``)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()  # after "pid (comm)", which may hold spaces
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of the whole line
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


# -- test data ----------------------------------------------------------------

AUTHORS = ("Seneca", "Marcus Aurelius", "Epictetus", "Heraclitus", "Descartes", "Pascal")


def build_db(ctx: Context, n: int) -> Path:
    """A fresh store holding ``n`` quotes, inserted a millisecond apart, ids as
    ``id_of`` gives them (built once per run, then copied).

    The copy is flushed to the disk before it is used, as a store a person
    opens was written long before: otherwise the first commit on it (the
    window's first-run marker) waits for the kernel to write the whole copy
    back, 0.5 s at 1,000,000 quotes, and a window's first paint measures that."""
    if n not in ctx.built:
        template = ctx.workdir / f"template-{n}.db"
        _populate(template, n)
        ctx.built[n] = template
    target = ctx.workdir / f"copy-{n}-{time.monotonic_ns()}.db"
    shutil.copyfile(ctx.built[n], target)
    with open(target, "rb+") as copy:
        os.fsync(copy.fileno())
    return target


def _populate(path: Path, n: int) -> None:
    from app.repo import QuoteRepo, changelog
    from app.store.sqlite import SQLiteStore
    from benchmarks._stores import fill

    repo = QuoteRepo(SQLiteStore(path))
    try:
        fill(repo, n)
        # As a long-lived store would be: the log holds the newest entries.
        changelog.trim(repo.store, repo.keys)
    finally:
        repo.close()
    # Checkpoint the WAL into the file, so copies are self-contained.
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def id_of(n: int) -> str:
    """The id ``build_db`` gave quote number ``n`` (the oldest is 0): a version 4
    UUID as the app makes them, random-looking, so sorts by id cost what they do
    in the app (ids in insertion order would make them one pass)."""
    digest = hashlib.blake2b(n.to_bytes(8, "big"), digest_size=16).digest()
    return str(uuid.UUID(bytes=digest, version=4))


def machine() -> str:
    """CPU model and count, Python and SQLite versions: what the numbers depend on."""
    import platform
    import sqlite3

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; {platform.system()} {platform.release()}"
    )
