"""An Offline window writes nothing, says it is not up to date, and Reopen reads a store put back."""

import logging
import shutil
import sqlite3

import pytest
from PySide6.QtCore import Qt
from support.waiting import WAIT_MS
from support.window import is_pending

from app.repo import open_repo


@pytest.fixture
def backup(repo, db, tmp_path):
    """A quote, and a backup of the store made with SQLite's online backup."""
    quote = repo.insert("Epictetus", "It's not what happens to you, but how you react to it that matters.")
    copy = tmp_path / "backup.db"
    source, target = sqlite3.connect(db), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    return quote, copy


def test_offline_disables_every_write_and_reopen_reads_a_backup_put_back(
    qtbot, open_window, repo, db, backup, caplog
):
    caplog.set_level(logging.DEBUG, logger="app.client.collection_names")
    quote, copy = backup
    window = open_window(repo)
    window.select(quote.id)
    actions = window.action_set
    assert actions.like.isEnabled() and actions.add.isEnabled()

    db.unlink()  # the store is removed under the window...
    qtbot.waitUntil(lambda: window.connection == "Offline", timeout=WAIT_MS)
    writes = actions.writing_actions()
    assert [a.text() for a in writes if a.isEnabled()] == []
    assert not window.status.undo_button.isEnabled()
    assert window.status.sync_label.text() == "Not up to date"
    # The collections are retried while offline; the warning is said once, not every retry.
    qtbot.waitUntil(
        lambda: sum(r.getMessage().startswith("could not list") for r in caplog.records) >= 2,
        timeout=WAIT_MS,
    )
    listing = [r for r in caplog.records if r.getMessage().startswith("could not list the collections")]
    assert [r.levelno for r in listing][:2] == [logging.WARNING, logging.DEBUG]

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_L)  # the Like shortcut does nothing now, and says why
    assert not is_pending(window, quote.id) and not window.lists.search_bar.isVisible()
    assert window.statusBar().currentMessage().startswith("The store is offline: nothing was written")
    window.statusBar().clearMessage()
    rect = window.view.itemDelegate().like_button_rect(window.model.index_of(quote.id))
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert not is_pending(window, quote.id)
    assert "offline" in window.statusBar().currentMessage()

    shutil.copy(copy, db)  # ...and a backup copied back to the same path
    bar = window.lists.store_gone
    qtbot.mouseClick(bar.reopen_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.connection == "Connected", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.model.index_of(quote.id).isValid(), timeout=WAIT_MS)
    assert not bar.isVisible()
    assert window.status.sync_label.text() == "Up to date"
    assert window.select(quote.id)
    assert actions.like.isEnabled() and actions.add.isEnabled()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: not is_pending(window, quote.id), timeout=WAIT_MS)
    restored = open_repo(db)
    try:
        assert restored.get(quote.id).likes == 1  # written to the file put back
    finally:
        restored.close()
