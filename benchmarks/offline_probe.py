"""A window opened as ``quotes`` opens it, with its offline cache and outbox, offscreen.

``python -m benchmarks.offline_probe DB`` with ``QUOTES_OFFLINE_DIR`` (the
cache and outbox folder) and ``QUOTES_FAULTS=unreachable_file=SWITCH`` set.
It answers on stdout, one line each:

- ``painted T ROWS CONNECTION``: the first paint of the list that drew quote
  cards (T: monotonic ns), the rows then, and the status bar's connection
  word ("Offline — as of …" when opened on the cache while SWITCH exists);
- ``cached``: the collection's cache is whole (written at a cursor);
- on ``like N`` (offline): the window likes the first N quotes shown, as a
  user would (``window.like``), then answers ``queued COUNT`` once the outbox
  holds them; after SWITCH is removed, ``sent T_CONNECTED T_EMPTY``: when the
  window was live again and when its outbox was empty.

Closing its stdin closes the window cleanly and ends the process.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import time
from pathlib import Path

from app.client import offline_cache, open_session
from app.client.offline import store_key
from app.ui.app import application
from app.ui.roles import IdRole
from app.ui.window import MainWindow
from benchmarks._common import say
from benchmarks.gui_probe import _CountingDelegate, _Paints, run_probe, stdin_lines, temp_settings


def _whole(cache: Path) -> bool:
    """Whether the cache file holds the whole collection at a cursor (its meta only)."""
    if not cache.exists():
        return False
    conn = sqlite3.connect(cache)
    try:
        return conn.execute("SELECT value FROM meta WHERE name = 'position'").fetchone() not in (
            None,
            (None,),
        )
    except sqlite3.Error:
        return False
    finally:
        conn.close()


async def _until(condition, step: float = 0.005) -> None:
    while not condition():
        await asyncio.sleep(step)


async def _main(db: str) -> int:
    loop = asyncio.get_running_loop()
    settings = temp_settings()
    session = open_session(db)
    window = MainWindow(session, settings)
    window.view.setItemDelegate(_CountingDelegate(window.view))
    lines = stdin_lines()
    painted = loop.create_future()

    def on_painted() -> None:
        say("painted", time.monotonic_ns(), window.model.rowCount(), window.connection.replace(" ", "_"))
        painted.set_result(None)

    _Paints(window, on_painted)
    window.show()
    window.start()
    outgoing = session.outgoing
    assert outgoing is not None
    try:
        await painted
        await _until(lambda: session.connection is not None, step=0.05)  # read whole, or offline
        if session.connection == "":
            cache = offline_cache.path_for(store_key(session.repo.store), session.tenant)
            await _until(lambda: _whole(cache), step=0.2)
            say("cached")
        while (line := await lines.get()) is not None:
            if line.startswith("like "):
                await _until(lambda: window.model.quotes.complete, step=0.05)  # the whole cache shown
                ids = [window.model.index(row).data(IdRole) for row in range(int(line.split()[1]))]
                for quote_id in ids:
                    window.like(quote_id)
                count = len(ids)
                await _until(lambda: len(outgoing.waiting) == count)  # noqa: B023 (awaited here)
                say("queued", len(outgoing.waiting))
                await _until(lambda: session.connection == "", step=0.001)
                connected = time.monotonic_ns()
                await _until(lambda: not outgoing.waiting, step=0.001)
                say("sent", connected, time.monotonic_ns())
    finally:
        window.close()
        await window.wait_closed()
    return 0


def main(argv: list[str]) -> int:
    application(sys.argv[:1])
    return run_probe(_main(argv[0]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
