"""The cluster benchmark runs end to end (``--engine fdb --quick``): never a timing test.

It asserts that every measure ran on both engines and printed its row,
nothing about how fast: the numbers live in the README, from the full run.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from support.engines import ROOT, cluster_file_or_skip

pytestmark = [pytest.mark.fdb, pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.timeout(900)
def test_the_cluster_benchmark_runs_on_both_engines_and_prints_the_table() -> None:
    cluster_file = cluster_file_or_skip()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("QUOTES_FAULTS", None)
    argv = [sys.executable, "-m", "benchmarks.run", "--engine", "fdb", "--quick"]
    result = subprocess.run(
        [*argv, "--cluster-file", cluster_file],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=840,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = [line.split("|") for line in result.stdout.splitlines() if line.startswith("| cluster ")]
    measures = {row[2].strip() for row in rows}
    for words in ("live view: median", "quotes watch --json: p99", "likes/s", "sync cost of 1 like, N=1,000"):
        assert any(words in measure for measure in measures), (words, measures)
    assert any("first paint" in m for m in measures)
    assert any("records read per change per view" in m for m in measures)
    assert all(row[3].strip() and row[4].strip() for row in rows), "every measure on both engines"
