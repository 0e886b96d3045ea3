"""Ctrl+C, SIGTERM and SIGHUP before the command line takes over, and after it is done.

Python raises ``KeyboardInterrupt`` wherever a SIGINT lands, and SIGTERM and
SIGHUP end the process at once: while the interpreter imports the program
that is a traceback, or an exit status that contradicts what the command
then reports. The program's entry point calls ``remember()`` before it
imports anything else: from then on these signals are only noted. The
command line asks ``take()`` for one that came before it installed its own
handlers (``app.cli.signals``) and stops at once, nothing done (``watch``
ends normally, exit 0); when it returns, its outcome is settled, and
``ignore()`` makes the signals change nothing while the interpreter exits.
"""

from __future__ import annotations

import signal
import threading

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

_received: list[int] = []


def _note(signum: int, _frame: object) -> None:
    _received.append(signum)


def remember() -> None:
    """From now on SIGINT, SIGTERM and SIGHUP are noted, not acted on (main thread only)."""
    if threading.current_thread() is threading.main_thread():
        for signum in SIGNALS:
            signal.signal(signum, _note)


def take() -> int | None:
    """The first signal noted since the last ``take()``, if any."""
    first = _received[0] if _received else None
    _received.clear()
    return first


def ignore() -> None:
    """The program's outcome is settled: ignore these signals while the interpreter exits
    (it gives a signal it handled back its default effect, which would end the process
    with the signal's status after the command reported success)."""
    if threading.current_thread() is threading.main_thread():
        for signum in SIGNALS:
            signal.signal(signum, signal.SIG_IGN)


def release() -> None:
    """Give the signals back their usual effect (for the window, which handles its own)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
