"""The window searching, offscreen and instrumented: ``python -m benchmarks.search_probe DB``.

Opens the real ``MainWindow`` on the store DB (as ``gui_probe`` does), waits
for the whole collection in its order and a settled layout (at most 10 s: at a million
rows the view measures cards while idle for minutes; the search folds the rows'
texts meanwhile), answers ``ready RSS PEAK READ`` (READ: resident memory when
the whole collection was in, before the texts were folded),
then obeys lines on stdin, each answered with one line:

- ``open``: Ctrl+F (the Find action); ``opened``;
- ``word WORD``: types WORD one key at a time into the empty field, each key
  once the answer to the one before is painted, then clears the field;
  ``typed MS...``: milliseconds from each key press to the end of the first
  paint of the matching list that shows the answer to the text typed so far
  (its top: the rows below a long answer's first cards may still be coming in);
- ``fast WORD PAUSE_MS``: types WORD a key every PAUSE_MS (as a fast typist
  does: a key before the answer to the last one), then clears the field;
  ``typed MS...``: for each key, to the first paint of an answer as new as it
  (a key whose answer was superseded by the next key counts until that one's);
- ``floor WORD``: ``floor MS``: one pass of ``query in text`` over the folded
  rows, the least any scan of them costs (the baseline);
- ``stats``: ``stats MAX_GAP_MS RSS PEAK``: the longest the GUI thread was away
  while typing (gaps of a 1 ms precise timer, from ``open`` on), the highest
  resident memory at a painted answer and the process's peak (MB).

Closing its stdin closes the window and ends the process.
"""

from __future__ import annotations

import asyncio
import sys
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest

from app.client import QuoteSession, fold_query
from app.ui.app import application
from app.ui.window import MainWindow
from benchmarks._common import rss_mb, say
from benchmarks._stores import open_spec
from benchmarks.gui_probe import _settled, _Ticks, run_probe, stdin_lines, temp_settings


class _Answers(QObject):
    """Stamps the end of each paint of the search list that shows the answer to the field's text."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._lists = window.lists
        #: (text, monotonic ns) of each answer painted, in order.
        self.painted: list[tuple[str, int]] = []
        self.changed = asyncio.Event()
        #: The highest resident memory (MB) seen at a painted answer.
        self.rss = 0.0
        window.lists.search_view.viewport().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        search = self._lists.search
        if event.type() == QEvent.Type.Paint and self._lists.searching and search.current:
            # The paint runs right after this filter returns; a zero timer fires after it.
            QTimer.singleShot(0, lambda text=search.shown_text: self._stamp(text))
        return False

    def _stamp(self, text: str) -> None:
        if not self.painted or self.painted[-1][0] != text:
            self.painted.append((text, time.monotonic_ns()))
            self.rss = max(self.rss, rss_mb()[0])
            self.changed.set()

    async def until(self, text: str) -> int:
        """The stamp of the first paint of ``text``'s answer (waiting for it)."""
        while True:
            for shown, stamp in self.painted:
                if shown == text:
                    return stamp
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), timeout=300)


async def _type(window: MainWindow, answers: _Answers, word: str, pause_s: float | None) -> list[float]:
    field = window.lists.search_bar.field
    answers.painted.clear()
    pressed: list[tuple[str, int]] = []
    for i, char in enumerate(word):
        pressed.append((word[: i + 1], time.monotonic_ns()))
        QTest.keyClick(field, char)
        if pause_s is None:
            await answers.until(word[: i + 1])
        else:
            await asyncio.sleep(pause_s)
    await answers.until(word)
    latencies = []
    for text, stamp in pressed:
        # The first answer painted for this text or a longer one (typed after it).
        later = [s for shown, s in answers.painted if len(shown) >= len(text) and s >= stamp]
        latencies.append((min(later) - stamp) / 1e6)
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(field, Qt.Key.Key_Backspace)
    await asyncio.sleep(0.2)
    return latencies


async def _main(db: str) -> int:
    loop = asyncio.get_running_loop()
    repo = open_spec(db)
    settings = temp_settings()
    session = QuoteSession(repo)
    window = MainWindow(session, settings)
    lines = stdin_lines()
    whole = loop.create_future()
    quotes = window.model.quotes

    def whole_in_order(*_: object) -> None:
        """Read whole and in its order (the quotes held back while the collection
        streamed in are ordered a slice at a time, then go in at once)."""
        if quotes.complete and not quotes.ordering and not whole.done():
            whole.set_result(None)

    session.subscribe(whole_in_order)
    for signal in (window.model.rowsInserted, window.model.layoutChanged, window.model.modelReset):
        signal.connect(whole_in_order)  # the quotes held back go in
    answers = _Answers(window)
    ticks = _Ticks()
    window.show()
    window.start()
    try:
        await whole
        read = rss_mb()[0]
        try:  # the layout settles in seconds at 100,000; at a million it is measured for minutes
            await asyncio.wait_for(_settled(window), timeout=10)
        except TimeoutError:
            pass
        say("ready", *(f"{mb:.1f}" for mb in (*rss_mb(), read)))
        while (line := await lines.get()) is not None:
            command, *args = line.split()
            if command == "open":
                window.action_set.find.trigger()
                ticks.start()
                say("opened")
            elif command in ("word", "fast"):
                pause = float(args[1]) / 1000 if command == "fast" else None
                latencies = await _type(window, answers, args[0], pause)
                say("typed", *(f"{ms:.3f}" for ms in latencies))
            elif command == "floor":
                texts = window.lists.search._folded  # the rows' folded texts, as the search has them
                query = fold_query(args[0])
                started = time.perf_counter()
                _ = bytes([query in text for text in texts.folded(0, len(texts))])
                say("floor", f"{(time.perf_counter() - started) * 1000:.3f}")
            elif command == "stats":
                ticks.stop()
                peak = rss_mb()[1]
                say("stats", f"{max(ticks.gaps, default=0) / 1e6:.3f}", f"{answers.rss:.1f}", f"{peak:.1f}")
    finally:
        window.close()
        await window.wait_closed()
    return 0


def main(argv: list[str]) -> int:
    application(sys.argv[:1])
    return run_probe(_main(argv[0]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
