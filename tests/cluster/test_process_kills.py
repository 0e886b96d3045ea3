"""Process kills on a three-process cluster, with people at work.

Two real windows (offscreen) follow a collection while four command-line
writers keep running ``quotes like``. We ``kill -9`` a storage process (the
cluster, at ``double`` redundancy, carries on), then every process (the
cluster is gone), then restart them all. The windows must say Offline by
themselves while the cluster is down, come back by themselves, and end
showing what a fresh read shows; no like a command reported done is missing
and none counts twice. How soon they said Offline is printed, not asserted:
2.5 s on a quiet machine (a ping every 0.5 s, with a 2 s timeout), 4.6 s once
beside the rest of the fdb suite on two cores (docs/foundationdb.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support.cli import Cli, Result, cli_env
from support.engines import ROOT, cluster_file_or_skip
from support.local_cluster import LocalCluster
from support.processes import LineReader, Processes
from support.waiting import WAIT_S

from app.repo import QuoteRepo, tenants
from app.store.fdb import open_fdb

pytestmark = [pytest.mark.fdb, pytest.mark.e2e]

WRITERS = 4
#: Done likes asked for in each phase, so each phase is seen doing work.
LIKES_PER_PHASE = 8


class Window:
    """A real window (``support.cluster_window``) and what it reported, with stamps."""

    def __init__(self, processes: Processes, cluster_file: str, tenant: str, settings: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT / "tests"))
        env.pop("FDB_CLUSTER_FILE", None)
        argv = [sys.executable, "-m", "support.cluster_window", cluster_file, tenant, str(settings)]
        self.process = processes.start(argv, stdin=subprocess.PIPE, env=env)
        self.lines = LineReader(self.process.stdout)  # type: ignore[arg-type]

    def next_connection(self, word: str, timeout: float = WAIT_S, since: int = 0) -> int:
        """The stamp (``time.monotonic_ns``, one clock for every process here) of the
        next time the window shows ``word`` as its connection, at ``since`` or later
        (an earlier outage, say a cluster recovery after one kill, does not count)."""
        while True:
            stamp = int(self.lines.wait_for(rf"^connection {word} ", timeout).split()[2])
            if stamp >= since:
                return stamp

    def shown(self) -> dict[str, int]:
        """Every quote the window shows, ``{id: likes}``."""
        self.process.stdin.write("dump\n")  # type: ignore[union-attr]
        self.process.stdin.flush()  # type: ignore[union-attr]
        return json.loads(self.lines.wait_for("^quotes ").split(" ", 1)[1])


class Writers:
    """Four threads, each running the real ``quotes like ID`` again and again."""

    def __init__(self, cli: Cli, quote_id: str) -> None:
        self.results: list[Result] = []
        self._lock = threading.Condition()
        self._stop = threading.Event()
        argv = ("like", quote_id)
        self._threads = [threading.Thread(target=self._write, args=(cli, argv)) for _ in range(WRITERS)]
        for thread in self._threads:
            thread.start()

    def _write(self, cli: Cli, argv: tuple[str, ...]) -> None:
        while not self._stop.is_set():
            result = cli.program(*argv, env=cli_env(), timeout=120)
            with self._lock:
                self.results.append(result)
                self._lock.notify_all()

    def count(self, which: Callable[[Result], bool]) -> int:
        with self._lock:
            return sum(map(which, self.results))

    def wait(self, which: Callable[[Result], bool], count: int, timeout: float = 3 * WAIT_S) -> None:
        """Wait until ``count`` results are ``which``."""
        with self._lock:
            assert self._lock.wait_for(lambda: sum(map(which, self.results)) >= count, timeout), (
                f"fewer than {count} such results within {timeout} s: {self.results[-3:]}"
            )

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=4 * WAIT_S)


def done(result: Result) -> bool:
    return result.status == 0


def failed(result: Result) -> bool:
    return result.status != 0


def unknown(result: Result) -> bool:
    return result.status != 0 and "may have been made" in result.stderr


def _wait_equal(window: Window, fresh: Callable[[], dict[str, int]], timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while (shown := window.shown()) != (expected := fresh()):
        assert time.monotonic() < deadline, f"window shows {shown}, a fresh read {expected}"


@pytest.mark.timeout(600)
def test_windows_and_writers_live_through_process_kills(tmp_path: Path, processes: Processes) -> None:
    # With the fdb suite only: the FoundationDB client's network thread this test
    # starts lives as long as the test process, and the window tests must not
    # share a process with one still reconnecting to a stopped cluster (a worker
    # crashed in Qt's event loop that way).
    cluster_file_or_skip()
    cluster = LocalCluster.start(tmp_path / "cluster", processes=3, storage="memory")
    try:
        _kill_and_recover(cluster, tmp_path, processes)
    finally:
        cluster.stop()


def _kill_and_recover(cluster: LocalCluster, tmp_path: Path, processes: Processes) -> None:
    store = open_fdb(cluster.cluster_file, faults=None)
    tenants.create(store, "kills")
    repo = QuoteRepo(store, "kills")
    quote = repo.insert("Epictetus", "It is not things that disturb us, but our judgements about them.")
    windows = [Window(processes, cluster.cluster_file, "kills", tmp_path / f"w{n}.ini") for n in (1, 2)]
    for window in windows:
        window.next_connection("Connected")
    writers = Writers(Cli("--cluster-file", cluster.cluster_file, "--tenant", "kills"), quote.id)
    try:
        writers.wait(done, LIKES_PER_PHASE)

        storage = [n for n in cluster.storage_processes() if n != 1]  # 1 is the coordinator
        cluster.kill(storage[0] if storage else 3)
        writers.wait(done, writers.count(done) + LIKES_PER_PHASE)

        down = time.monotonic_ns()
        for n in range(1, cluster.size + 1):
            if n != (storage[0] if storage else 3):
                cluster.kill(n)
        # Said by themselves while the cluster is down (else this wait fails: it is
        # restarted only after), with nothing changing in the collection meanwhile.
        offline_at = [window.next_connection("Offline", since=down) for window in windows]
        writers.wait(failed, writers.count(failed) + 1)  # a command saw the cluster gone

        up = time.monotonic_ns()
        for n in range(1, cluster.size + 1):
            cluster.restart(n)
        connected_at = [window.next_connection("Connected", 4 * WAIT_S, since=up) for window in windows]
        writers.wait(done, writers.count(done) + LIKES_PER_PHASE)
    finally:
        writers.stop()

    found = repo.get(quote.id)
    reported, maybe = writers.count(done), writers.count(unknown)
    offline_s = max(offline_at) / 1e9 - down / 1e9
    print(
        f"writes reported {reported}, found {found and found.likes}, unknown {maybe}, "
        f"failed {writers.count(failed)}; Offline shown {offline_s:.1f} s after the kill, "
        f"for at most {max(map(int.__sub__, connected_at, offline_at)) / 1e9:.1f} s; "
        f"Connected {(max(connected_at) - up) / 1e9:.1f} s after the restart"
    )
    assert found is not None
    assert reported <= found.likes <= reported + maybe
    for window in windows:
        _wait_equal(window, lambda: {q.id: q.likes for q in repo.read_all()})
    repo.close()
