"""Output is whole or the command fails: exit 0 means every byte reached the output.

A full disk (``/dev/full`` always answers ENOSPC), a short write (a
non-blocking pipe nobody reads: the kernel takes what fits, then EAGAIN) and a
reader that closed the pipe (EPIPE) each end the command with one line that
says how many bytes were written, status 1 (141 for the closed pipe), and an
export counts only the quotes whose lines were written whole. These run the
command in this process with a real file descriptor as its standard output.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Iterator

import pytest
from support.cli import one_line_error

QUOTES = 300
PIPE_BYTES = 4096


@pytest.fixture
def three_hundred(cli) -> int:
    records = [json.dumps({"author": f"A{n}", "content": "z" * 500}) for n in range(QUOTES)]
    cli.ok("import", "-", stdin="\n".join(records))
    return QUOTES


@pytest.fixture
def full_disk() -> Iterator[object]:
    with open("/dev/full", "w") as full:
        yield full


@pytest.fixture
def unread_pipe() -> Iterator[tuple[object, int]]:
    """A small non-blocking pipe (its write end as a file, its read end) that nobody reads
    while the command runs: a write that does not fit is cut short, then refused."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    os.set_blocking(write_end, False)
    with open(write_end, "w") as stdout:
        try:
            yield stdout, read_end
        finally:
            os.close(read_end)


def drain(read_end: int) -> bytes:
    os.set_blocking(read_end, False)
    chunks = []
    while True:
        try:
            chunk = os.read(read_end, 65536)
        except BlockingIOError:
            return b"".join(chunks)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def bytes_written(line: str) -> int:
    match = re.search(r"\(([\d,]+) bytes? written", line)
    assert match, line
    return int(match[1].replace(",", ""))


@pytest.mark.parametrize("command", [["export"], ["export", "--json"], ["export", "--all"]])
def test_an_export_into_a_full_disk_exits_1_saying_nothing_was_written(
    cli, three_hundred, full_disk, command
):
    line = one_line_error(cli.run_into(full_disk, *command))
    assert line.startswith("quotes: cannot write the output: No space left on device (0 bytes written)")
    assert "exported 0 of" in line


@pytest.mark.parametrize("command", [["list"], ["list", "--json"], ["seed"], ["tenants"], ["--help"]])
def test_every_command_that_prints_fails_on_a_full_disk(cli, three_hundred, full_disk, command):
    line = one_line_error(cli.run_into(full_disk, *command))
    assert "No space left on device (0 bytes written)" in line


def test_a_short_write_counts_exactly_the_bytes_and_whole_quotes_that_reached_the_output(
    cli, three_hundred, unread_pipe
):
    stdout, read_end = unread_pipe
    line = one_line_error(cli.run_into(stdout, "export"))
    got = drain(read_end)
    assert "cannot write the output" in line
    assert bytes_written(line) == len(got) > 0
    whole = got.count(b"\n")
    assert f"; exported {whole} of {QUOTES:,} quotes" in line
    assert ("the last line incomplete" in line) == (not got.endswith(b"\n"))
    assert all(json.loads(record)["content"] == "z" * 500 for record in got.split(b"\n")[:whole])


def test_list_json_cut_short_is_a_failure_not_an_invalid_file(cli, three_hundred, unread_pipe):
    stdout, read_end = unread_pipe
    line = one_line_error(cli.run_into(stdout, "list", "--json"))
    assert bytes_written(line) == len(drain(read_end)) < 300 * 500
    assert "the last line incomplete" in line


def test_a_closed_pipe_is_141_with_one_line_saying_how_much_was_written(cli, three_hundred):
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end, "w") as stdout:
        line = one_line_error(cli.run_into(stdout, "export"), status=141)
    assert "the program reading the output closed it (0 bytes written)" in line


def test_a_whole_export_into_a_real_file_exits_0(cli, three_hundred, tmp_path):
    path = tmp_path / "backup.jsonl"
    with open(path, "w") as stdout:
        result = cli.run_into(stdout, "export")
    assert (result.status, result.stderr) == (0, "")
    assert len(path.read_text().splitlines()) == QUOTES


def test_a_quote_added_whose_id_cannot_be_printed_says_it_was_added(cli, full_disk):
    line = one_line_error(cli.run_into(full_disk, "add", "--author", "A", "--content", "Kept."))
    [quote] = cli.listed()
    assert line.endswith(f"; the quote was added as {quote['id']}")


def test_a_write_whose_report_cannot_be_printed_says_it_was_made(cli, full_disk):
    cli.ok("seed")
    quote_id = cli.listed()[0]["id"]
    line = one_line_error(cli.run_into(full_disk, "delete", quote_id))
    assert line.endswith("; the change was made")
    assert quote_id not in [q["id"] for q in cli.listed()]
