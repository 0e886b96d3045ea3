"""The benchmarks run end to end (``--quick``): a smoke test, never a timing test.

It asserts that every benchmark ran and printed its rows, nothing about how
fast anything was: CI machines differ, and the numbers live in
benchmarks/README.md, measured with the full command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = (
    "latency",
    "sync_cost",
    "throughput",
    "cli_start",
    "import_speed",
    "load",
    "bursts",
    "offline",
    "search",
)


@pytest.mark.e2e
@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", BENCHMARKS)
def test_each_quick_benchmark_runs_and_prints_its_rows(name):
    env = dict(os.environ)
    env.pop("FDB_CLUSTER_FILE", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--only", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,  # 5-30 s each on a quiet machine; room for a busy one
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    header, _ruler, *body = rows
    assert header.split("|")[1].strip() == "benchmark"
    assert body and {row.split("|")[1].strip() for row in body} == {name}, result.stdout
    assert not any("FAILED" in row for row in body), result.stdout
    # It states its measure against a baseline or a target.
    assert any(row.split("|")[4].strip() or row.split("|")[6].strip() for row in body), result.stdout


def test_the_list_above_is_every_benchmark_the_runner_has():
    command = [sys.executable, "-m", "benchmarks.run", "--help"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert f"(repeatable): {', '.join(BENCHMARKS)} " in " ".join(result.stdout.split())
