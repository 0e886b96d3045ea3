"""Process-wide interpreter settings for a window's process, in one place.

A window runs its GUI thread beside the session's store threads, and holds a
whole collection (up to a million quotes) in memory for as long as it shows
it. Two interpreter defaults cost frames there, so the window's process
changes them, here and only here:

- ``start``, once at start-up: the session's threads decode what they read in
  Python, and hand the interpreter back to the GUI thread after 1 ms, not
  Python's 5 ms, so a page streaming in delays a frame by at most about that
  (the longest stall while 100,000 quotes stream in went from 16-17 ms to
  12-13 ms).
- ``collection_loaded``, once a whole collection is in: its quotes live as
  long as the window shows them, so they are moved out of the cyclic
  collector's way (``gc.freeze``); otherwise every full collection would
  walk a million quotes on the GUI thread and stall a frame.

The command line changes neither: it reads and exits.
"""

from __future__ import annotations

import gc
import sys

#: How long another thread may hold the interpreter while the GUI thread waits.
GIL_SWITCH_S = 0.001


def start() -> None:
    """Tune the interpreter for a window's process (call once, before the window opens)."""
    sys.setswitchinterval(GIL_SWITCH_S)


def collection_loaded() -> None:
    """A whole collection was read and is shown: keep the collector off what is alive now."""
    gc.freeze()
