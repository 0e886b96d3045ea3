"""Help, accessible names, contrast, the toolbar at 480 px with large fonts, the sync label."""

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMessageBox, QToolBar
from support.waiting import WAIT_MS
from support.window import visible_dialog

import app
from app.ui.colours import MIN_CONTRAST, contrast, secondary
from app.ui.help import ShortcutsDialog

PALETTES = {  # the screenshots' light and dark palettes, and Qt's plain ones
    "light": ("#1d2026", "#ffffff", "#eef0f3"),
    "dark": ("#e8eaee", "#272a30", "#1c1e22"),
    "plain light": ("#000000", "#ffffff", "#efefef"),
    "plain dark": ("#ffffff", "#2d2d2d", "#323232"),
}


def focus(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    window.view.setFocus()


def test_f1_lists_the_keyboard_shortcuts(qtbot, open_window, repo):
    window = open_window(repo)
    focus(qtbot, window)
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    dialog = visible_dialog(window, ShortcutsDialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    for keys, what in (("Ctrl+F", "Find"), ("F2", "Edit"), ("Ctrl+Z", "Undo"), ("L", "Like")):
        assert texts[texts.index(keys) + 1] == what
    dialog.reject()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_about_names_the_version_store_and_engine(qtbot, open_window, repo):
    window = open_window(repo)
    window.action_set.about.trigger()
    box = visible_dialog(window, QMessageBox)
    text = box.text()
    assert app.__version__ in text and "SQLite" in text and "https://" in text
    assert str(repo.store.path) in text
    box.reject()


def test_boxes_have_names_and_the_status_dot_is_not_read(open_window, repo):
    window = open_window(repo)
    assert window.action_set.sort_box.accessibleName() == "Sort"
    assert window.action_set.collection_box.accessibleName() == "Collection"
    labels = window.status.connection_widget.findChildren(QLabel)
    assert [label.text() for label in labels if label.text()] == ["Connected"]
    assert any(label.pixmap() and not label.pixmap().isNull() for label in labels)


@pytest.mark.parametrize("name", list(PALETTES))
def test_secondary_text_keeps_4_5_to_1(name):
    text, base, window = (QColor(c) for c in PALETTES[name])
    for background in (base, window):
        assert contrast(secondary(text, background), background) >= MIN_CONTRAST


def test_the_detail_times_are_readable(qtbot, open_window, repo):
    window = open_window(repo)
    label = window.detail.times
    palette = label.palette()
    assert (
        contrast(palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window))
        >= MIN_CONTRAST
    )


def test_at_480_px_and_a_large_font_no_caption_is_orphaned(qtbot, open_window, repo, qapp):
    saved = qapp.font()
    big = QFont(saved)
    big.setPointSizeF(max(saved.pointSizeF(), 9) * 2)
    qapp.setFont(big)
    try:
        window = open_window(repo)
        window.resize(480, 600)
        QApplication.processEvents()
        toolbar = window.findChild(QToolBar)
        for box in toolbar.findChildren(QComboBox):
            caption = next(c for c in toolbar.findChildren(QLabel) if c.buddy() is box)
            assert caption.parent() is box.parent(), "a caption travels with its box"
            assert caption.isVisibleTo(window) == box.isVisibleTo(window)
    finally:
        qapp.setFont(saved)


def test_the_sync_label_says_what_it_means(qtbot, open_window, repo, other_writer):
    window = open_window(repo)
    label = window.status.sync_label
    assert label.text() == "Up to date"
    other_writer.insert("Someone", "A change.")
    qtbot.waitUntil(lambda: label.text().startswith("Last change "), timeout=WAIT_MS)
    assert re.fullmatch(r"Last change \d\d:\d\d", label.text())


def test_the_list_is_announced_as_a_list_with_a_like_action_per_card(qtbot, open_window, repo):
    from PySide6.QtGui import QAccessible

    quote = repo.insert("Heraclitus", "Everything flows.")
    window = open_window(repo)
    face = QAccessible.queryAccessibleInterface(window.view)
    assert face.role() == QAccessible.Role.List
    assert face.childCount() == 1
    card = face.child(0)
    assert card.role() == QAccessible.Role.ListItem
    assert card.text(QAccessible.Text.Name) == "Everything flows., by Heraclitus, 0 likes, added just now"
    action = card.actionInterface()
    assert action.actionNames() == ["Like"]

    action.doAction("Like")

    qtbot.waitUntil(lambda: repo.get(quote.id).likes == 1, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: (
            card.text(QAccessible.Text.Name) == "Everything flows., by Heraclitus, 1 like, added just now"
        ),
        timeout=WAIT_MS,
    )
