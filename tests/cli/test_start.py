"""A command starts at once: it loads only what it needs (issue 23).

Speed is measured in ``benchmarks/cli_start.py``; this checks what makes
it, on every run: a reading command never loads pydantic (validation),
asyncio (``watch`` only), inotify (watches only) or Qt (the window only); the
window itself loads no pydantic until a dialog validates.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support.cli import cli_env
from support.engines import ROOT

pytestmark = pytest.mark.e2e

HEAVY = ("pydantic", "asyncio", "inotify_simple", "PySide6", "qasync")

PROBE = """
import io, json, sys
from app.main import main
status = main(sys.argv[1:])
print(json.dumps([status, sorted(name for name in {heavy} if name in sys.modules)]), file=sys.stderr)
"""


def _loaded(*argv: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *argv],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=cli_env(),
    )
    status, loaded = json.loads(done.stderr.splitlines()[-1])
    return status, loaded


@pytest.mark.parametrize("command", [["list"], ["list", "--json"], ["export"], ["tenants"], ["like", "ID"]])
def test_a_command_that_validates_nothing_loads_nothing_heavy(file_cli, command):
    quote_id = file_cli.ok("add", "--author", "A", "--content", "C").strip()
    argv = [quote_id if word == "ID" else word for word in command]
    assert _loaded(*file_cli.where, *argv) == (0, [])


def test_add_loads_validation_and_nothing_else(file_cli):
    assert _loaded(*file_cli.where, "add", "--author", "A", "--content", "C") == (0, ["pydantic"])


def test_the_window_starts_without_validation():
    """The window's modules do not load pydantic: its Add dialog does, when it opens."""
    probe = "import sys, app.ui.app, app.ui.window; print('pydantic' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT, env=cli_env()
    )
    assert done.stdout.split() == ["False"], done.stderr
