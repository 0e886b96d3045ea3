"""The detail pane: the whole quote, selectable, following another process's likes and delete."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from support.waiting import WAIT_MS

from app.ui.dates import relative
from app.ui.detail import GONE

ROOT = Path(__file__).resolve().parents[2]
LONG = "Words upon words, and then some more words. " * 100  # 4,400 characters


def quotes_command(qtbot, db, *args):
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=WAIT_MS)
    _, err = process.communicate()
    assert process.returncode == 0, err


def open_details(qtbot, window, quote_id):
    window.select(quote_id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    qtbot.waitUntil(window.detail_dock.isVisible, timeout=WAIT_MS)
    return window.detail


def test_enter_shows_the_whole_quote_selectable(qtbot, open_window, repo):
    quote = repo.insert("Prolix", LONG.strip())
    window = open_window(repo)
    pane = open_details(qtbot, window, quote.id)

    qtbot.waitUntil(lambda: pane.text.toPlainText() == quote.content, timeout=WAIT_MS)
    assert pane.text.isReadOnly()
    assert pane.text.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert pane.author.text() == "— Prolix"
    assert pane.likes.text() == "0 likes"
    assert pane.times.text().startswith("Added just now")
    assert window.action_set.details.isChecked()


@pytest.mark.e2e
def test_the_pane_follows_likes_and_the_delete_from_another_process(qtbot, open_window, repo, db):
    quote = repo.insert("Heraclitus", "Everything flows.")
    other = repo.insert("Parmenides", "Nothing changes.")
    window = open_window(repo)
    pane = open_details(qtbot, window, quote.id)
    qtbot.waitUntil(lambda: pane.author.text() == "— Heraclitus", timeout=WAIT_MS)

    quotes_command(qtbot, db, "like", quote.id)
    qtbot.waitUntil(lambda: pane.likes.text() == "1 like", timeout=WAIT_MS)

    quotes_command(qtbot, db, "delete", quote.id)
    qtbot.waitUntil(lambda: not window.model.index_of(quote.id).isValid(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: pane.state.isVisible() and pane.state.text() == GONE, timeout=WAIT_MS)
    assert pane.text.toPlainText() == "Everything flows.", "the text stays to read or copy"

    window.select(other.id)  # selecting again follows the new quote
    qtbot.waitUntil(lambda: pane.author.text() == "— Parmenides", timeout=WAIT_MS)
    assert not pane.state.isVisible()


def test_the_pane_shows_edits_as_they_happen(qtbot, open_window, repo, other_writer):
    quote = repo.insert("Anon", "First draft.")
    window = open_window(repo)
    pane = open_details(qtbot, window, quote.id)
    qtbot.waitUntil(lambda: pane.text.toPlainText() == "First draft.", timeout=WAIT_MS)
    other_writer.update(quote.id, content="Second draft.")
    qtbot.waitUntil(lambda: pane.text.toPlainText() == "Second draft.", timeout=WAIT_MS)
    assert "Edited just now" in pane.times.text()


def test_relative_dates():
    now = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
    assert relative(now - timedelta(seconds=30), now) == "just now"
    assert relative(now - timedelta(minutes=1), now) == "1 minute ago"
    assert relative(now - timedelta(hours=5), now) == "5 hours ago"
    assert relative(now - timedelta(days=1, hours=2), now) == "yesterday"
    assert relative(now - timedelta(days=3), now) == "3 days ago"
    assert relative(datetime(2024, 3, 12, 12, 0, tzinfo=UTC), now).endswith("Mar 2024")


def test_the_pane_shows_user_text_as_typed(qtbot, open_window, repo):
    img = "<img src='/etc/hosts'><b>Boss</b>"
    quote = repo.insert(img, "<h1>Obey</h1>")
    window = open_window(repo)
    pane = open_details(qtbot, window, quote.id)
    qtbot.waitUntil(lambda: pane.author.text() == f"— {img}", timeout=WAIT_MS)
    assert pane.author.textFormat() == Qt.TextFormat.PlainText
    assert pane.text.toPlainText() == "<h1>Obey</h1>"
