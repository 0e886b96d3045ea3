"""A real window that keeps liking one quote: ``python -m tests.reliability.window_worker DB SETTINGS``.

It prints the quote's like count each time the window shows a like as
confirmed (no longer pending: the change came back from the store), so a test
can SIGKILL it at any moment and check nothing confirmed was lost.
"""

from __future__ import annotations

import asyncio
import os
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QSettings  # noqa: E402

from app.client import QuoteSession  # noqa: E402
from app.repo import open_repo  # noqa: E402
from app.ui.app import application  # noqa: E402
from app.ui.event_loop import EventLoop  # noqa: E402
from app.ui.roles import LikesRole, PendingRole  # noqa: E402
from app.ui.window import MainWindow  # noqa: E402


async def like_forever(window: MainWindow, quote_id: str) -> None:
    window.start()
    while window.connection != "Connected":
        await asyncio.sleep(0.005)
    window.select(quote_id)
    while True:
        window.action_set.like.trigger()
        while window.model.index_of(quote_id).data(PendingRole):
            await asyncio.sleep(0.001)
        print(window.model.index_of(quote_id).data(LikesRole), flush=True)


def main() -> None:
    db, settings = sys.argv[1], sys.argv[2]
    app = application([])
    repo = open_repo(db)
    window = MainWindow(QuoteSession(repo), QSettings(settings, QSettings.Format.IniFormat))
    window.show()
    loop = EventLoop(app)
    with loop:
        loop.run_until_complete(like_forever(window, repo.read_all()[0].id))


if __name__ == "__main__":
    main()
