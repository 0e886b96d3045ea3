"""Ctrl+C and SIGTERM: a command stops and says honestly what it had done.

Both signals raise ``Interrupted``, whose exit status is the one a shell gives
a process the signal ended (130 for SIGINT, 143 for SIGTERM). A command that
works in steps (import commits batches, export writes lines) runs them inside
``deferred()``: a signal is remembered and raised at the next ``checkpoint()``,
between two steps, so what the command reports as done is exactly what was
committed or written, never a step cut in half. A second signal while one is
pending stops at once, so a step that hangs (a store that does not answer)
cannot trap the user; a transaction it cuts is rolled back.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The user (SIGINT) or the system (SIGTERM) asked the command to stop."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        #: What the command had finished, for the one-line report ("" if nothing to say).
        self.done = ""

    @property
    def status(self) -> int:
        return 128 + self.signum


class _State:
    deferring = False
    pending: int | None = None


def _raise_or_remember(signum: int, _frame: object) -> None:
    if _State.deferring and _State.pending is None:
        _State.pending = signum
    else:
        raise Interrupted(signum)


@contextmanager
def installed() -> Iterator[None]:
    """Inside, SIGINT and SIGTERM raise ``Interrupted``; the handlers found are put
    back afterwards, so a command run in-process leaves its caller's as they were.

    Only the main thread can receive signals: in another thread this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {signum: signal.signal(signum, _raise_or_remember) for signum in _SIGNALS}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """Signals inside are raised only at ``checkpoint()``; one left at the end is dropped,
    since the work it would have stopped is done."""
    _State.deferring, _State.pending = True, None
    try:
        yield
    finally:
        _State.deferring, _State.pending = False, None


def checkpoint() -> None:
    """Raise ``Interrupted`` if a signal came since the last step."""
    signum, _State.pending = _State.pending, None
    if signum is not None:
        raise Interrupted(signum)
