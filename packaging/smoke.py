"""Smoke-test a built ``quotes`` program: ``python packaging/smoke.py PATH``.

Runs the command line on a temporary store, then starts the window offscreen,
waits for it to say it is shown, asks it to quit with SIGTERM and expects a
clean exit. Prints one line per step; exit status 0 when all pass.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path


def run(binary: str, *args: str) -> str:
    result = subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise SystemExit(f"smoke: {' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return result.stdout


def window_starts_and_quits(binary: str, db: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    window = subprocess.Popen(
        [binary, "--db", str(db), "--log-level", "info", "gui"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in window.stderr], daemon=True).start()
    try:
        while "window shown" not in lines.get(timeout=60):
            pass
    except queue.Empty:
        window.kill()
        raise SystemExit("smoke: the window did not show within 60 s") from None
    window.send_signal(signal.SIGTERM)
    status = window.wait(timeout=20)
    if status != 0:
        raise SystemExit(f"smoke: the window exited with {status} after SIGTERM")


def main() -> None:
    binary = str(Path(sys.argv[1]).resolve())
    print("smoke:", run(binary, "--version").strip())
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "quotes.db"
        run(binary, "--db", str(db), "seed")
        quotes = json.loads(run(binary, "--db", str(db), "list", "--json"))
        assert {q["author"] for q in quotes} == {"René Descartes", "Heraclitus"}, quotes
        run(binary, "--db", str(db), "add", "--author", "Søren Kierkegaard", "--content", "Le cœur.")
        found = json.loads(run(binary, "--db", str(db), "list", "--json", "--search", "soren"))
        assert [q["author"] for q in found] == ["Søren Kierkegaard"], found  # anyascii's tables are there
        print(f"smoke: command line ok ({len(quotes)} quotes)")
        window_starts_and_quits(binary, db)
        print("smoke: window shown and closed cleanly")


if __name__ == "__main__":
    main()
