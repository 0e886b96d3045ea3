"""Ctrl+C, SIGTERM and a closed pipe: honest exit statuses and an exact report.

An interrupted import or export exits 130 (SIGINT) or 143 (SIGTERM) and says
how much it had done, which is exactly what the store or the output holds
(an import, all or nothing, takes back what it had committed);
``watch`` ends with 0; a reader that goes away ends the command quietly with 141.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess

import pytest
from support.cli import cli_env
from support.engines import ROOT
from support.processes import LineReader
from support.waiting import WAIT_S

TOTAL = 20_000


@pytest.fixture
def start(processes, file_cli):
    """Start the real ``quotes --db DB ARGS...`` (reaped after the test)."""
    return lambda *args: processes.start(file_cli.argv(*args), env=cli_env())


@pytest.fixture
def big_import(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(json.dumps({"author": f"A{n}", "content": "x" * 1000}) for n in range(TOTAL)))
    return path


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
@pytest.mark.e2e
def test_an_interrupted_import_takes_back_what_it_committed(file_cli, start, big_import, signum, status):
    file_cli.ok("seed")
    before = file_cli.listed()
    process = start("--log-level", "info", "import", str(big_import))
    stderr = LineReader(process.stderr)
    stderr.wait_for(r"import: \d+ of 20000 quotes committed")
    process.send_signal(signum)
    assert process.wait(timeout=WAIT_S) == status
    errors = [line for line in stderr.rest() if line.startswith("quotes:")]
    assert errors == ["quotes: interrupted: nothing imported (of 20,000 quotes)\n"], errors
    assert file_cli.listed() == before, "all or nothing: the batches committed were taken back"
    assert process.stdout.read() == "", "no count printed: the import did not finish"


@pytest.fixture
def many_quotes(file_cli):
    records = [json.dumps({"author": f"A{n}", "content": "y" * 1000}) for n in range(3000)]
    file_cli.ok("import", "-", stdin="\n".join(records))
    return 3000


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
@pytest.mark.e2e
def test_an_interrupted_export_says_how_many_quotes_it_wrote(start, many_quotes, signum, status):
    # The pipe fills (3 MB of quotes, read one line at a time): the export is mid-way.
    process = start("export")
    stdout = LineReader(process.stdout)
    first = stdout.next_line()
    process.send_signal(signum)
    written = [first, *stdout.rest()]
    assert process.wait(timeout=WAIT_S) == status
    error = process.stderr.read()
    match = re.fullmatch(r"quotes: interrupted: exported ([\d,]+) of 3,000 quotes\n", error)
    assert match, error
    assert int(match[1].replace(",", "")) == len(written) < many_quotes
    assert all(json.loads(line)["content"] == "y" * 1000 for line in written), "whole lines only"


@pytest.mark.e2e
def test_a_reader_that_goes_away_ends_export_quietly_with_141(file_cli, many_quotes, tmp_path):
    errors = tmp_path / "stderr"
    shell = subprocess.run(
        [
            "bash",
            "-c",
            f'"$@" 2>{errors} | head -1; echo "${{PIPESTATUS[0]}}"',
            "bash",
            *file_cli.argv("export"),
        ],
        capture_output=True,
        text=True,
        timeout=WAIT_S,
        cwd=ROOT,
        env=cli_env(),
    )
    first, status = shell.stdout.splitlines()
    assert json.loads(first)["content"] == "y" * 1000
    assert status == "141"
    assert errors.read_text() == ""


@pytest.mark.e2e
def test_an_output_that_cannot_be_written_is_one_line_and_exit_1(file_cli, many_quotes):
    with open("/dev/full", "w") as full:
        result = file_cli.program("export", stdout=full, stderr=subprocess.PIPE, capture_output=False)
    assert result.status == 1
    assert result.stderr == "quotes: cannot write the output: No space left on device\n"


@pytest.mark.e2e
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_watch_ends_normally_when_interrupted(file_cli, start, signum):
    file_cli.ok("seed")
    process = start("watch", "--json")
    assert LineReader(process.stdout).next_json()["event"] == "snapshot"
    process.send_signal(signum)
    assert process.wait(timeout=WAIT_S) == 0
    assert process.stderr.read() == ""


def test_an_uninterrupted_export_exits_0(file_cli, many_quotes):
    result = file_cli.run("export")
    assert result.status == 0 and result.stderr == ""
    assert len(result.stdout.splitlines()) == many_quotes
