"""Fixtures for the window's tests: offscreen Qt, asyncio on Qt, a real store.

The asyncio loop is the window's (``app.ui.event_loop``, qasync's with timers
that can be cancelled), made the running loop without ``run_forever``:
pytest-qt's ``qtbot.wait*`` spin Qt's event loop, which runs the loop's timers,
so tasks and ``call_soon_threadsafe`` callbacks progress while a test waits.
It is never stopped with ``loop.stop()`` (qasync 0.28 would call
``QApplication.exit()`` outside ``exec()`` and break every later wait).
"""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import asyncio  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from support.waiting import WAIT_MS  # noqa: E402

from app.repo import open_repo  # noqa: E402
from app.ui.event_loop import EventLoop  # noqa: E402


@pytest.fixture(autouse=True)
def _application(qapp):
    """Every UI test runs with the QApplication (models start timers, too)."""
    return qapp


@pytest.fixture(autouse=True, scope="session")
def private_settings(tmp_path_factory):
    """Every QSettings in the tests lives in a temporary directory, never the user's."""
    root = str(tmp_path_factory.mktemp("settings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, root)


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def aio(qapp):
    loop = EventLoop(qapp)
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
    finally:
        asyncio.events._set_running_loop(None)
        loop.close()


@pytest.fixture
def repo(db):
    repo = open_repo(db, create=True)
    yield repo
    repo.close()


@pytest.fixture
def other_writer(db, repo):
    """A second connection to the same store: someone else editing."""
    other = open_repo(db)
    yield other
    other.close()


@pytest.fixture
def open_window(qtbot, aio, settings, repo):
    """Open (and at the end close, awaiting its clean-up) windows on a repo.

    It depends on ``repo`` so that the store closes after the windows do.
    """
    from app.client import QuoteSession
    from app.ui.window import MainWindow

    windows = []

    def open_(repo, settings=settings, before_start=None):
        window = MainWindow(QuoteSession(repo), settings)
        windows.append(window)
        window.show()
        if before_start is not None:
            before_start(window)
        window.start()
        # Connected, and the collection whole in its order (worked out a slice at a time).
        qtbot.waitUntil(
            lambda: window.connection == "Connected" and not window.model.quotes.ordering, timeout=WAIT_MS
        )
        return window

    yield open_
    for window in windows:
        closed = asyncio.ensure_future(window.wait_closed())
        window.close()
        qtbot.waitUntil(closed.done, timeout=WAIT_MS)
