"""The main window against a real SQLite store: actions, likes, sorts, tenants."""

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QApplication, QToolBar
from support.waiting import WAIT_MS
from support.window import is_pending, notice, shown_ids, shown_likes, visible_dialog

from app.repo import QuoteRepo, tenants
from app.sync.events import Changes, Offline, Snapshot
from app.ui.add_dialog import QuoteDialog
from app.ui.confirm_dialog import ConfirmDeleteDialog
from app.ui.model import Sort
from app.ui.roles import IdRole
from app.ui.tenant_dialog import NewTenantDialog


@pytest.fixture
def quotes(repo):
    """Three quotes, oldest first."""
    return [repo.insert(f"Author {n}", f"Quote number {n}.") for n in range(3)]


def focus(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    window.view.setFocus()


def test_shows_the_store_and_where_it_comes_from(open_window, repo):
    repo.seed()
    window = open_window(repo)

    assert sorted(window.model.index(r).data(Qt.ItemDataRole.DisplayRole) for r in range(2)) == [
        "Cogito, ergo sum. — René Descartes",
        "One cannot step twice in the same river. — Heraclitus",
    ]
    assert window.status.store_label.text() == repo.store.description
    assert window.status.collection_label.text() == "Collection: default"
    assert window.connection == "Connected"
    assert window.status.sync_label.text() == "Up to date"


def test_actions_have_icons_tooltips_shortcuts_and_apply_only_when_they_can(open_window, repo, quotes):
    window = open_window(repo)
    actions = {
        window.action_set.add: "Ctrl+N",
        window.action_set.like: "L",
        window.action_set.delete: "Del",
        window.action_set.quit: "Ctrl+Q",
    }
    for action, keys in actions.items():
        assert not action.icon().isNull()
        assert action.shortcut().toString() == keys
        assert keys in action.toolTip()
    assert window.action_set.add.isEnabled() and window.action_set.quit.isEnabled()
    assert not window.action_set.like.isEnabled() and not window.action_set.delete.isEnabled()

    window.select(quotes[1].id)
    assert window.action_set.like.isEnabled() and window.action_set.delete.isEnabled()
    window.view.clearSelection()
    assert not window.action_set.like.isEnabled() and not window.action_set.delete.isEnabled()


def test_every_action_is_in_the_toolbar_and_a_menu(open_window, repo):
    window = open_window(repo)
    menus = [a for menu in window.menuBar().actions() for a in menu.menu().actions()]
    toolbar_actions = [a for bar in window.findChildren(QToolBar) for a in bar.actions()]
    for action in (window.action_set.add, window.action_set.like, window.action_set.delete):
        assert action in menus
        assert action in toolbar_actions
    assert window.action_set.quit in menus and window.action_set.quit not in toolbar_actions


def test_like_from_the_keyboard_shows_at_once_then_is_confirmed(qtbot, open_window, repo, quotes):
    window = open_window(repo)
    target = quotes[0].id
    window.select(target)
    focus(qtbot, window)

    qtbot.keyClick(window.view, Qt.Key.Key_L)

    assert (shown_likes(window, target), is_pending(window, target)) == (1, True)
    qtbot.waitUntil(lambda: not is_pending(window, target), timeout=WAIT_MS)
    assert shown_likes(window, target) == 1
    assert repo.get(target).likes == 1


def test_like_button_on_a_card_likes_the_quote_under_it(qtbot, open_window, repo, quotes):
    window = open_window(repo)
    window.select(quotes[0].id)
    clicked = window.model.index_of(quotes[2].id)
    window.view.scrollTo(clicked)
    button = window.delegate.like_button_rect(clicked)

    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=button.center())

    qtbot.waitUntil(lambda: repo.get(quotes[2].id).likes == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not is_pending(window, quotes[2].id), timeout=WAIT_MS)
    assert repo.get(quotes[0].id).likes == 0
    assert window.selected_id() == quotes[2].id  # clicking a card's button also selects it


