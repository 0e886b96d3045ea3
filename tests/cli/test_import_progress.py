"""``quotes import`` shows its progress on a terminal, and nothing extra in a pipe."""

from __future__ import annotations

import json
import os
import pty
import subprocess

import pytest
from support.cli import cli_env
from support.engines import ROOT
from support.waiting import WAIT_S

pytestmark = pytest.mark.e2e


@pytest.fixture
def big_file(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps({"author": f"A{n}", "content": "x" * 200}) for n in range(30_000)))
    return path


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_terminal_sees_a_progress_line_that_is_cleared_at_the_end(file_cli, big_file):
    terminal, other_end = pty.openpty()
    process = subprocess.Popen(
        file_cli.argv("import", str(big_file)),
        stdout=subprocess.PIPE,
        stderr=other_end,
        cwd=ROOT,
        env=cli_env(),
        text=True,
    )
    os.close(other_end)
    shown = _read_all(terminal).decode()
    os.close(terminal)
    assert process.wait(timeout=WAIT_S) == 0
    assert process.stdout is not None
    with process.stdout:
        assert process.stdout.read() == "30000\n"
    assert "of 30,000 quotes" in shown or "records" in shown, shown
    assert shown.endswith("\r\x1b[K"), "the line is cleared: the terminal keeps only the result"


def test_a_pipe_gets_nothing_but_the_count(file_cli, big_file):
    result = file_cli.program("import", str(big_file))
    assert (result.status, result.stdout, result.stderr) == (0, "30000\n", "")
