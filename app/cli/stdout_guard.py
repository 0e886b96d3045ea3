"""Standard output that is written whole, or fails saying how much of it was written.

A backup is only worth what its exit status promises, so every byte a command
prints goes straight to the file descriptor (no buffer that a later flush, or
the interpreter's exit, could fail to write) in a loop that checks each
``write(2)``: a short write is continued, and an error ends the command with
``OutputFailed``, which names the error and counts the bytes that did reach
the output. A closed pipe (``EPIPE``) is status 141, as the shell reports a
program that SIGPIPE ended; any other error (a full disk, an I/O error, a
non-blocking descriptor that would block) is status 1.

Text is written as UTF-8. A stream without a file descriptor (a ``StringIO``
when a test runs a command in its own process) is written as text.
"""

from __future__ import annotations

import io
import os
from typing import TextIO

_CLOSED_STATUS = 128 + 13  # SIGPIPE


class OutputFailed(Exception):
    """Standard output could not be written whole: exit 1, or 141 when its reader closed it."""

    def __init__(self, reason: str, written: int, *, closed: bool, cut_line: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        #: Bytes that reached the output, and whether the last line there is incomplete.
        self.written = written
        self.cut_line = cut_line
        self.status = _CLOSED_STATUS if closed else 1
        #: What the command had finished ("exported 3 of 10 quotes"), for the report.
        self.done = ""

    def __str__(self) -> str:
        how_much = f"{self.written:,} byte{'' if self.written == 1 else 's'} written"
        if self.cut_line:
            how_much += ", the last line incomplete"
        done = f"; {self.done}" if self.done else ""
        return f"{self.reason} ({how_much}){done}"


class GuardedStdout:
    """Where a command's output goes: ``write`` returns only once every byte is written."""

    def __init__(self, stream: TextIO) -> None:
        stream.flush()  # anything written to it before goes first
        self._stream = stream
        self._fd = _descriptor(stream)
        #: Bytes written so far, and of them how many follow the last line end.
        self.written = 0
        self.in_line = 0

    def write(self, text: str) -> int:
        data = text.encode("utf-8", "backslashreplace")
        if self._fd is None:
            self._stream.write(text)
            self._count(data)
        else:
            self._write_all(self._fd, data)
        return len(text)

    def flush(self) -> None:
        """Nothing to do: every write is already complete."""

    def _write_all(self, fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                count = os.write(fd, view)
            except BrokenPipeError:
                raise self._failed("the program reading the output closed it", closed=True) from None
            except OSError as exc:
                raise self._failed(f"cannot write the output: {exc.strerror}") from None
            if count <= 0:
                raise self._failed("cannot write the output: nothing more could be written")
            self._count(view[:count])
            view = view[count:]

    def _count(self, data: bytes | memoryview) -> None:
        self.written += len(data)
        last_end = bytes(data).rfind(b"\n")
        self.in_line = len(data) - 1 - last_end if last_end >= 0 else self.in_line + len(data)

    def _failed(self, reason: str, *, closed: bool = False) -> OutputFailed:
        return OutputFailed(reason, self.written, closed=closed, cut_line=self.in_line > 0)


def _descriptor(stream: TextIO) -> int | None:
    try:
        return stream.fileno()
    except (OSError, io.UnsupportedOperation, AttributeError):
        return None
