"""How long a test waits for something that must happen.

One budget for the whole suite: long enough for a machine whose cores are all
busy with something else, never a measure of speed (tests wait on a condition
and return as soon as it holds; only a failing test waits this long).
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Callable

#: Seconds to wait for a condition.
WAIT_S = 30.0
#: The same in milliseconds, as Qt's and pytest-qt's waits take it.
WAIT_MS = int(WAIT_S * 1000)


def until_process_shows(process: subprocess.Popen[str], condition: Callable[[], bool]) -> bool:
    """Wait until ``condition()`` holds of a running process (something only /proc
    tells, with no event to wait on): between looks, wait on the process itself,
    so its end stops the wait at once. False if it ended first; fails after ``WAIT_S``."""
    deadline = time.monotonic() + WAIT_S
    while not condition():
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.002)
            return False
        assert time.monotonic() < deadline, "the process never showed it"
    return True
