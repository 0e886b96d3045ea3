"""The ``quotes`` program: the command line, and the window when asked for.

The command line (``app.cli``) and the window (``app.ui``) are siblings that
never import each other; this entry point sits above both and hands the
window to the command line, imported only when it is opened (commands never
load Qt).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.cli import main as run_command


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(argv, open_window=_open_window)


def _open_window(**where: str | None) -> int:
    from app.ui.app import run_gui

    status: int = run_gui(**where)
    return status
