"""A signal that lands while Python runs a finaliser is neither printed nor lost.

Python cannot let an exception leave a ``__del__`` or a weak reference's
callback: it prints "Exception ignored in ..." with a traceback and goes on.
Found by the 100-run signal test (an ``add`` printed that traceback, then
finished). The command line keeps such a signal pending instead, and its next
checkpoint stops the command before it writes.
"""

from __future__ import annotations

import gc
import signal

import pytest

from app.cli import signals
from app.cli.signals import Interrupted


class _CutByASignal:
    def __del__(self) -> None:
        raise Interrupted(signal.SIGINT)


def test_a_signal_raised_in_a_finaliser_is_kept_for_the_next_checkpoint(capsys):
    with signals.installed():
        _CutByASignal()
        gc.collect()
        with pytest.raises(Interrupted) as stopped:
            signals.checkpoint()
    assert stopped.value.signum == signal.SIGINT
    assert capsys.readouterr().err == ""
