"""Soak: a window and writers on one store for a long time; memory and handles stay flat.

    .venv/bin/python scripts/soak.py --minutes 10

Starts the real program's window (offscreen) on a temporary store and writer
processes that like, add and delete at a steady rate, keeping the collection
near a fixed size. It samples the window process's resident memory, open file
handles and threads from /proc after a warm-up and at the end, checks the
window still answers SIGTERM with a clean exit, and prints a table.
Not part of CI: it runs for minutes.
"""

from __future__ import annotations

import argparse
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

WRITER = """
import random, sys, time
from app.repo import NotFound, open_repo
db, seed, rate = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
size, until = int(sys.argv[4]), float(sys.argv[5])
rng, repo, done = random.Random(seed), open_repo(db), 0
ids = [q.id for q in repo.read_all()]
start = time.monotonic()
while time.time() < until:
    try:
        if len(ids) < size:
            ids.append(repo.insert(f"soak {seed}", f"quote {rng.random()}").id)
        elif rng.random() < 0.8:
            repo.like(rng.choice(ids))
        else:
            repo.delete(ids.pop(rng.randrange(len(ids))))
    except NotFound:
        ids = [q.id for q in repo.read_all()]
    done += 1
    pause = start + done / rate - time.monotonic()  # a steady rate, not a burst
    if pause > 0:
        time.sleep(pause)
print(done)
"""


def sample(pid: int) -> dict[str, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines())
    return {
        "rss_mb": int(fields["VmRSS"].split()[0]) / 1024,
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
        "threads": int(fields["Threads"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=100, help="writes per second per writer")
    parser.add_argument("--size", type=int, default=500, help="quotes kept in the collection")
    parser.add_argument("--warm-up", type=float, default=20, help="seconds before the first sample")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "soak.db"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=folder)
        window = subprocess.Popen(
            [sys.executable, "-m", "app", "--db", str(db), "--log-level", "info", "gui"],
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in window.stderr], daemon=True).start()
        while "window shown" not in lines.get(timeout=60):
            pass
        until = time.time() + args.minutes * 60
        writers = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, str(db), str(n), str(args.rate), str(args.size), str(until)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for n in range(args.writers)
        ]
        time.sleep(args.warm_up)
        first = sample(window.pid)
        writes = sum(int(w.communicate()[0]) for w in writers)
        last = sample(window.pid)
        window.send_signal(signal.SIGTERM)
        status = window.wait(timeout=30)

    print(
        f"soak: {args.minutes:g} min, {args.writers} writers, {writes} writes "
        f"({writes / (args.minutes * 60):.0f}/s), window exit status {status}"
    )
    print(f"{'':10} {'start':>10} {'end':>10} {'change':>10}")
    for key in first:
        print(f"{key:10} {first[key]:10.1f} {last[key]:10.1f} {last[key] - first[key]:+10.1f}")
    return 0 if status == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
