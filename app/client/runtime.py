"""Process-wide interpreter settings for a window's process, in one place.

A window runs its GUI thread beside the session's store threads, and holds a
whole collection (up to a million quotes) in memory for as long as it shows
it. Interpreter defaults cost frames there, or worse, so the window's process
changes them, here and only here:

- ``start``, once at start-up:

  - the session's threads decode what they read in Python, and hand the
    interpreter back to the GUI thread after 1 ms, not Python's 5 ms, so a page
    streaming in delays a frame by at most about that (the longest stall while
    100,000 quotes stream in went from 16-17 ms to 12-13 ms);
  - the cyclic garbage collector runs on the GUI thread only. Python collects
    on whichever thread happens to allocate when a threshold is crossed: in a
    window, often a store thread. A Qt object caught in a reference cycle and
    collected there is destroyed on the wrong thread; its timers cannot be
    stopped from there, and the next tick of one crashes the process (seen in
    the test suite, ``QTimerInfoList::activateTimers`` on a deleted object).
    So automatic collection is off, and the GUI thread calls
    ``collect_when_due`` from a timer, collecting the generations whose
    thresholds were crossed, as Python would have (pyqtgraph's
    ``GarbageCollector`` does the same for the same reason).

- ``collection_loading``, when a collection starts streaming in: every quote
  read survives, so each full collection would walk the growing heap for
  nothing, holding the interpreter (the GUI thread) the while. Collections
  wait until the load ends. The longest stall while 100,000 quotes stream in
  (``benchmarks.run --only load``, on a busy 2-core machine): 67-87 ms with
  the collector running, 20-24 ms freezing the heap after each page (as the
  window did before), 13.8 ms paused.
- ``collection_loaded``, once per ``collection_loading`` when that load ends,
  and after a whole collection read at once: collections resume, and what is
  alive now (the quotes shown, which live as long as the window shows them) is
  moved out of their way (``gc.freeze``), so a full collection later does not
  walk a million quotes on the GUI thread either.

Several windows in one process may load at once: collections resume when the
last load ends. The command line changes none of this: it reads and exits.
"""

from __future__ import annotations

import gc
import sys

#: How long another thread may hold the interpreter while the GUI thread waits.
GIL_SWITCH_S = 0.001

#: Loads under way (``collection_loading`` calls not yet ended).
_loading = 0
#: Automatic collection was on when the first of them began (a process that never
#: called ``start``): it is paused for the load and turned on again after.
_paused = False


def start() -> None:
    """Tune the interpreter for a window's process (call once, on the GUI thread,
    before the window opens; then call ``collect_when_due`` from a GUI timer)."""
    sys.setswitchinterval(GIL_SWITCH_S)
    gc.disable()


def collect_when_due() -> None:
    """Collect, on the calling thread, the generations whose thresholds were
    crossed since the last collection; nothing while a collection loads."""
    if _loading:
        return
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = -1
    for generation in range(3):
        if counts[generation] <= thresholds[generation]:
            break
        due = generation
    if due >= 0:
        gc.collect(due)


def collection_loading() -> None:
    """A collection starts streaming in: no collection until its load ends."""
    global _loading, _paused
    if _loading == 0 and gc.isenabled():
        gc.disable()
        _paused = True
    _loading += 1


def collection_loaded(whole: bool = True) -> None:
    """A load ended (``whole``: the collection is in and shown; else given up).

    Call once per ``collection_loading``, and once after a collection read whole.
    """
    global _loading, _paused
    if _loading:
        _loading -= 1
    if _loading == 0 and _paused:
        _paused = False
        gc.enable()
    if whole:
        gc.freeze()