def test_clicking_a_card_outside_its_button_does_not_like(qtbot, open_window, repo, quotes):
    window = open_window(repo)
    index = window.model.index_of(quotes[1].id)
    rect = window.view.visualRect(index)

    qtbot.mouseClick(
        window.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=rect.center() - QPoint(rect.width() // 3, 0),
    )

    assert window.selected_id() == quotes[1].id
    assert not is_pending(window, quotes[1].id)
    assert repo.get(quotes[1].id).likes == 0


def test_add_with_ctrl_n(qtbot, open_window, repo, quotes):
    window = open_window(repo)
    focus(qtbot, window)

    qtbot.keyClick(window.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = visible_dialog(window, QuoteDialog)
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.content, "Simple is better than complex.")
    qtbot.keyClicks(dialog.author, "  Tim Peters ")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: len(repo.read_all()) == 4, timeout=WAIT_MS)
    added = next(q for q in repo.read_all() if q.author == "Tim Peters")
    assert added.content == "Simple is better than complex."
    qtbot.waitUntil(lambda: window.selected_id() == added.id, timeout=WAIT_MS)
    assert shown_ids(window)[0] == added.id  # newest first


def test_add_can_be_cancelled(qtbot, open_window, repo, quotes):
    window = open_window(repo)
    window.action_set.add.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    qtbot.keyClicks(dialog.content, "Never mind")
    qtbot.keyClicks(dialog.author, "Me")
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert len(repo.read_all()) == 3


def test_delete_key_asks_first_then_deletes_and_selects_the_next(qtbot, open_window, repo, quotes):
    window = open_window(repo)
    middle = quotes[1].id
    window.select(middle)
    focus(qtbot, window)

    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    dialog = visible_dialog(window, ConfirmDeleteDialog)
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert repo.get(middle) is not None

    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    dialog = visible_dialog(window, ConfirmDeleteDialog)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not window.model.index_of(middle).isValid(), timeout=WAIT_MS)
    assert repo.get(middle) is None
    assert window.selected_id() == quotes[0].id  # the one below it (older)
    qtbot.waitUntil(lambda: notice(window) == "Quote deleted.", timeout=WAIT_MS)


def test_quit_with_ctrl_q_closes_after_cleaning_up(qtbot, open_window, repo, quotes):
    window = open_window(repo)
    focus(qtbot, window)
    with qtbot.waitSignal(window.closed, timeout=WAIT_MS):
        qtbot.keyClick(window.view, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_failed_like_is_rolled_back_with_a_message(qtbot, open_window, repo, other_writer, quotes):
    window = open_window(repo)
    doomed = quotes[0].id

    other_writer.delete(doomed)  # someone else deletes it; this window has not heard yet
    window.like(doomed)
    assert (shown_likes(window, doomed), is_pending(window, doomed)) == (1, True)

    qtbot.waitUntil(
        lambda: "someone deleted that quote first" in window.statusBar().currentMessage(),
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: not window.model.index_of(doomed).isValid(), timeout=WAIT_MS)


def test_a_failed_like_on_a_shown_quote_takes_the_count_back(qtbot, open_window, repo, quotes):
    """The store refuses the write (it is closed under the window): the count returns to 0."""
    window = open_window(repo)
    target = quotes[2].id
    repo.store.close()

    window.like(target)
    assert shown_likes(window, target) == 1

    qtbot.waitUntil(lambda: "Your like was not saved" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    assert (shown_likes(window, target), is_pending(window, target)) == (0, False)


def test_most_liked_sort_moves_a_liked_card_and_keeps_it_selected(
    qtbot, open_window, repo, other_writer, quotes
):
    for quote, likes in zip(quotes, (5, 3, 1), strict=True):
        other_writer.like(quote.id, likes)
    window = open_window(repo)
    assert shown_ids(window) == [q.id for q in reversed(quotes)]  # newest first

    next(a for a in window.action_set.sorts.actions() if a.data() == Sort.MOST_LIKED.value).trigger()
    assert shown_ids(window) == [q.id for q in quotes]
    assert window.action_set.sort_box.currentText() == "Most liked"

    last = quotes[2].id
    window.select(last)
    other_writer.like(last, 10)
    qtbot.waitUntil(lambda: shown_ids(window)[0] == last, timeout=WAIT_MS)
    assert window.selected_id() == last
    assert window.view.currentIndex().data(0).startswith("Quote number 2")


def test_sort_and_geometry_are_restored(qtbot, open_window, repo, settings, quotes):
    window = open_window(repo, settings)
    window.set_sort(Sort.MOST_LIKED)
    window.resize(QSize(640, 520))
    with qtbot.waitSignal(window.closed, timeout=WAIT_MS):
        window.close()
    assert settings.value("view/sort") == "most-liked"

    again = open_window(repo, settings)
    assert again.model.quotes.sort is Sort.MOST_LIKED
    assert again.action_set.sort_box.currentText() == "Most liked"
    assert again.size() == QSize(640, 520)


def test_a_bad_saved_sort_falls_back_to_newest(open_window, repo, settings):
    settings.setValue("view/sort", "sideways")
    assert open_window(repo, settings).model.quotes.sort is Sort.NEWEST


def test_new_tenant_then_switch_back(qtbot, open_window, repo, other_writer):
    repo.seed()
    window = open_window(repo)
    box = window.action_set.collection_box
    box.setFocus()

    qtbot.keyClick(box, Qt.Key.Key_Down)  # past the separator, onto "New tenant…"
    dialog = visible_dialog(window, NewTenantDialog)
    assert box.currentText() == "default"
    qtbot.keyClicks(dialog.name_edit, "default")
    assert not dialog.ok.isEnabled() and dialog.hint.text() == "Default already exists."
    dialog.name_edit.clear()
    assert dialog.hint.text() == "The name must not be blank."
    qtbot.keyClicks(dialog.name_edit, "work")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.status.collection_label.text() == "Collection: work", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.connection == "Connected", timeout=WAIT_MS)
    assert window.model.rowCount() == 0
    assert "work" in tenants.names(repo)
    qtbot.waitUntil(lambda: [box.itemText(i) for i in range(2)] == ["default", "work"], timeout=WAIT_MS)

    QuoteRepo(other_writer.store, "work").insert("Ada", "Work quote")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT_MS)

    box.setCurrentText("work")
    qtbot.keyClick(box, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: window.status.collection_label.text() == "Collection: default", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=WAIT_MS)
    assert window.windowTitle() == "Quotes — default"


