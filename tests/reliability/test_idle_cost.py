"""An idle ``quotes watch`` and an idle window cost (almost) no CPU, and still follow the store.

Each runs as a real process on its own store; its CPU time (utime + stime from
``/proc/PID/stat``) is read at the start and the end of a few seconds in
which nothing happens. The bounds are generous, as a test on a shared machine
must be: the benchmark (``python -m benchmarks.run --only latency``) measures
60 s and prints the real figure (about 0.01 % of a core; the 1 ms poll it
replaced used about 5 %).
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmarks._common import cpu_seconds
from tests.cli.conftest import cli_env, ok

#: How long each idle process is measured, in seconds.
MEASURED = 4.0


def idle_share(pid: int) -> float:
    """The share of one core ``pid`` uses over ``MEASURED`` seconds of wall time."""
    used, started = cpu_seconds(pid), time.monotonic()
    time.sleep(MEASURED)  # the measurement window, not a wait for something to happen
    return (cpu_seconds(pid) - used) / (time.monotonic() - started)


def test_an_idle_watch_costs_almost_nothing(db, watcher):
    ok(db, "seed")
    events = watcher()
    assert events.next_json()["event"] == "snapshot"
    assert idle_share(events.process.pid) < 0.02
    quote_id = ok(db, "add", "--author", "A", "--content", "still followed").strip()
    assert events.next_json()["id"] == quote_id


def test_polling_when_events_are_not_used_still_follows_the_store_at_little_cost(db, watcher):
    ok(db, "seed")
    events = watcher(log_level="info", QUOTES_WATCH_MODE="poll")
    assert events.next_json()["event"] == "snapshot"
    # Ten polls a second at rest: 1-2.5 % of a core on these machines (waking a
    # thread costs about 2 ms of CPU here); a 1 ms poll would take most of one.
    assert idle_share(events.process.pid) < 0.05
    quote_id = ok(db, "add", "--author", "A", "--content", "found by polling").strip()
    assert events.next_json()["id"] == quote_id
    events.process.terminate()
    events.process.wait(timeout=10)
    assert "woken by polling" in events.process.stderr.read()


class Window:
    """``quotes`` (the window) offscreen as a subprocess, its log read on a thread."""

    def __init__(self, db: Path, home: Path) -> None:
        env = cli_env() | {
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),  # its settings stay in the test's folder
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app", "--db", str(db), "--log-level", "debug"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self._pumping = threading.Thread(target=self._pump, daemon=True)
        self._pumping.start()

    def _pump(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if text in line:
                return line
        raise AssertionError(f"the window never logged {text!r}")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self._pumping.join(timeout=10)
        self.process.stderr.close()


@pytest.fixture
def window(db, tmp_path):
    ok(db, "seed")
    opened = Window(db, tmp_path / "home")
    yield opened
    opened.close()


def test_an_idle_window_costs_almost_nothing(window, db):
    assert "file events" in window.wait_for("woken by")
    window.wait_for("watch armed after a read by LiveCollection")
    assert idle_share(window.process.pid) < 0.02
    ok(db, "add", "--author", "A", "--content", "seen by the window")
    window.wait_for("sync batch applied: 1 inserted")
