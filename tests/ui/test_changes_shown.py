"""What changed: a card someone else changed lights up; quotes added above say "N new ↑"."""

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from support.quotes import make_quote
from support.waiting import WAIT_MS
from support.window import is_pending, visible_dialog

from app.sync.events import Changes, Snapshot
from app.ui.model import QuoteListModel
from app.ui.roles import FlashRole, IdRole

ROOT = Path(__file__).resolve().parents[2]


def add_elsewhere(db, n):
    """Another process adds ``n`` quotes (the newest go to the top of the list)."""
    for i in range(n):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "app",
                "--db",
                str(db),
                "add",
                "--author",
                "Newcomer",
                "--content",
                f"Fresh from another process {i}.",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr


def pill_in_sight(window) -> bool:
    """The pill lies wholly inside the list's viewport, and a grab of the list shows
    it there: its middle row painted in the highlight colour (not just "visible")."""
    pill, viewport = window.lists.pill, window.view.viewport()
    if not pill.isVisible():
        return False
    at = viewport.mapFromGlobal(pill.mapToGlobal(QPoint(0, 0)))
    if not viewport.rect().contains(QRect(at, pill.size())):
        return False
    lists = window.lists
    image = lists.grab().toImage()
    origin = lists.mapFromGlobal(pill.mapToGlobal(QPoint(0, 0)))
    highlight = pill.palette().color(QPalette.ColorRole.Highlight)
    y = origin.y() + pill.height() // 2
    painted = [
        image.pixelColor(round(x * image.devicePixelRatio()), round(y * image.devicePixelRatio()))
        for x in range(origin.x() + 4, origin.x() + pill.width() - 4)
    ]
    return sum(colour == highlight for colour in painted) > len(painted) // 4


@pytest.mark.e2e
def test_quotes_added_above_the_viewport_show_a_pill_that_scrolls_to_them(qtbot, open_window, repo, db):
    for n in range(60):
        repo.insert(f"Author {n}", f"Quote {n} " + "words " * (n % 4 * 6))
    window = open_window(repo)
    window.resize(600, 500)
    QApplication.processEvents()
    view, pill = window.view, window.lists.pill
    view.doItemsLayout()
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    anchor = view.indexAt(QPoint(view.viewport().width() // 2, 0)).data(IdRole)
    top = view.visualRect(window.model.index_of(anchor)).top()
    assert not pill.isVisible()

    add_elsewhere(db, 2)

    qtbot.waitUntil(lambda: window.model.rowCount() == 62, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: pill.text() == "2 new ↑", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: view.visualRect(window.model.index_of(anchor)).top() == top, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: pill_in_sight(window), timeout=WAIT_MS)

    # A delete elsewhere above the reader also moves the view to keep the place.
    repo.delete(window.model.index(5).data(IdRole))
    qtbot.waitUntil(lambda: window.model.rowCount() == 61, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: view.visualRect(window.model.index_of(anchor)).top() == top, timeout=WAIT_MS)
    assert pill_in_sight(window)

    qtbot.mouseClick(pill, Qt.MouseButton.LeftButton)
    assert view.verticalScrollBar().value() == 0 and not pill.isVisible()
    newest = window.model.index(0)
    assert newest.data(Qt.ItemDataRole.DisplayRole).startswith("Fresh from another process")
    assert view.visualRect(newest).top() >= 0


@pytest.mark.e2e
def test_at_the_top_new_quotes_just_come_into_view(qtbot, open_window, repo, db):
    for n in range(30):
        repo.insert(f"Author {n}", f"Quote {n}")
    window = open_window(repo)
    add_elsewhere(db, 1)
    qtbot.waitUntil(lambda: window.model.rowCount() == 31, timeout=WAIT_MS)
    assert window.view.verticalScrollBar().value() == 0
    assert not window.lists.pill.isVisible()
    assert window.view.rowAt(0) == 0


def test_a_card_someone_else_changed_lights_up_briefly_but_not_for_our_own_like(
    qtbot, open_window, repo, other_writer
):
    mine = repo.insert("Me", "Liked by me.")
    theirs = repo.insert("Them", "Liked by someone else.")
    window = open_window(repo)

    window.like(mine.id)
    qtbot.waitUntil(lambda: not is_pending(window, mine.id), timeout=WAIT_MS)
    other_writer.like(theirs.id)

    qtbot.waitUntil(lambda: window.model.index_of(theirs.id).data(FlashRole), timeout=WAIT_MS)
    assert not window.model.index_of(mine.id).data(FlashRole)
    qtbot.waitUntil(lambda: not window.model.index_of(theirs.id).data(FlashRole), timeout=WAIT_MS)


def test_our_own_edit_does_not_light_up_but_another_windows_does(qtbot, open_window, repo):
    from app.ui.add_dialog import QuoteDialog

    quote = repo.insert("Anon", "Draft.")
    window = open_window(repo)
    other = open_window(repo)
    window.select(quote.id)
    window.action_set.edit.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    dialog.content.setPlainText("Final.")
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: other.model.index_of(quote.id).data(FlashRole), timeout=WAIT_MS)
    # Each window hears of the edit from its own live feed, in its own time.
    shown = window.model.index_of(quote.id)
    qtbot.waitUntil(lambda: shown.data(Qt.ItemDataRole.DisplayRole).startswith("Final."), timeout=WAIT_MS)
    assert not shown.data(FlashRole)


def test_flashes_that_end_together_repaint_with_one_signal(qtbot):
    """Under a burst, hundreds of flashes end in each sweep: one signal, one span."""
    model = QuoteListModel()
    quotes = tuple(make_quote(f"q{n:03d}", minute=n) for n in range(300))
    model.apply(Snapshot(quotes))
    spans = []
    model.dataChanged.connect(lambda top, bottom, roles: spans.append((top.row(), bottom.row(), roles)))
    model._flashes._seconds = 0.0  # end at the next sweep
    model.apply(Changes(updated=tuple(q.replace(likes=1) for q in quotes[10:250])))
    spans.clear()

    qtbot.waitUntil(lambda: bool(spans), timeout=WAIT_MS)

    assert spans == [(50, 289, [FlashRole])]
    assert not any(model.index(row).data(FlashRole) for row in range(300))
