"""Ctrl+C, SIGTERM, SIGHUP and a closed pipe: honest exit statuses and an exact report.

An interrupted import or export exits 130 (SIGINT), 143 (SIGTERM) or 129
(SIGHUP) and says how much it had done, which is exactly what the store or
the output holds (an import, all or nothing, takes back what it had
committed); ``watch`` ends with 0; a reader that goes away ends the command
with 141 and one line saying how much was written.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from support.cli import cli_env
from support.engines import ROOT
from support.processes import LineReader
from support.waiting import WAIT_S, until_process_shows

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


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)]
)
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
    assert written[-1].endswith("\n"), "no partial line after the last one counted"


@pytest.mark.e2e
@pytest.mark.parametrize("reader", ["head -1", "head -c 100"])
def test_a_reader_that_goes_away_ends_export_with_141_saying_how_much_was_written(
    file_cli, many_quotes, tmp_path, reader
):
    errors = tmp_path / "stderr"
    shell = subprocess.run(
        [
            "bash",
            "-c",
            f'"$@" 2>{errors} | {reader}; status="${{PIPESTATUS[0]}}"; echo; echo "$status"',
            "bash",
            *file_cli.argv("export"),
        ],
        capture_output=True,
        text=True,
        timeout=WAIT_S,
        cwd=ROOT,
        env=cli_env(),
    )
    assert shell.stdout.splitlines()[-1] == "141"
    [error] = errors.read_text().splitlines()
    assert re.fullmatch(
        r"quotes: the program reading the output closed it \([\d,]+ bytes written(, the last line "
        r"incomplete)?\); exported [\d,]+ of 3,000 quotes",
        error,
    ), error


@pytest.mark.e2e
def test_an_output_that_cannot_be_written_is_one_line_and_exit_1(file_cli, many_quotes):
    with open("/dev/full", "w") as full:
        result = file_cli.program("export", stdout=full, stderr=subprocess.PIPE, capture_output=False)
    assert result.status == 1
    assert result.stderr == (
        "quotes: cannot write the output: No space left on device (0 bytes written); "
        "exported 0 of 3,000 quotes\n"
    )


@pytest.mark.e2e
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
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


def _blocked_writing_to_a_pipe(pid: int) -> bool:
    return "pipe_write" in Path(f"/proc/{pid}/wchan").read_text()


@pytest.mark.e2e
def test_ctrl_c_twice_while_blocked_on_a_pipe_nobody_reads_counts_only_whole_lines(start, many_quotes):
    """The first Ctrl+C waits for the line being written; the second stops inside it,
    and the report counts only the lines written whole and says a part of one follows."""
    process = start("export")
    assert until_process_shows(process, lambda: _blocked_writing_to_a_pipe(process.pid))
    while process.poll() is None:  # until one lands after the first was noted
        process.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.1)
    written = process.stdout.read()
    assert process.returncode == 130
    whole = written.count("\n")
    assert process.stderr.read() == (
        f"quotes: interrupted: exported {whole:,} of 3,000 quotes"
        f"{' and part of the next' if not written.endswith(chr(10)) else ''}\n"
    )


@pytest.mark.e2e
def test_watch_whose_reader_went_away_ends_with_141(file_cli, processes):
    file_cli.ok("seed")
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end, "w") as stdout:
        process = processes.start(file_cli.argv("watch", "--json"), env=cli_env(), stdout=stdout)
    assert process.wait(timeout=WAIT_S) == 141
    [error] = process.stderr.read().splitlines()
    assert error == "quotes: the program reading the output closed it (0 bytes written)"


_FULL_DISK = """
mount -t tmpfs -o size=1m tmpfs "$1" || exit 99
out="$1/backup.jsonl"; shift
"$@" > "$out"
echo "$?"; wc -c < "$out"; tr -cd '\\n' < "$out" | wc -l; tail -c 1 "$out" | wc -l
"""


@pytest.mark.e2e
def test_an_export_into_a_file_system_that_fills_up_exits_1_counting_what_it_holds(
    file_cli, many_quotes, tmp_path
):
    """A real 1 MiB file system (a tmpfs in a user namespace of the test's own) and a 3 MB export."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) is not installed")
    (tmp_path / "small").mkdir()
    done = subprocess.run(
        [
            unshare,
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            _FULL_DISK,
            "sh",
            str(tmp_path / "small"),
        ]
        + file_cli.argv("export"),
        capture_output=True,
        text=True,
        timeout=WAIT_S,
        cwd=ROOT,
        env=cli_env(),
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs in a user namespace here: {done.stderr.strip()}")
    status, size, lines, ends_a_line = (int(n) for n in done.stdout.split())
    assert status == 1
    assert 0 < size <= 2**20
    assert done.stderr == (
        f"quotes: cannot write the output: No space left on device ({size:,} bytes written"
        f"{'' if ends_a_line else ', the last line incomplete'}); "
        f"exported {lines:,} of 3,000 quotes\n"
    )
