"""The ``quotes`` command in tests: in this process (fast), or as a real program.

``Cli.run`` calls ``app.cli.main`` here with captured streams: use it unless
the test is about the process itself (signals, a closed pipe, a full disk,
file permissions, other processes at once); those run ``Cli.program``,
``start_watch`` or ``Processes.start`` (``Cli.argv``) and are marked ``e2e``.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.store import open_store
from support.engines import ROOT
from support.processes import LineReader, Processes


@dataclass(frozen=True)
class Result:
    status: int
    stdout: str
    stderr: str


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a real ``quotes``: the store its options name, never $FDB_CLUSTER_FILE."""
    env = dict(os.environ)
    env.pop("FDB_CLUSTER_FILE", None)
    return env | extra


def new_store(path: Path) -> Path:
    """An empty embedded store at ``path`` (reading commands refuse a missing one)."""
    open_store(path, create=True).close()
    return path


class Cli:
    """``quotes`` with the options that choose a store (and tenant) given first."""

    def __init__(self, *where: str) -> None:
        self.where = where

    @classmethod
    def on_file(cls, db: Path) -> Cli:
        return cls("--db", str(db))

    def run(self, *args: str, stdin: str | bytes | None = None) -> Result:
        """Run the command in this process; its status and what it wrote."""
        data = stdin.encode() if isinstance(stdin, str) else stdin or b""
        stdout, stderr = io.StringIO(), io.StringIO()
        status = main([*self.where, *args], stdin=io.BytesIO(data), stdout=stdout, stderr=stderr)
        return Result(status, stdout.getvalue(), stderr.getvalue())

    def run_into(self, stdout: Any, *args: str) -> Result:
        """Run the command in this process writing its output to ``stdout`` (a real file:
        a pipe, ``/dev/full``); ``Result.stdout`` is empty, read the file."""
        stderr = io.StringIO()
        status = main([*self.where, *args], stdin=io.BytesIO(), stdout=stdout, stderr=stderr)
        return Result(status, "", stderr.getvalue())

    def ok(self, *args: str, stdin: str | bytes | None = None) -> str:
        """The command's output; it must succeed and say nothing on stderr."""
        result = self.run(*args, stdin=stdin)
        assert (result.status, result.stderr) == (0, ""), result
        return result.stdout

    def listed(self, *tenant: str) -> list[dict[str, Any]]:
        """``list --json`` of the collection (``--tenant NAME`` if given)."""
        return json.loads(self.ok(*tenant, "list", "--json"))

    def argv(self, *args: str) -> list[str]:
        """The real program's command line."""
        return [sys.executable, "-m", "app", *self.where, *args]

    def program(self, *args: str, stdin: str | None = None, timeout: float = 60, **popen: Any) -> Result:
        """Run the real program to its end (``popen``: more ``subprocess.run`` options)."""
        options = {"capture_output": True, "text": True, "cwd": ROOT, "env": cli_env()} | popen
        done = subprocess.run(self.argv(*args), input=stdin, timeout=timeout, **options)
        return Result(done.returncode, done.stdout, done.stderr)


def assert_refused(result: Result, status: int, words: str) -> None:
    """Refused as the command line refuses: the status, one line naming ``words``, no output."""
    assert result.status == status, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert words in lines[0]
    assert result.stdout == ""


def start_watch(
    processes: Processes, cli: Cli, *args: str, log_level: str = "warning", **env: str
) -> tuple[subprocess.Popen[str], LineReader]:
    """A real ``quotes watch ARGS`` (``env``: extra variables), and its output's lines."""
    process = processes.start(cli.argv("--log-level", log_level, "watch", *args), env=cli_env(**env))
    return process, LineReader(process.stdout)  # type: ignore[arg-type]


def one_line_error(result: Result, status: int = 1) -> str:
    """The one line a failed command wrote on stderr (it must have failed with ``status``)."""
    assert result.status == status, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


#: Root ignores file permissions; without these capabilities it obeys them.
_DROP = "-dac_override,-dac_read_search,-fowner"


def run_unprivileged(cli: Cli, *args: str) -> Result:
    """Run the real program so that file permissions apply to it, even under root."""
    argv = cli.argv(*args)
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root and setpriv (util-linux) is not installed")
        argv = [setpriv, f"--inh-caps={_DROP}", f"--bounding-set={_DROP}", "--", *argv]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=ROOT, env=cli_env())
    return Result(done.returncode, done.stdout, done.stderr)
