"""A FoundationDB cluster of a test's own, started and killed with ``scripts/fdb-cluster``.

``LocalCluster.start`` skips the test, naming why, when the script finds no
FoundationDB build (docs/foundationdb.md lists where it looks).
"""

from __future__ import annotations

import json
import random
import socket
import subprocess
from pathlib import Path

import pytest

from support.engines import ROOT

SCRIPT = str(ROOT / "scripts" / "fdb-cluster")


def _script(*args: str, timeout: float = 120) -> str:
    done = subprocess.run([SCRIPT, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"fdb-cluster {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def _free_ports(count: int) -> int:
    """The first of ``count`` consecutive ports nothing listens on now."""
    while True:
        first = random.randrange(4800, 5800)
        try:
            for port in range(first, first + count):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return first


class LocalCluster:
    """A cluster in ``folder``: process N (1-based) can be killed and restarted."""

    def __init__(self, folder: Path, size: int, fdbcli: str) -> None:
        self.folder = folder
        self.size = size
        self.cluster_file = str(folder / "fdb.cluster")
        self._fdbcli = fdbcli

    @classmethod
    def start(cls, folder: Path, processes: int = 3, storage: str = "memory") -> LocalCluster:
        which = subprocess.run([SCRIPT, "which"], capture_output=True, text=True, cwd=ROOT)
        if which.returncode != 0:
            pytest.skip(f"FoundationDB: {which.stderr.strip()}")
        fdbcli = which.stdout.splitlines()[1].split(": ", 1)[1]
        port = str(_free_ports(processes))
        _script("start", str(folder), "--processes", str(processes), "--storage", storage, "--port", port)
        return cls(folder, processes, fdbcli)

    def kill(self, n: int) -> None:
        """``kill -9`` process ``n``."""
        _script("kill", str(n), str(self.folder))

    def restart(self, n: int) -> None:
        _script("restart", str(n), str(self.folder))

    def stop(self) -> None:
        _script("stop", str(self.folder))

    def storage_processes(self) -> list[int]:
        """The processes (1-based) that hold a storage role now."""
        done = subprocess.run(
            [self._fdbcli, "-C", self.cluster_file, "--exec", "status json", "--timeout", "20"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        status = json.loads(done.stdout)
        ports = [int((self.folder / f"port{n}").read_text()) for n in range(1, self.size + 1)]
        found = []
        for process in status["cluster"]["processes"].values():
            if any(role["role"] == "storage" for role in process.get("roles", [])):
                found.append(ports.index(int(process["address"].rsplit(":", 1)[1])) + 1)
        return sorted(found)
