"""Offline on a real cluster: the window's outbox and cache while the cluster is stopped,
with and without the client's own fault injection (``tests/ui/offline_cluster_scenario.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.engines import ROOT, cluster_file_or_skip
from support.local_cluster import LocalCluster

pytestmark = [pytest.mark.fdb, pytest.mark.e2e]


@pytest.mark.parametrize("faults", ["", "client_buggify=20"], ids=["plain", "client-buggify"])
def test_the_offline_scenario_on_a_cluster_stopped_and_started_again(tmp_path: Path, faults: str) -> None:
    cluster_file_or_skip()  # the fdb suite: it starts a cluster of its own, stopped at the end
    cluster = LocalCluster.start(tmp_path / "cluster", processes=1, storage="memory")
    try:
        env = dict(os.environ, QUOTES_OFFLINE_CLUSTER=str(cluster.folder), QUOTES_FAULTS=faults)
        env.pop("FDB_CLUSTER_FILE", None)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "-n",
                "0",
                "-q",
                "tests/ui/offline_cluster_scenario.py",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
        assert "1 passed" in done.stdout
    finally:
        cluster.stop()
