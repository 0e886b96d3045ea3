"""Process B with the window: the real ``MainWindow`` on a store, offscreen, instrumented.

``python -m benchmarks.gui_probe MODE DB [ARG]`` (DB: a store file, or a
cluster tenant as ``benchmarks._stores`` names it, ``fdb:CLUSTER_FILE:TENANT``) builds what ``run_gui``
builds (its ``application()`` and ``EventLoop``, ``MainWindow`` following the store with a
live collection) and answers on stdout, one line each:

- ``painted T ROWS RSS PEAK``: the first paint of the list that drew quote
  cards (T: monotonic ns once that paint has finished; RSS and PEAK in MB).
  A paint of the list that drew no card does not count: a view that lays the
  list out in batches paints an empty viewport until the whole layout is done;
  the window may paint the newest quotes before the whole collection is read;
- ``whole T ROWS RSS PEAK STALL``: the first paint once the whole collection
  is in the model, in its order (after ``painted``, or at the same paint); STALL: the
  longest the GUI thread was away (ms, gaps of a 1 ms timer) from ``painted``
  to then, reading and applying the rest;
- mode ``latency``: ``ready``, then ``applied LIKES T`` whenever the model
  signals that the quote whose id is ARG changed (T taken inside the model's
  ``dataChanged``);
- mode ``load``: nothing more; ARG, if given, is the sort the window opens in
  (a ``Sort`` value, as the settings store it);
- mode ``bursts``: ``ready``; then on ``start`` it records the gaps between
  the ticks of a 1 ms precise QTimer on the GUI thread and counts the batches
  the window applied to its model, the model's row signals, and the paints
  of the list (and how many of them drew no card though there were quotes:
  blank frames); on ``stop`` it answers
  ``result MAX_GAP_MS P99_GAP_MS TICKS BATCHES SIGNALS ROWS LIKES PAINTS BLANK``
  (LIKES: the sum of the likes the model shows).

Closing its stdin closes the window (cleanly: the window's own shutdown) and
ends the process.
"""

from __future__ import annotations

import time

STARTED_NS = time.monotonic_ns()

import asyncio  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from collections.abc import Coroutine  # noqa: E402
from pathlib import Path  # noqa: E402

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.client import QuoteSession  # noqa: E402
from app.client.order import Sort  # noqa: E402
from app.sync.events import Changes, Snapshot  # noqa: E402
from app.ui.app import application  # noqa: E402
from app.ui.delegate import QuoteDelegate  # noqa: E402
from app.ui.event_loop import EventLoop  # noqa: E402
from app.ui.roles import IdRole, LikesRole  # noqa: E402
from app.ui.window import MainWindow  # noqa: E402
from benchmarks._common import percentile, rss_mb, say  # noqa: E402
from benchmarks._stores import open_spec  # noqa: E402

#: Cards painted by the probe's delegate (the window's, counting its paints).
_cards_painted = 0


class _CountingDelegate(QuoteDelegate):
    def paint(self, painter, option, index) -> None:
        global _cards_painted
        _cards_painted += 1
        super().paint(painter, option, index)


class _Paints(QObject):
    """Watches the paints of the list's viewport: the first that drew cards, and blank ones.

    ``done`` is called once a paint that drew at least one card has finished.
    A paint is blank if it drew no card while the model had rows (counted from
    ``counting = True`` on; a paint is judged when the next one starts, or by
    ``finish``).
    """

    def __init__(self, window: MainWindow, done) -> None:
        super().__init__(window)
        self._window = window
        self._done = done
        self._seen = False
        self.counting = False
        self.paints = self.blank = 0
        self._open: int | None = None  # cards painted before the paint being judged
        #: Called once the next paint of the list has finished.
        self.after_next = None
        window.view.viewport().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.finish()
            if self._window.model.rowCount() > 0:
                self._open = _cards_painted
                if not self._seen:
                    # The paint runs right after this filter returns; a zero timer fires after it.
                    QTimer.singleShot(0, self._check_first)
            if self.after_next is not None:
                QTimer.singleShot(0, self.after_next)
                self.after_next = None
        return False

    def finish(self) -> None:
        """Judge the last paint (if any) and stop judging it."""
        if self._open is not None and self.counting:
            self.paints += 1
            self.blank += _cards_painted == self._open
        self._open = None

    def reset(self) -> None:
        self._open, self.paints, self.blank, self.counting = None, 0, 0, True

    def _check_first(self) -> None:
        if not self._seen and _cards_painted > 0:
            self._seen = True
            self._done()


class _Ticks:
    """Gaps between the ticks of a 1 ms timer: how long the GUI thread was away."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=1)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[int] = []
        self._last = 0

    def start(self) -> None:
        self.gaps = []
        self._last = time.monotonic_ns()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.monotonic_ns()
        self.gaps.append(now - self._last)
        self._last = now


async def _settled(window: MainWindow) -> None:
    """Until the list's layout has stopped changing (a view may lay out in batches)."""
    bar = window.view.verticalScrollBar()
    last, steady = None, 0
    while steady < 5:
        await asyncio.sleep(0.1)
        steady = steady + 1 if bar.maximum() == last else 0
        last = bar.maximum()