def test_a_resync_snapshot_keeps_the_selection(open_window, repo, quotes):
    window = open_window(repo)
    window.select(quotes[1].id)
    window.session.deliver(Snapshot(tuple(repo.read_all())))
    assert window.selected_id() == quotes[1].id


def test_offline_then_back(open_window, repo, quotes):
    window = open_window(repo)
    window.session.deliver(Offline("the disk is full"))
    assert window.connection == "Offline"
    assert "the disk is full" in window.status.connection_widget.toolTip()
    window.session.deliver(Changes())
    assert window.connection == "Connected"


def test_selection_current_item_and_scroll_position_survive_others_edits(
    qtbot, open_window, repo, other_writer
):
    quotes = [repo.insert(f"Author {n}", f"Quote {n} " + "words " * (n % 7 * 6)) for n in range(40)]
    window = open_window(repo)
    window.resize(600, 500)
    view = window.view
    QApplication.processEvents()  # the new size reaches the view
    view.doItemsLayout()
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    anchor_id = view.indexAt(QPoint(view.viewport().width() // 2, 0)).data(IdRole)
    top = view.visualRect(window.model.index_of(anchor_id)).top()
    chosen_row = view.indexAt(QPoint(view.viewport().width() // 2, view.viewport().height() // 2)).row()
    chosen = shown_ids(window)[chosen_row]
    window.view.setCurrentIndex(window.model.index(chosen_row))
    assert window.selected_id() == chosen and anchor_id not in (chosen, None)

    newer = shown_ids(window)[:3]  # above the viewport
    for n in range(3):
        other_writer.insert("Newcomer", f"Fresh quote {n}")
    for quote_id in newer:
        other_writer.like(quote_id)
    other_writer.delete(newer[0])
    other_writer.like(chosen, 2)

    qtbot.waitUntil(lambda: shown_likes(window, chosen) == 2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.model.rowCount() == 42, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: view.visualRect(window.model.index_of(anchor_id)).top() == top, timeout=WAIT_MS)
    assert window.selected_id() == chosen
    assert view.currentIndex().data(IdRole) == chosen
    assert len(quotes) == 40
