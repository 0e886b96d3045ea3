"""Signals sent to a real ``quotes`` at a moment of the test's choosing."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from support.waiting import WAIT_S


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
    deadline = time.monotonic() + WAIT_S
    while process.poll() is None:
        if catches(process.pid, signal.SIGHUP):
            return True
        assert time.monotonic() < deadline, "the program never started"
        time.sleep(0.001)
    return False
