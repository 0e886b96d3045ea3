"""Keyboard only: focus at start, Up/Down, type-to-search, the search field and the list."""

import pytest
from PySide6.QtCore import Qt
from support.waiting import WAIT_MS
from support.window import is_pending, shown_ids

from app.ui.roles import IdRole


@pytest.fixture
def quotes(repo):
    """Four quotes, oldest first (so the list shows them newest first)."""
    authors = ["Seneca", "Lao Tzu", "Marcus Aurelius", "Lucretius"]
    return [repo.insert(author, f"Words of {author}.") for author in authors]


def activate(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)


def test_at_start_the_list_has_the_focus_and_down_selects_the_first_card(qtbot, open_window, repo, quotes):
    window = open_window(repo)
    activate(qtbot, window)
    view = window.view

    assert view.hasFocus()
    assert view.currentIndex().row() == 0  # the first card shows the focus ring
    assert window.selected_id() is None

    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert window.selected_id() == quotes[-1].id  # the first card, not the second
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert window.selected_id() == quotes[-2].id


def test_a_letter_typed_in_the_list_starts_a_search_with_it(qtbot, open_window, repo, quotes):
    window = open_window(repo)
    activate(qtbot, window)
    bar = window.lists.search_bar

    qtbot.keyClicks(window.view, "ma")  # "m" opens the search, "a" lands in its field

    assert bar.isVisible() and bar.field.hasFocus() and bar.field.text() == "ma"
    listed = window.lists.shown.model()
    assert [listed.index(r, 0).data(IdRole) for r in range(listed.rowCount())] == [quotes[2].id]
    assert window.view.currentIndex().row() == 0  # no type-ahead jump in the full list


def test_l_likes_the_selected_card_and_with_none_selected_starts_a_search(qtbot, open_window, repo, quotes):
    window = open_window(repo)
    activate(qtbot, window)
    view = window.view

    qtbot.keyClick(view, Qt.Key.Key_L)  # nothing selected: a search for "l", no like
    assert window.lists.search_bar.field.text() == "l"
    assert not any(is_pending(window, q) for q in shown_ids(window))
    qtbot.keyClick(window.lists.search_bar.field, Qt.Key.Key_Escape)

    window.select(quotes[0].id)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_L)
    assert is_pending(window, quotes[0].id) or repo.get(quotes[0].id).likes == 1
    qtbot.waitUntil(lambda: repo.get(quotes[0].id).likes == 1, timeout=WAIT_MS)
    assert not window.lists.search_bar.isVisible()


def test_down_in_the_search_field_moves_into_the_list(qtbot, open_window, repo, quotes):
    window = open_window(repo)
    activate(qtbot, window)
    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.lists.search_bar
    qtbot.keyClicks(bar.field, "us")  # Lucretius and Marcus Aurelius

    qtbot.keyClick(bar.field, Qt.Key.Key_Down)

    assert window.lists.search_view.hasFocus()
    assert window.selected_id() == quotes[3].id  # Lucretius, the first match
    qtbot.keyClick(window.lists.search_view, Qt.Key.Key_Down)
    assert window.selected_id() == quotes[2].id


def test_opening_a_search_keeps_a_selected_quote_that_matches_and_the_pane_follows(
    qtbot, open_window, repo, quotes
):
    window = open_window(repo)
    activate(qtbot, window)
    window.select(quotes[2].id)  # Marcus Aurelius
    qtbot.keyClick(window.view, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: window.detail.author.text() == "— Marcus Aurelius", timeout=WAIT_MS)

    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.lists.search_bar.field, "aur")
    assert window.selected_id() == quotes[2].id

    qtbot.keyClicks(window.lists.search_bar.field, "x")  # no longer matches: nothing selected
    assert window.selected_id() is None
    assert window.detail.state.text() == "Select a quote to read it whole."
    assert window.detail.text.toPlainText() == ""

    qtbot.keyClick(window.lists.search_bar.field, Qt.Key.Key_Backspace)
    qtbot.keyClick(window.lists.search_bar.field, Qt.Key.Key_Down)
    assert window.selected_id() == quotes[2].id
    qtbot.waitUntil(lambda: window.detail.author.text() == "— Marcus Aurelius", timeout=WAIT_MS)
    assert window.detail.text.toPlainText() == "Words of Marcus Aurelius."
