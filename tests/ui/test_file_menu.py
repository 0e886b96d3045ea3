"""File ▸ Open Store…, Connect to Cluster… and Open Recent."""

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from support.waiting import WAIT_MS
from support.window import visible_dialog

from app.repo import open_repo

# File dialogs and message boxes fix their size when shown, which the offscreen
# platform reports as unsupported; that warning is the platform's.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def elsewhere(tmp_path):
    """Another embedded store, with one quote."""
    path = tmp_path / "elsewhere.db"
    other = open_repo(path, create=True)
    quote = other.insert("Kept", "In the other store.")
    other.close()
    return path, quote


def choose(qtbot, window, action, path):
    action.trigger()
    dialog = visible_dialog(window, QFileDialog)
    dialog.selectFile(str(path))
    dialog.accept()


def recent_entries(window) -> list[str]:
    menu = window.stores.recent_menu
    menu.aboutToShow.emit()
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_open_store_shows_another_store_and_remembers_it(qtbot, open_window, repo, db, elsewhere, settings):
    path, kept = elsewhere
    mine = repo.insert("Mine", "In the first store.")
    window = open_window(repo)
    assert recent_entries(window) == [f"&1 {db}", "&Clear List"]

    choose(qtbot, window, window.action_set.open_store, path)

    qtbot.waitUntil(lambda: window.model.index_of(kept.id).isValid(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.connection == "Connected", timeout=WAIT_MS)
    assert not window.model.index_of(mine.id).isValid()
    assert str(path) in window.status.store_label.text()
    assert recent_entries(window) == [f"&1 {path}", f"&2 {db}", "&Clear List"]

    # Open Recent brings the first store back.
    next(a for a in window.stores.recent_menu.actions() if a.text() == f"&2 {db}").trigger()
    qtbot.waitUntil(lambda: window.model.index_of(mine.id).isValid(), timeout=WAIT_MS)
    assert recent_entries(window)[:2] == [f"&1 {db}", f"&2 {path}"]

    # The list is in the settings: another window lists the same.
    other = open_window(repo, settings=settings)
    assert recent_entries(other)[:2] == [f"&1 {db}", f"&2 {path}"]
    next(a for a in other.stores.recent_menu.actions() if a.text() == "&Clear List").trigger()
    assert recent_entries(other) == ["No recent stores"]


def test_a_file_that_is_not_a_store_is_refused_with_a_message_naming_it(qtbot, open_window, repo, tmp_path):
    mine = repo.insert("Mine", "Still shown.")
    notes = tmp_path / "notes.db"
    notes.write_text("my shopping list\n" * 100)
    window = open_window(repo)

    choose(qtbot, window, window.action_set.open_store, notes)

    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)), timeout=WAIT_MS)
    box = visible_dialog(window, QMessageBox)
    assert box.text().startswith(f"Quotes could not open the store {notes}.")
    assert "not a Quotes store" in box.text()
    box.reject()
    assert notes.read_text() == "my shopping list\n" * 100
    assert window.model.index_of(mine.id).isValid() and window.connection == "Connected"
    assert all(str(notes) not in entry for entry in recent_entries(window))


def test_connect_to_cluster_with_a_file_that_is_not_a_cluster_file_says_so(
    qtbot, open_window, repo, tmp_path
):
    mine = repo.insert("Mine", "Still shown.")
    bogus = tmp_path / "fdb.cluster"
    bogus.write_text("this is not a cluster file\n")
    window = open_window(repo)

    choose(qtbot, window, window.action_set.connect_cluster, bogus)

    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)), timeout=WAIT_MS)
    box = visible_dialog(window, QMessageBox)
    assert box.text().startswith(f"Quotes could not open the cluster file {bogus}.")
    box.reject()
    assert window.model.index_of(mine.id).isValid() and window.connection == "Connected"
