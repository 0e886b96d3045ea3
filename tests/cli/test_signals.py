"""The exit status tells the truth whenever a signal comes (real processes, random moments).

From the first instant the program's own code runs (it catches SIGHUP then;
before it, the interpreter is still starting and nothing is done), a signal
never shows a traceback, ``watch`` ends with 0, and a command that writes
exits 0 and prints what it wrote if and only if it wrote it: a script that
retries on a non-zero status never writes twice.

An import is all or nothing: interrupted, it leaves nothing.

``add`` runs 20 times here and 100 times with ``-m slow``, a few at once, each
interrupted at a random moment of its run.
"""

from __future__ import annotations

import json
import random
import re
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from support.cli import Cli, cli_env, new_store
from support.engines import ROOT
from support.signals import wait_until_ours
from support.waiting import WAIT_S

pytestmark = pytest.mark.e2e

AT_ONCE = 4


@dataclass(frozen=True)
class Run:
    number: int
    status: int
    stdout: str
    stderr: str


def interrupted_at_random(cli: Cli, args: list[str], signum: int, span: float, number: int) -> Run:
    """Run ``quotes ARGS`` and send ``signum`` at a random moment of its first ``span`` seconds."""
    process = subprocess.Popen(
        cli.argv(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(), cwd=ROOT
    )
    if wait_until_ours(process):
        time.sleep(random.uniform(0, span))  # the random moment, not a wait for something
        if process.poll() is None:
            process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=WAIT_S)
    return Run(number, process.returncode, stdout, stderr)


def many(runs: int, one) -> list[Run]:
    with ThreadPoolExecutor(AT_ONCE) as pool:
        return list(pool.map(one, range(runs)))


def span_of(cli: Cli, args: list[str]) -> float:
    """How long the command runs, once its own code started, when ``AT_ONCE`` run together
    (the longest of them, and some more): the signals are spread over it."""

    def one(_: int) -> float:
        process = subprocess.Popen(
            cli.argv(*args), stdout=subprocess.PIPE, text=True, env=cli_env(), cwd=ROOT
        )
        wait_until_ours(process)
        started = time.monotonic()
        process.communicate(timeout=WAIT_S)
        return time.monotonic() - started

    with ThreadPoolExecutor(AT_ONCE) as pool:
        return max(pool.map(one, range(AT_ONCE))) * 1.3


@pytest.mark.parametrize("runs", [20, pytest.param(100, marks=pytest.mark.slow)])
def test_add_interrupted_at_random_exits_0_exactly_when_its_quote_was_stored(file_cli, runs):
    span = span_of(file_cli, ["add", "--author", "Calibration", "--content", "Measured."])
    results = many(
        runs,
        lambda n: interrupted_at_random(
            file_cli, ["add", "--author", "Run", "--content", f"Run {n}"], signal.SIGINT, span, n
        ),
    )
    stored = {q["content"]: q["id"] for q in file_cli.listed() if q["author"] == "Run"}
    for run in results:
        assert "Traceback" not in run.stderr, run
        if f"Run {run.number}" in stored:
            assert (run.status, run.stdout) == (0, stored[f"Run {run.number}"] + "\n"), run
        else:
            assert (run.status, run.stdout, run.stderr) == (130, "", "quotes: interrupted\n"), run
    outcomes = sorted({run.status for run in results})
    print(f"{runs} runs over {span:.2f} s: {len(stored)} stored, statuses {outcomes}")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_watch_ends_with_0_from_its_first_instant(file_cli, signum):
    file_cli.ok("seed")
    results = many(AT_ONCE, lambda n: interrupted_at_random(file_cli, ["watch", "--json"], signum, 0.3, n))
    for run in results:
        assert (run.status, run.stderr) == (0, ""), run
        for line in run.stdout.splitlines():
            json.loads(line)  # whole lines only


def test_import_interrupted_at_random_is_all_or_nothing(tmp_path):
    records = "\n".join(json.dumps({"author": f"A{n}", "content": "w" * 200}) for n in range(3000))
    (tmp_path / "in.jsonl").write_text(records)
    clis = [Cli.on_file(new_store(tmp_path / f"{n}.db")) for n in range(8)]
    span = span_of(Cli.on_file(new_store(tmp_path / "span.db")), ["import", str(tmp_path / "in.jsonl")])
    results = many(
        8,
        lambda n: interrupted_at_random(
            clis[n], ["import", str(tmp_path / "in.jsonl")], signal.SIGINT, span, n
        ),
    )
    for run in results:
        stored = len(clis[run.number].listed())
        assert "Traceback" not in run.stderr, run
        if run.status == 0:
            assert (run.stdout, stored) == ("3000\n", 3000), run
            continue
        assert (run.status, run.stdout, stored) == (130, "", 0), run
        assert re.fullmatch(r"quotes: interrupted(: nothing imported \(of 3,000 quotes\))?\n", run.stderr), (
            run
        )
