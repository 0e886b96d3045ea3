"""The ``quotes`` program: the command line, and the window when asked for.

The command line (``app.cli``) and the window (``app.ui``) are siblings that
never import each other; this entry point sits above both and hands the
window to the command line, imported only when it is opened (commands never
load Qt).

Before anything else is imported, SIGINT, SIGTERM and SIGHUP are only noted
(``app.early_signals``): one that comes while Python loads the program is no
traceback, and the command line acts on it once it runs.
"""

from __future__ import annotations

from app import early_signals

early_signals.remember()

from collections.abc import Sequence  # noqa: E402  (after the signals are caught)

from app.cli import main as run_command  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run_command(argv, open_window=_open_window)
    finally:
        early_signals.ignore()  # the status is settled: no signal may change it now


def _open_window(**where: str | None) -> int:
    """The window, which handles its own signals; one noted before it opens ends the program."""
    early_signals.release()
    noted = early_signals.take()
    if noted is not None:
        return 128 + noted
    from app.ui.app import run_gui

    status: int = run_gui(**where)
    return status
