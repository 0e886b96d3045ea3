"""The progress line of ``quotes import``: on a terminal only, on stderr.

Redrawn in place at most ten times a second ("importing: 12,000 of 100,000
quotes (12%)"), and cleared when the import ends, so a terminal keeps only
the result; a pipe or a file gets nothing extra. Each committed batch is also
logged at ``--log-level info``, and is where a Ctrl+C stops the import
(``signals.checkpoint``), which then takes back what it wrote.
"""

from __future__ import annotations

import logging
import time
from typing import TextIO

from app.cli import signals
from app.client.transfer import Progress

log = logging.getLogger("app")

_EVERY_S = 0.1
_WORDS = {"checking": "checking", "writing": "importing", "undoing": "taking back"}


class ProgressLine:
    """A ``progress`` callback for ``import_quotes`` that draws on ``stream`` if it is a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = _is_terminal(stream)
        self.drawn = False
        self.last = 0.0

    def __call__(self, step: Progress) -> None:
        if step.stage == "writing":
            log.info("import: %d of %d quotes committed", step.items, step.total_items)
        if step.stage != "undoing":
            signals.checkpoint()
        if self.shown and time.monotonic() - self.last >= _EVERY_S:
            self.last = time.monotonic()
            self._draw(_describe(step))

    def clear(self) -> None:
        """Take the line away (the import ended, however)."""
        if self.drawn:
            self._draw("")
            self.drawn = False

    def _draw(self, text: str) -> None:
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()
        self.drawn = bool(text)


def _describe(step: Progress) -> str:
    words = _WORDS[step.stage]
    if step.total_items:
        return f"{words}: {step.items:,} of {step.total_items:,} quotes ({step.items / step.total_items:.0%})"
    if step.total_bytes:
        return f"{words}: {step.items:,} records ({step.bytes_done / step.total_bytes:.0%})"
    return f"{words}: {step.items:,} records"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
