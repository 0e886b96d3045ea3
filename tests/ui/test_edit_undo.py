"""Edit (F2, double-click), undo (Ctrl+Z, the notice's button), the context menu and copy."""

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu
from support.waiting import WAIT_MS
from support.window import is_pending, notice, shown_likes, visible_dialog

from app.ui.add_dialog import QuoteDialog
from app.ui.confirm_dialog import ConfirmDeleteDialog

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def quote(repo, other_writer):
    quote = repo.insert("Seneca", "Luck is what happens when preperation meets opportunity.")
    other_writer.like(quote.id, 3)
    return repo.get(quote.id)


def focus(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    window.view.setFocus()


def key(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    focus(qtbot, window)
    qtbot.keyClick(window.view, key, modifier)


class Watcher:
    """``quotes watch --json`` in another process, its lines collected as they come."""

    def __init__(self, db):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app", "--db", str(db), "watch", "--json"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.events = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.events.append(json.loads(line))

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=WAIT_MS / 1000)
        self._reader.join(timeout=WAIT_MS / 1000)
        self.process.stdout.close()


@pytest.mark.e2e
def test_f2_edits_in_place_and_others_see_it(qtbot, open_window, repo, db, quote):
    window = open_window(repo)
    other = open_window(repo)
    watcher = Watcher(db)
    try:
        qtbot.waitUntil(lambda: bool(watcher.events), timeout=WAIT_MS)
        assert watcher.events[0]["event"] == "snapshot"
        window.select(quote.id)
        key(qtbot, window, Qt.Key.Key_F2)
        dialog = visible_dialog(window, QuoteDialog)
        assert dialog.windowTitle() == "Edit Quote" and dialog.ok.text() == "&Save"
        assert dialog.content.toPlainText() == quote.content
        assert dialog.author.text() == "Seneca"
        assert dialog.hint.text() == "" and not dialog.ok.isEnabled()  # nothing changed yet
        dialog.content.selectAll()
        qtbot.keyClicks(dialog.content, "Luck is what happens when preparation meets opportunity.")
        with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
            qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        saved = repo.get(quote.id)
        assert saved.content == "Luck is what happens when preparation meets opportunity."
        assert (saved.likes, saved.inserted_at) == (3, quote.inserted_at)
        qtbot.waitUntil(
            lambda: (
                other.model.index_of(quote.id)
                .data(Qt.ItemDataRole.DisplayRole)
                .startswith("Luck is what happens when preparation")
            ),
            timeout=WAIT_MS,
        )
        assert shown_likes(other, quote.id) == 3
        qtbot.waitUntil(lambda: any(e["event"] == "update" for e in watcher.events), timeout=WAIT_MS)
        update = next(e for e in watcher.events if e["event"] == "update")
        assert update["id"] == quote.id and update["quote"]["content"] == saved.content
    finally:
        watcher.stop()


def test_double_click_edits_but_not_on_the_like_button(qtbot, open_window, repo, quote):
    window = open_window(repo)
    index = window.model.index_of(quote.id)
    rect = window.view.visualRect(index)
    button = window.delegate.like_button_rect(index)

    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=button.center())
    assert not [d for d in window.findChildren(QuoteDialog) if d.isVisible()]

    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.topLeft() + QPoint(40, 30))
    dialog = visible_dialog(window, QuoteDialog)
    assert dialog.author.text() == "Seneca"
    dialog.reject()


def test_an_edit_that_races_a_delete_elsewhere_says_so(qtbot, open_window, repo, other_writer, quote):
    window = open_window(repo)
    window.select(quote.id)
    window.action_set.edit.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    qtbot.keyClicks(dialog.author, " the Younger")

    other_writer.delete(quote.id)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "deleted" in dialog.hint.text(), timeout=WAIT_MS)
    assert dialog.isVisible() and not dialog.ok.isEnabled()
    assert dialog.author.text() == "Seneca the Younger", "the text is kept"
    assert repo.get(quote.id) is None
    dialog.reject()


def test_ctrl_z_brings_a_deleted_quote_back_with_its_id_likes_and_times(qtbot, open_window, repo, quote):
    window = open_window(repo)
    window.select(quote.id)
    key(qtbot, window, Qt.Key.Key_Delete)
    qtbot.mouseClick(visible_dialog(window, ConfirmDeleteDialog).delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: notice(window) == "Quote deleted.", timeout=WAIT_MS)
    assert repo.get(quote.id) is None
    assert window.action_set.undo.text() == "&Undo Delete “Luck is what happens…”"
    qtbot.waitUntil(lambda: not window.model.index_of(quote.id).isValid(), timeout=WAIT_MS)

    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: window.model.index_of(quote.id).isValid(), timeout=WAIT_MS)
    back = repo.get(quote.id)
    assert (back.id, back.likes, back.inserted_at, back.content) == (
        quote.id,
        3,
        quote.inserted_at,
        quote.content,
    )
    qtbot.waitUntil(lambda: window.selected_id() == quote.id, timeout=WAIT_MS)
    assert not window.action_set.undo.isEnabled()


