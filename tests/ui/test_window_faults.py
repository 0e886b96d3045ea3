"""The store's folder deleted under a running window: it says so and loses nothing typed."""

import pytest
from PySide6.QtCore import Qt
from support.folders import delete_folder as delete_store_folder
from support.waiting import WAIT_MS
from support.window import is_pending, shown_likes, visible_dialog

from app.ui.add_dialog import QuoteDialog


@pytest.fixture
def db(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    return folder / "q.db"


@pytest.fixture
def gone(repo, db):
    """A window on a quote, and then the store's folder deleted under it."""

    def delete_folder() -> None:
        delete_store_folder(db.parent)

    return delete_folder


def test_a_like_that_cannot_be_saved_is_rolled_back_and_the_window_shows_offline(
    qtbot, open_window, repo, gone
):
    quote = repo.insert("A", "liked while the store vanishes")
    window = open_window(repo)
    window.select(quote.id)
    gone()

    window.action_set.like.trigger()
    assert is_pending(window, quote.id)  # shown at once
    # The window may learn that the store is gone from its live feed first.
    qtbot.waitUntil(lambda: not is_pending(window, quote.id), timeout=WAIT_MS)
    assert shown_likes(window, quote.id) == 0
    assert window.connection == "Offline"
    assert "deleted or moved" in window.statusBar().currentMessage()


def test_an_add_that_cannot_be_saved_keeps_the_dialog_and_the_text(qtbot, open_window, repo, gone):
    window = open_window(repo)
    gone()

    window.action_set.add.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    qtbot.keyClicks(dialog.content, "Words worth keeping.")
    qtbot.keyClicks(dialog.author, "Someone")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: dialog.hint.text().startswith("Not saved"), timeout=WAIT_MS)
    assert dialog.isVisible()
    assert dialog.content.toPlainText() == "Words worth keeping."
    assert dialog.author.text() == "Someone"
    assert dialog.ok.isEnabled(), "the user can try again"
    assert window.connection == "Offline"
    dialog.reject()


def test_an_add_refused_while_the_store_is_away_succeeds_on_retry(qtbot, open_window, repo, db):
    window = open_window(repo)
    away = db.parent.with_name("away")
    db.parent.rename(away)

    window.action_set.add.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    qtbot.keyClicks(dialog.content, "Patience.")
    qtbot.keyClicks(dialog.author, "Someone")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.hint.text().startswith("Not saved"), timeout=WAIT_MS)

    away.rename(db.parent)
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert [(q.author, q.content) for q in repo.read_all()] == [("Someone", "Patience.")]
    qtbot.waitUntil(lambda: window.connection == "Connected", timeout=WAIT_MS)


def test_closing_the_dialog_while_it_saves_is_harmless(qtbot, open_window, repo):
    window = open_window(repo)
    window.action_set.add.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    qtbot.keyClicks(dialog.content, "Gone before saved.")
    qtbot.keyClicks(dialog.author, "Someone")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    dialog.reject()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Quote added.", timeout=WAIT_MS)
    assert [q.content for q in repo.read_all()] == ["Gone before saved."]


def test_a_store_whose_file_is_gone_says_where_and_can_be_reopened(qtbot, open_window, repo, db):
    quote = repo.insert("A", "Still here after the move back.")
    window = open_window(repo)
    bar = window.lists.store_gone
    away = db.parent.with_name("away")
    db.parent.rename(away)

    qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
    assert window.connection == "Offline"
    assert str(db) in bar.message.text() and "deleted or moved" in bar.message.text()

    away.rename(db.parent)
    qtbot.mouseClick(bar.reopen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.connection == "Connected", timeout=WAIT_MS)
    assert not bar.isVisible()
    assert window.model.index_of(quote.id).isValid()


# The file dialog fixes its size when shown, which the offscreen platform reports as unsupported.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_open_another_store_when_the_file_is_gone(qtbot, open_window, repo, db, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from app.repo import open_repo

    elsewhere = tmp_path / "elsewhere.db"
    other = open_repo(elsewhere, create=True)
    kept = other.insert("Kept", "In the other store.")
    other.close()
    window = open_window(repo)
    delete_store_folder(db.parent)
    qtbot.waitUntil(window.lists.store_gone.isVisible, timeout=WAIT_MS)  # noticed by itself

    qtbot.mouseClick(window.lists.store_gone.other_button, Qt.MouseButton.LeftButton)
    dialog = visible_dialog(window, QFileDialog)
    dialog.selectFile(str(elsewhere))
    dialog.accept()

    qtbot.waitUntil(lambda: window.model.index_of(kept.id).isValid(), timeout=WAIT_MS)
    # The newest quotes are shown first; connected once the whole store is read.
    qtbot.waitUntil(lambda: window.connection == "Connected", timeout=WAIT_MS)
    assert str(elsewhere) in window.status.store_label.text()
    assert not window.lists.store_gone.isVisible()


def test_an_edit_while_the_store_is_away_is_refused_and_keeps_the_text(qtbot, open_window, repo, gone):
    quote = repo.insert("A", "edited while the store vanishes")
    window = open_window(repo)
    window.select(quote.id)
    gone()

    window.action_set.edit.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    qtbot.keyClicks(dialog.author, "nother")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: dialog.hint.text().startswith("Not saved: the store is offline"), timeout=WAIT_MS)
    assert "nothing was written" in dialog.hint.text()
    assert dialog.isVisible() and dialog.author.text() == "Another"
    assert window.connection == "Offline"
    dialog.reject()
