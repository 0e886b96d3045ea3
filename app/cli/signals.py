"""Ctrl+C, SIGTERM and SIGHUP: a command stops and its exit status says what it had done.

The three signals raise ``Interrupted``, whose exit status is the one a shell
gives a process the signal ended (130 for SIGINT, 143 for SIGTERM, 129 for
SIGHUP). A command that works in steps (import commits batches, export writes
lines) runs them inside ``deferred()``: a signal is remembered and raised at
the next ``checkpoint()``, between two steps, so what the command reports as
done is exactly what was committed or written, never a step cut in half. A
write of one step (``add``, ``like``, ...) runs inside ``deferred()`` with its
report, and no checkpoint: a signal that comes while it commits lets it
finish and say so.

Once a ``deferred()`` block ends normally, or the command's outcome is known
(``settle()``), the outcome is **settled**: signals are then noted and
ignored, so a signal that arrives after a write committed, while the command
prints or exits, can never turn its success into a failure that a script
would retry (and so write twice). A second signal while one is pending still
stops at once, so a step that hangs (a store that does not answer) cannot
trap the user; a transaction it cuts is rolled back.

A signal that came before the handlers were installed (while the program
started) is taken from ``app.early_signals`` and raised at the first
``checkpoint()``.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from app import early_signals

#: The signals that stop a command (``watch`` too, normally: exit 0).
SIGNALS = early_signals.SIGNALS


class Interrupted(BaseException):
    """The user (SIGINT), the system (SIGTERM) or a closed terminal (SIGHUP) asked the command to stop."""

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
    settled = False
    pending: int | None = None


def _raise_or_remember(signum: int, _frame: object) -> None:
    if _State.settled:
        return
    if _State.deferring and _State.pending is None:
        _State.pending = signum
    else:
        raise Interrupted(signum)


@contextmanager
def installed() -> Iterator[None]:
    """Inside, SIGINT, SIGTERM and SIGHUP raise ``Interrupted``; the handlers found are
    put back afterwards, so a command run in-process leaves its caller's as they were.

    Only the main thread can receive signals: in another thread this does nothing.
    """
    _State.deferring, _State.settled, _State.pending = False, False, early_signals.take()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {signum: signal.signal(signum, _raise_or_remember) for signum in SIGNALS}
    hook_before, sys.unraisablehook = sys.unraisablehook, _keep_unraisable_signal(sys.unraisablehook)
    try:
        yield
    finally:
        _State.settled = True  # restoring the handlers is not a moment to raise
        sys.unraisablehook = hook_before
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _keep_unraisable_signal(
    hook: Callable[[sys.UnraisableHookArgs], object],
) -> Callable[[sys.UnraisableHookArgs], object]:
    """A signal raised while Python ran a finaliser (``__del__``, a weak reference's
    callback) cannot leave it: Python prints it as "Exception ignored" and goes on.
    Instead it is kept pending, and the next ``checkpoint()`` raises it."""

    def handle(unraisable: sys.UnraisableHookArgs) -> object:
        if isinstance(unraisable.exc_value, Interrupted):
            _State.pending = _State.pending or unraisable.exc_value.signum
            return None
        return hook(unraisable)

    return handle


@contextmanager
def deferred() -> Iterator[None]:
    """Signals inside are raised only at ``checkpoint()``. Ended normally, the work is
    done: the outcome is settled (a signal pending then, or later, is ignored)."""
    _State.deferring = True  # one already pending stays so, for the first checkpoint
    try:
        yield
    except BaseException:
        _State.deferring, _State.pending = False, None
        raise
    _State.settled = True


def settle() -> None:
    """The command's outcome is known: from now on a signal changes nothing."""
    _State.settled = True


def pending() -> bool:
    """Whether a signal came inside ``deferred()`` that no checkpoint has raised yet."""
    return _State.pending is not None


def checkpoint() -> None:
    """Raise ``Interrupted`` if a signal came since the last step."""
    signum, _State.pending = _State.pending, None
    if signum is not None:
        raise Interrupted(signum)
