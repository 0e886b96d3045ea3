"""A real window on a cluster, reporting what it shows.

``python -m support.cluster_window CLUSTER_FILE TENANT SETTINGS``, with
``tests`` on ``PYTHONPATH`` (``tests/cluster/test_process_kills.py`` does). It
prints one line per thing a person would see change, each with the
``time.monotonic_ns()`` it happened at (CLOCK_MONOTONIC: one clock for the
machine, so a test can subtract its own stamps):

- ``connection WORD NS``: the status bar's word (``Connected``, ``Offline``...);
- ``shown NS``: the window applied a batch of the live collection.

On a line ``dump`` from stdin it prints ``quotes JSON``: every quote it
shows, ``{id: likes}``. It exits when stdin closes.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QSettings  # noqa: E402

from app.client import QuoteSession  # noqa: E402
from app.repo import open_repo  # noqa: E402
from app.ui.app import application  # noqa: E402
from app.ui.event_loop import EventLoop  # noqa: E402
from app.ui.roles import IdRole, LikesRole  # noqa: E402
from app.ui.window import MainWindow  # noqa: E402


def _say(*fields: object) -> None:
    print(*fields, flush=True)


def _shown(window: MainWindow) -> dict[str, int]:
    model = window.model
    return {
        model.index(row).data(IdRole): model.index(row).data(LikesRole) for row in range(model.rowCount())
    }


async def _report(window: MainWindow) -> None:
    shows_connection = window.session.on_connection

    def on_connection(problem: str | None) -> None:
        shows_connection(problem)
        _say("connection", window.connection, time.monotonic_ns())

    window.session.on_connection = on_connection
    window.session.subscribe(lambda _: _say("shown", time.monotonic_ns()))
    window.start()
    loop = asyncio.get_running_loop()
    while command := await loop.run_in_executor(None, sys.stdin.readline):
        if command.strip() == "dump":
            _say("quotes", json.dumps(_shown(window)))


def main() -> None:
    cluster_file, tenant, settings = sys.argv[1:4]
    app = application([])
    repo = open_repo(cluster_file=cluster_file, tenant=tenant)
    window = MainWindow(QuoteSession(repo), QSettings(settings, QSettings.Format.IniFormat))
    window.show()
    loop = EventLoop(app)
    with loop:
        loop.run_until_complete(_report(window))
    os._exit(0)  # the window's store may be waiting on a dead cluster


if __name__ == "__main__":
    main()
