"""The desktop entry point: Qt application, asyncio on Qt (qasync), the window.

qasync 0.28 notes: ``run_until_complete`` stops the loop (``QApplication.exit``)
once the window's coroutine ends, and that coroutine ends only after the window
has cancelled and awaited its live task and store calls, so all asyncio
clean-up happens while the loop still runs. The window never uses the loop's
default executor, which ``loop.close()`` would join.
"""

from __future__ import annotations

import logging
import os
import shlex
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.client import (
    InvalidFaults,
    InvalidTenant,
    QuoteSession,
    StoreError,
    UnknownTenant,
    open_session,
    runtime,
)
from app.ui import icons
from app.ui.event_loop import EventLoop
from app.ui.window import MainWindow

log = logging.getLogger(__name__)

NO_DISPLAY = (
    "quotes: no display found (DISPLAY and WAYLAND_DISPLAY are unset); "
    "run the window headless with QT_QPA_PLATFORM=offscreen, "
    "or use the command line (quotes --help)"
)


def has_display(environ=os.environ, platform: str = sys.platform) -> bool:
    """False where Qt would abort for want of a display: Linux, X11 or no platform chosen,
    and neither an X11 nor a Wayland display to talk to."""
    if not platform.startswith("linux"):
        return True
    if environ.get("QT_QPA_PLATFORM", "xcb").split(":")[0] not in ("", "xcb"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def application(argv: list[str]) -> QApplication:
    """The Qt application the window runs in (the one already made, if any), tuned
    for frames that never wait on other threads (the interpreter's settings for
    that are ``app.client.runtime``'s): Qt's raster engine hands big fills (a scroll bar's groove, a window's
      background) to a pool of threads and waits for them. On a busy machine
      waking them costs more than the fill: a 14 x 736 px scroll bar took
      0.7-1.7 ms to paint, 0.08 ms without the pool; a whole empty window,
      1.85 ms against 0.16 ms. ``QT_NO_GUI_THREADPOOL`` (Qt reads it once,
      when it first wants the pool; set to anything, it means no pool) keeps
      fills on the painting thread.
    """
    os.environ["QT_NO_GUI_THREADPOOL"] = "1"
    runtime.start()
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName("Quotes")
    app.setApplicationName("Quotes")
    app.setDesktopFileName("org.quotesapp.Quotes")  # packaging/org.quotesapp.Quotes.desktop
    app.setWindowIcon(icons.app_icon())
    # The loop ends when the window's clean-up is done, not when it is hidden.
    app.setQuitOnLastWindowClosed(False)
    return app


def run_gui(db: str | Path | None = None, cluster_file: str | None = None, tenant: str = "default") -> int:
    """Open the window on a store and run until it is closed; the exit status."""
    if QApplication.instance() is None and not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    app = application(sys.argv[:1])

    try:
        session = open_session(db, cluster_file, tenant)
    except (InvalidTenant, UnknownTenant) as exc:
        # Bad input, as on the command line: one line on stderr, status 2, nothing written.
        line = _no_collection(exc)
        print(f"quotes: {line}", file=sys.stderr)
        _fail(line)
        return 2
    except (StoreError, InvalidFaults) as exc:
        _fail(f"Quotes could not open its store.\n\n{exc}")
        return 1
    loop = EventLoop(app)
    try:
        with loop:
            return loop.run_until_complete(_show(session))
    finally:
        session.release()  # closed already, unless the loop failed first


#: Ctrl+C in the terminal and a session's logout both close the window cleanly.
_CLOSING_SIGNALS = (signal.SIGINT, signal.SIGTERM)


async def _show(session: QuoteSession) -> int:
    window = MainWindow(session, QSettings())
    window.show()
    window.start()
    log.info("window shown: %s, tenant %s", session.store_description, session.tenant)
    previous = {sig: signal.signal(sig, lambda *_: window.close()) for sig in _CLOSING_SIGNALS}
    # Python runs signal handlers only between bytecodes: wake it now and then,
    # and collect garbage on this thread while at it (``runtime.start``).
    ticker = QTimer(interval=250)
    ticker.timeout.connect(runtime.collect_when_due)
    ticker.start()
    try:
        await window.wait_closed()
    finally:
        ticker.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("window closed")
    return 0


def _no_collection(exc: InvalidTenant | UnknownTenant) -> str:
    """What to say when ``--tenant`` names no collection of the store (or no name at all)."""
    if isinstance(exc, InvalidTenant):
        return f"that is not a collection name: {exc}"
    known = ", ".join(exc.known)
    return (
        f"this store has no collection named {exc.name!r} (it has: {known}); "
        f"make it with: quotes tenants create {shlex.quote(exc.name)}"
    )


def _fail(message: str) -> None:
    """An error before the window opens; the message holds a path, so it is plain text."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Quotes", message)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
