"""Real processes a test starts: always reaped, their output read with a timeout."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import threading
from typing import IO, Any

from support.engines import ROOT
from support.waiting import WAIT_S


class LineReader:
    """Reads a stream's lines on a thread, so a test can wait for one with a timeout."""

    def __init__(self, stream: IO[str]) -> None:
        self._lines: queue.Queue[str] = queue.Queue()
        self._pumping = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._pumping.start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put("")  # the end of the stream

    def next_line(self, timeout: float = WAIT_S) -> str:
        """The next line; ``""`` once the stream has ended."""
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line within {timeout} s") from None

    def next_json(self, timeout: float = WAIT_S) -> Any:
        line = self.next_line(timeout)
        assert line, "the stream ended"
        return json.loads(line)

    def wait_for(self, pattern: str, timeout: float = WAIT_S) -> str:
        """The next line matching ``pattern`` (the lines before it are dropped)."""
        while True:
            line = self.next_line(timeout)
            assert line, f"the stream ended before a line matching {pattern!r}"
            if re.search(pattern, line):
                return line

    def rest(self) -> list[str]:
        """Every line left, once the stream ends."""
        lines = []
        while line := self.next_line():
            lines.append(line)
        return lines


class Processes:
    """Starts processes for one test; ``stop_all`` kills what still runs and reaps it."""

    def __init__(self) -> None:
        self._started: list[subprocess.Popen[str]] = []

    def start(self, argv: list[str], **popen: Any) -> subprocess.Popen[str]:
        """Start ``argv`` with stdout and stderr piped (text) unless ``popen`` says otherwise."""
        options: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "cwd": ROOT}
        process = subprocess.Popen(argv, text=True, **(options | popen))
        self._started.append(process)
        return process

    def stop_all(self) -> None:
        for process in self._started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=WAIT_S)
            for stream in (process.stdin, process.stdout, process.stderr):
                if stream is not None:
                    stream.close()


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) process ``pid`` has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
