"""Ctrl+C, SIGTERM and a closed pipe: honest exit statuses and an exact report.

An interrupted import or export exits 130 (SIGINT) or 143 (SIGTERM) and says
how much it had done, which is exactly what the store or the output holds;
``watch`` ends with 0; a reader that goes away ends the command quietly with 141.
"""

from __future__ import annotations

import json
import queue
import re
import signal
import subprocess
import sys
import threading

import pytest

from tests.cli.conftest import cli_env, listed, ok, run_cli

TOTAL = 20_000


@pytest.fixture
def start(db):
    """Start ``quotes --db DB ARGS...``; killed if still running, and reaped, after the test."""
    started: list[subprocess.Popen] = []

    def run(*args: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "--db", str(db), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
        )
        started.append(process)
        return process

    yield run
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        process.stdout.close()
        process.stderr.close()


def lines_of(stream) -> queue.Queue[str]:
    """The stream's lines, read on a thread, so a test can wait for one with a timeout."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put("")  # end of stream

    threading.Thread(target=pump, daemon=True).start()
    return lines


def wait_for(lines: queue.Queue[str], pattern: str, timeout: float = 60) -> str:
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line matching {pattern!r} within {timeout} s") from None
        assert line, f"the stream ended before a line matching {pattern!r}"
        if re.search(pattern, line):
            return line


def rest_of(lines: queue.Queue[str]) -> list[str]:
    rest = []
    while (line := lines.get(timeout=30)) != "":
        rest.append(line)
    return rest


@pytest.fixture
def big_import(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(
        "\n".join(json.dumps({"author": f"A{n}", "content": "x" * 1000}) for n in range(TOTAL))
    )
    return path


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_import_says_exactly_how_many_quotes_it_committed(db, start, big_import, signum, status):
    ok(db, "seed")
    process = start("--log-level", "info", "import", str(big_import))
    stderr = lines_of(process.stderr)
    wait_for(stderr, r"import: \d+ of 20000 quotes committed")
    process.send_signal(signum)
    assert process.wait(timeout=60) == status
    errors = [line for line in rest_of(stderr) if line.startswith("quotes:")]
    assert len(errors) == 1, errors
    assert "Traceback" not in "".join(errors)
    match = re.fullmatch(r"quotes: interrupted: imported ([\d,]+) of 20,000 quotes\n", errors[0])
    assert match, errors[0]
    imported = int(match[1].replace(",", ""))
    assert 0 < imported < TOTAL
    assert len(listed(db)) == 2 + imported
    assert process.stdout.read() == "", "no count printed: the import did not finish"


@pytest.fixture
def many_quotes(db):
    records = [json.dumps({"author": f"A{n}", "content": "y" * 1000}) for n in range(3000)]
    ok(db, "import", "-", stdin="\n".join(records))
    return 3000


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_export_says_how_many_quotes_it_wrote(db, start, many_quotes, signum, status):
    # The pipe fills (3 MB of quotes, read one line at a time): the export is mid-way.
    process = start("export")
    stdout = lines_of(process.stdout)
    first = stdout.get(timeout=30)
    process.send_signal(signum)
    written = [first, *rest_of(stdout)]
    assert process.wait(timeout=30) == status
    error = process.stderr.read()
    match = re.fullmatch(r"quotes: interrupted: exported ([\d,]+) of 3,000 quotes\n", error)
    assert match, error
    assert int(match[1].replace(",", "")) == len(written) < many_quotes
    assert all(json.loads(line)["content"] == "y" * 1000 for line in written), "whole lines only"


def test_a_reader_that_goes_away_ends_export_quietly_with_141(db, many_quotes, tmp_path):
    errors = tmp_path / "stderr"
    shell = subprocess.run(
        ["bash", "-c", f'"$@" 2>{errors} | head -1; echo "${{PIPESTATUS[0]}}"', "bash",
         sys.executable, "-m", "app", "--db", str(db), "export"],
        capture_output=True, text=True, timeout=60, env=cli_env(),
    )
    first, status = shell.stdout.splitlines()
    assert json.loads(first)["content"] == "y" * 1000
    assert status == "141"
    assert errors.read_text() == ""


def test_an_output_that_cannot_be_written_is_one_line_and_exit_1(db, many_quotes):
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "app", "--db", str(db), "export"],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, env=cli_env(),
        )
    assert result.returncode == 1
    assert result.stderr == "quotes: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_watch_ends_normally_when_interrupted(db, start, signum):
    ok(db, "seed")
    process = start("watch", "--json")
    stdout = lines_of(process.stdout)
    assert json.loads(stdout.get(timeout=30))["event"] == "snapshot"
    process.send_signal(signum)
    assert process.wait(timeout=30) == 0
    assert process.stderr.read() == ""


def test_an_uninterrupted_export_exits_0(db, many_quotes):
    result = run_cli(db, "export")
    assert result.returncode == 0 and result.stderr == ""
    assert len(result.stdout.splitlines()) == many_quotes
