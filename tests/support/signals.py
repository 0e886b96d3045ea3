"""Signals sent to a real ``quotes`` at a moment of the test's choosing."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from support.waiting import until_process_shows


def catches(pid: int, signum: int) -> bool:
    """Whether the process has a handler for ``signum`` (its ``SigCgt`` mask in /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    mask = next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(mask, 16) >> (signum - 1) & 1)


def wait_until_ours(process: subprocess.Popen[str]) -> bool:
    """Wait until the program's own code runs (it catches SIGHUP, which Python alone does
    not): the first instant a signal can be answered by it rather than by the interpreter.
    False if the process ended first."""
    return until_process_shows(process, lambda: catches(process.pid, signal.SIGHUP))
