"""Helpers that run the real ``quotes`` program as a subprocess."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.store import open_store


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FDB_CLUSTER_FILE", None)  # the embedded store unless a test says otherwise
    return env


def run_cli(db: Path, *args: str, stdin: str | None = None, timeout: float = 30):
    return subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=cli_env(),
    )


def ok(db: Path, *args: str, stdin: str | None = None) -> str:
    result = run_cli(db, *args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    return result.stdout


def listed(db: Path) -> list[dict]:
    return json.loads(ok(db, "list", "--json"))


class LineReader:
    """Reads a process's stdout on a thread, so tests can wait for a line with a timeout."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.process.stdout:
            self._lines.put(line)

    def next_line(self, timeout: float = 10) -> str:
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line within {timeout} s") from None

    def next_json(self, timeout: float = 10) -> dict:
        return json.loads(self.next_line(timeout))


def new_store(path: Path) -> Path:
    """An empty store at ``path`` (reading commands refuse a missing one)."""
    open_store(path, create=True).close()
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return new_store(tmp_path / "quotes.db")


@pytest.fixture
def watcher(db: Path):
    """Start ``quotes watch --json [ID]`` (``env``: extra variables); stopped after the test."""
    started: list[subprocess.Popen] = []

    def start(*args: str, log_level: str = "warning", **env: str) -> LineReader:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "--db", str(db), "--log-level", log_level,
             "watch", "--json", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env() | env,
        )
        started.append(process)
        return LineReader(process)

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


#: A writer process: likes one quote, or adds quotes, COUNT times once told to start.
WORKER = """
import sys
from app.repo import open_repo
db, action, arg, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
repo = open_repo(db)
sys.stdin.readline()  # start together
for n in range(count):
    if action == "like":
        repo.like(arg)
    else:
        repo.insert(arg, f"quote {n} from {arg}")
repo.close()
"""


def run_together(db, jobs: list[tuple[str, str, int]], **env: str) -> None:
    """Start one worker per (action, argument, count), all at once; each must exit 0."""
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), action, arg, str(count)],
            stdin=subprocess.PIPE,
            text=True,
            env=cli_env() | env,
        )
        for action, arg, count in jobs
    ]
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    for worker in workers:
        worker.stdin.close()
        assert worker.wait(timeout=120) == 0