async def _main(mode: str, db: str, arg: str | None) -> int:
    loop = asyncio.get_running_loop()
    repo = open_spec(db)
    if mode == "load":
        repo.seed(first_run=True)  # as run_gui does
    settings = temp_settings()
    if mode == "load" and arg is not None:
        settings.setValue("view/sort", Sort(arg).value)
    session = QuoteSession(repo)
    window = MainWindow(session, settings)
    window.view.setItemDelegate(_CountingDelegate(window.view))
    lines = stdin_lines()

    painted = loop.create_future()
    loading = _Ticks()

    def on_painted() -> None:
        stamp = time.monotonic_ns()
        rss, peak = rss_mb()
        say("painted", stamp, window.model.rowCount(), f"{rss:.1f}", f"{peak:.1f}")
        if not painted.done():
            painted.set_result(None)
            if not whole.done():
                loading.start()

    paints = _Paints(window, on_painted)
    whole = loop.create_future()

    def on_whole_painted() -> None:
        stamp = time.monotonic_ns()
        loading.stop()
        rss, peak = rss_mb()
        stall = max(loading.gaps, default=0) / 1e6
        say("whole", stamp, window.model.rowCount(), f"{rss:.1f}", f"{peak:.1f}", f"{stall:.3f}")
        whole.set_result(None)

    read = {"whole": False}

    def whole_read(event) -> None:
        complete = event.complete if isinstance(event, Snapshot) else getattr(event, "completes", False)
        if complete:
            read["whole"] = True
            whole_shown()

    def whole_shown(*_: object) -> None:
        """Once read whole and in its order (worked out a slice at a time), at the next paint."""
        if read["whole"] and not window.model.quotes.ordering and not whole.done():
            read["whole"] = False
            paints.after_next = on_whole_painted
            window.view.viewport().update()  # a whole read the first screen had shown paints nothing new

    session.subscribe(whole_read)
    for shown in (window.model.rowsInserted, window.model.modelReset, window.model.layoutChanged):
        shown.connect(whole_shown)

    if mode == "latency":

        def changed(top, bottom, roles=()) -> None:
            stamp = time.monotonic_ns()
            for row in range(top.row(), bottom.row() + 1):
                index = window.model.index(row)
                if index.data(IdRole) == arg:
                    say("applied", index.data(LikesRole), stamp)

        window.model.dataChanged.connect(changed)

    counts = {"batches": 0, "signals": 0}
    ticks = _Ticks()
    if mode == "bursts":

        def count_batch(event) -> None:
            if isinstance(event, Changes):
                counts["batches"] += 1

        session.subscribe(count_batch)

        def signalled(*_: object) -> None:
            counts["signals"] += 1

        model = window.model
        for signal in (
            model.dataChanged,
            model.rowsInserted,
            model.rowsRemoved,
            model.rowsMoved,
            model.modelReset,
            model.layoutChanged,
        ):
            signal.connect(signalled)

    window.show()
    window.start()
    try:
        await painted
        await whole
        if mode in ("latency", "bursts"):
            await _settled(window)
            say("ready")
        while (line := await lines.get()) is not None:
            if line == "start":
                counts.update(batches=0, signals=0)
                paints.reset()
                ticks.start()
                say("started")
            elif line == "stop":
                ticks.stop()
                paints.finish()
                paints.counting = False
                gaps = ticks.gaps or [0]
                model = window.model
                likes = sum(model.index(row).data(LikesRole) for row in range(model.rowCount()))
                say(
                    "result",
                    f"{max(gaps) / 1e6:.3f}",
                    f"{percentile(gaps, 99) / 1e6:.3f}",
                    len(gaps),
                    counts["batches"],
                    counts["signals"],
                    model.rowCount(),
                    likes,
                    paints.paints,
                    paints.blank,
                )
    finally:
        window.close()
        await window.wait_closed()
    return 0


def temp_settings() -> QSettings:
    """The window's settings in a temporary folder of their own (never the user's)."""
    folder = tempfile.mkdtemp(prefix="quotes-bench-settings-")
    return QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)


def stdin_lines() -> asyncio.Queue[str | None]:
    """The lines of stdin as they come, stripped; None once it is closed."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def read_stdin() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, line.strip())
        loop.call_soon_threadsafe(lines.put_nowait, None)

    threading.Thread(target=read_stdin, daemon=True).start()
    return lines


def run_probe(probe: Coroutine[object, object, int]) -> int:
    """Run a probe's coroutine in the window's event loop (the application made first)."""
    loop = EventLoop(QApplication.instance())
    with loop:
        return loop.run_until_complete(probe)


def main(argv: list[str]) -> int:
    mode, db = argv[0], argv[1]
    arg = argv[2] if len(argv) > 2 else None
    application(sys.argv[:1])
    say("imported", STARTED_NS, time.monotonic_ns())
    return run_probe(_main(mode, db, arg))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
