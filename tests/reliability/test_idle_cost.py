"""An idle ``quotes watch`` and an idle window cost (almost) no CPU, and still follow the store.

Each runs as a real process on its own store; its CPU time (utime + stime from
``/proc/PID/stat``) is read at the start and the end of a few seconds in
which nothing happens. The bounds are generous, as a test on a shared machine
must be: the benchmark (``python -m benchmarks.run --only latency``) measures
60 s and prints the real figure (about 0.01 % of a core; the 1 ms poll it
replaced used about 5 %).
"""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support.cli import cli_env, start_watch
from support.engines import ROOT
from support.processes import cpu_seconds
from support.waiting import WAIT_S

# Real processes, measured alone: xdist runs this module's tests one after another
# on one worker (--dist loadgroup), never two idle measurements side by side.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("idle_cost")]

#: How long each idle process is measured, in seconds.
MEASURED = 4.0


def idle_share(pid: int) -> float:
    """The share of one core ``pid`` uses over ``MEASURED`` seconds of wall time."""
    used, started = cpu_seconds(pid), time.monotonic()
    time.sleep(MEASURED)  # the measurement window, not a wait for something to happen
    return (cpu_seconds(pid) - used) / (time.monotonic() - started)


def test_an_idle_watch_costs_almost_nothing(file_cli, processes):
    file_cli.ok("seed")
    process, events = start_watch(processes, file_cli, "--json")
    assert events.next_json()["event"] == "snapshot"
    assert idle_share(process.pid) < 0.02
    quote_id = file_cli.ok("add", "--author", "A", "--content", "still followed").strip()
    assert events.next_json()["id"] == quote_id


def test_polling_when_events_are_not_used_still_follows_the_store_at_little_cost(file_cli, processes):
    file_cli.ok("seed")
    process, events = start_watch(processes, file_cli, "--json", log_level="info", QUOTES_WATCH_MODE="poll")
    assert events.next_json()["event"] == "snapshot"
    # Ten polls a second at rest: 1-2.5 % of a core on these machines (waking a
    # thread costs about 2 ms of CPU here); a 1 ms poll would take most of one.
    assert idle_share(process.pid) < 0.05
    quote_id = file_cli.ok("add", "--author", "A", "--content", "found by polling").strip()
    assert events.next_json()["id"] == quote_id
    process.terminate()
    process.wait(timeout=WAIT_S)
    assert "woken by polling" in process.stderr.read()


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
            cwd=ROOT,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self._pumping = threading.Thread(target=self._pump, daemon=True)
        self._pumping.start()

    def _pump(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = WAIT_S) -> str:
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
        self.process.wait(timeout=WAIT_S)
        self._pumping.join(timeout=WAIT_S)
        self.process.stderr.close()


@pytest.fixture
def window(db, file_cli, tmp_path):
    file_cli.ok("seed")
    opened = Window(db, tmp_path / "home")
    try:
        yield opened
    finally:
        opened.close()


def test_an_idle_window_costs_almost_nothing(window, file_cli):
    assert "file events" in window.wait_for("woken by")
    window.wait_for("watch armed after a read by LiveCollection")
    assert idle_share(window.process.pid) < 0.02
    file_cli.ok("add", "--author", "A", "--content", "seen by the window")
    window.wait_for("sync batch applied: 1 inserted")