def test_the_notice_undo_button_undoes_an_edit(qtbot, open_window, repo, quote):
    window = open_window(repo)
    window.select(quote.id)
    window.action_set.edit.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    dialog.author.setText("Somebody else")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: notice(window) == "Quote edited.", timeout=WAIT_MS)
    assert repo.get(quote.id).author == "Somebody else"

    qtbot.mouseClick(window.status.undo_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: repo.get(quote.id).author == "Seneca", timeout=WAIT_MS)
    assert repo.get(quote.id).likes == 3


# The offscreen platform can neither raise a menu nor grab the keyboard for it.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_context_menu_offers_copy_like_edit_delete(qtbot, open_window, repo, quote):
    window = open_window(repo)
    rect = window.view.visualRect(window.model.index_of(quote.id))
    window.view.customContextMenuRequested.emit(rect.topLeft() + QPoint(40, 30))
    menus = [m for m in QApplication.topLevelWidgets() if isinstance(m, QMenu) and m.isVisible()]
    assert len(menus) == 1
    labels = [a.text() for a in menus[0].actions()]
    assert labels == ["&Copy", "&Like", "&Edit…", "&Delete…"]
    assert window.selected_id() == quote.id

    next(a for a in menus[0].actions() if a.text() == "&Like").trigger()
    menus[0].close()
    qtbot.waitUntil(lambda: repo.get(quote.id).likes == 4, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not is_pending(window, quote.id), timeout=WAIT_MS)


def test_ctrl_c_copies_the_selected_quote(qtbot, open_window, repo, quote):
    window = open_window(repo)
    window.select(quote.id)
    QGuiApplication.clipboard().clear()
    key(qtbot, window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == f"“{quote.content}”\n— Seneca"
    assert window.statusBar().currentMessage() == "Copied “Luck is what happens…” to the clipboard."


def test_undo_and_redo_name_the_action_and_redo_a_delete_and_an_edit(qtbot, open_window, repo, quote):
    window = open_window(repo)
    actions = window.action_set
    assert actions.undo.text() == "&Undo" and not actions.undo.isEnabled()
    assert actions.redo.text() == "&Redo" and not actions.redo.isEnabled()
    window.select(quote.id)

    # Edit, then undo it from the keyboard: "Undone." as for a delete.
    key(qtbot, window, Qt.Key.Key_F2)
    dialog = visible_dialog(window, QuoteDialog)
    dialog.author.setText("Seneca the Younger")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: notice(window) == "Quote edited.", timeout=WAIT_MS)
    assert actions.undo.text() == "&Undo Edit “Luck is what happens…”"
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: repo.get(quote.id).author == "Seneca", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Undone.", timeout=WAIT_MS)
    assert actions.redo.isEnabled() and actions.redo.text() == "&Redo Edit “Luck is what happens…”"

    # Redo (Ctrl+Shift+Z) writes the edit again; undo is offered again.
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: repo.get(quote.id).author == "Seneca the Younger", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Redone.", timeout=WAIT_MS)
    assert not actions.redo.isEnabled() and actions.undo.text().startswith("&Undo Edit")

    # Delete, undo, redo: the quote goes again, the selection to another card.
    # (Once the list shows the redone edit: a delete names the version shown.)
    qtbot.waitUntil(lambda: "Seneca the Younger" in window.model.index_of(quote.id).data(), timeout=WAIT_MS)
    window.select(quote.id)
    key(qtbot, window, Qt.Key.Key_Delete)
    qtbot.mouseClick(visible_dialog(window, ConfirmDeleteDialog).delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: repo.get(quote.id) is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: actions.undo.text().startswith("&Undo Delete"), timeout=WAIT_MS)
    actions.undo.trigger()
    qtbot.waitUntil(lambda: window.selected_id() == quote.id, timeout=WAIT_MS)
    assert actions.redo.text() == "&Redo Delete “Luck is what happens…”"
    actions.redo.trigger()
    qtbot.waitUntil(lambda: repo.get(quote.id) is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.model.index_of(quote.id).isValid(), timeout=WAIT_MS)
    assert window.selected_id() != quote.id
    assert window.statusBar().currentMessage() == "Redone."

    # A new action empties Redo.
    actions.undo.trigger()
    qtbot.waitUntil(lambda: window.model.index_of(quote.id).isValid(), timeout=WAIT_MS)
    assert actions.redo.isEnabled()
    window.select(quote.id)
    key(qtbot, window, Qt.Key.Key_Delete)
    qtbot.mouseClick(visible_dialog(window, ConfirmDeleteDialog).delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: repo.get(quote.id) is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not actions.redo.isEnabled(), timeout=WAIT_MS)


def test_a_quote_with_an_ampersand_is_named_as_written_in_the_edit_menu(qtbot, open_window, repo):
    quote = repo.insert("Anon", "Salt & pepper")
    window = open_window(repo)
    window.select(quote.id)
    key(qtbot, window, Qt.Key.Key_Delete)
    qtbot.mouseClick(visible_dialog(window, ConfirmDeleteDialog).delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.action_set.undo.isEnabled(), timeout=WAIT_MS)
    assert window.action_set.undo.text() == "&Undo Delete “Salt && pepper”"
    assert window.action_set.undo.iconText() == "Undo Delete “Salt & pepper”"
