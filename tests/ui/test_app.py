"""run_gui: the real entry point, with qasync driving the loop, in this process."""

import os
import sys

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from support.cli import Cli, new_store

from app.client.runtime import GIL_SWITCH_S
from app.repo import open_repo
from app.ui.app import application, run_gui
from app.ui.roles import AuthorRole
from app.ui.window import MainWindow


def every(ms, action):
    """Call ``action`` every ``ms`` until it returns True: run_gui runs its own event loop."""
    timer = QTimer(interval=ms)

    def tick():
        if action():
            timer.stop()

    timer.timeout.connect(tick)
    timer.start()
    return timer


def test_first_run_seeds_shows_the_samples_and_exits_0_when_closed(qapp, db):
    seen = []

    def close_when_loaded():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or windows[0].model.rowCount() < 2:
            return False
        model = windows[0].model
        seen.extend(sorted(model.index(row).data(AuthorRole) for row in range(model.rowCount())))
        windows[0].close()
        return True

    timer = every(20, close_when_loaded)
    assert run_gui(db=db) == 0
    timer.stop()
    assert seen == ["Heraclitus", "René Descartes"]

    again = every(20, close_when_loaded)  # a second run does not seed again
    assert run_gui(db=db) == 0
    again.stop()
    repo = open_repo(db)
    assert len(repo.read_all()) == 2
    repo.close()


# QMessageBox fixes its own size when shown, which the offscreen platform
# reports as unsupported; that warning is the platform's, not ours.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_a_file_that_is_not_a_store_is_an_error_message_and_status_1(qapp, tmp_path):
    not_a_store = tmp_path / "notes.txt"
    not_a_store.write_text("my shopping list\n" * 100)
    messages, formats = [], []

    def dismiss_error():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return False
        messages.append(box.text())
        formats.append(box.textFormat())
        box.reject()
        return True

    timer = every(20, dismiss_error)
    assert run_gui(db=not_a_store) == 1
    timer.stop()
    assert messages and messages[0].startswith("Quotes could not open its store.")
    assert formats == [Qt.TextFormat.PlainText]  # the message holds a path
    assert not_a_store.read_text() == "my shopping list\n" * 100


def test_the_application_keeps_fills_on_the_gui_thread(qapp, monkeypatch):
    interval = sys.getswitchinterval()
    try:
        monkeypatch.delenv("QT_NO_GUI_THREADPOOL", raising=False)
        assert application([]) is qapp
        assert os.environ["QT_NO_GUI_THREADPOOL"] == "1"
        assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_S)
        assert not qapp.quitOnLastWindowClosed()
    finally:
        sys.setswitchinterval(interval)


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_an_unknown_collection_is_named_in_the_window_and_on_stderr_with_status_2(qapp, db, capsys):
    repo = open_repo(db, create=True)
    repo.close()
    messages = []

    def dismiss_error():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return False
        messages.append(box.text())
        box.reject()
        return True

    timer = every(20, dismiss_error)
    assert run_gui(db=db, tenant="Reading list") == 2
    timer.stop()
    line = (
        "this store has no collection named 'Reading list' (it has: default); "
        "make it with: quotes tenants create 'Reading list'"
    )
    assert messages == [line]
    assert capsys.readouterr().err == f"quotes: {line}\n"


def test_a_window_on_an_imported_store_adds_no_sample_quotes(qapp, db, tmp_path):
    lines = tmp_path / "quotes.jsonl"
    lines.write_text("".join(f'{{"author": "A{n}", "content": "Imported {n}."}}\n' for n in range(5)))
    imported = Cli.on_file(new_store(db)).run("import", str(lines))
    assert imported.status == 0, imported.stderr
    shown = []

    def close_when_loaded():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or windows[0].connection != "Connected" or windows[0].model.rowCount() < 5:
            return False
        shown.append(windows[0].model.rowCount())
        windows[0].close()
        return True

    timer = every(20, close_when_loaded)
    assert run_gui(db=db) == 0
    timer.stop()
    repo = open_repo(db)
    assert len(repo.read_all()) == 5 and shown == [5]
    repo.close()
