"""Collections as people name and sort them, and what the window shows when switching."""

import pytest
from PySide6.QtCore import QLocale, Qt
from support.waiting import WAIT_MS
from support.window import visible_dialog

from app.repo import InvalidTenant, QuoteRepo, tenants
from app.ui.tenant_dialog import NewTenantDialog


def items(box) -> list[str]:
    return [box.itemText(i) for i in range(box.count()) if box.itemText(i)]


@pytest.fixture
def english():
    previous = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(previous)


def test_collections_are_listed_default_first_then_as_people_sort(qtbot, open_window, repo, english):
    for name in ("Reading list", "work", "Zebra", "éclair", "item 10", "item 9"):
        tenants.create(repo.store, name)
    window = open_window(repo)
    box = window.action_set.collection_box
    qtbot.waitUntil(lambda: len(items(box)) == 9, timeout=WAIT_MS)
    assert items(box) == [
        "default",
        "éclair",
        "item 9",
        "item 10",
        "Reading list",
        "work",
        "Zebra",
        "New…",
        "Delete…",
    ]


def test_a_new_collection_name_is_refused_in_the_dialog_when_taken_in_another_case_or_unusable(
    qtbot, open_window, repo
):
    tenants.create(repo.store, "Work")
    tenants.create(repo.store, "Café")
    window = open_window(repo)
    window.action_set.new_collection.trigger()
    dialog = visible_dialog(window, NewTenantDialog)

    for typed, hint in (
        ("work", "Work already exists."),
        ("WORK ", "Work already exists."),
        ("cafe\u0301", "Café already exists."),  # "e" and a combining accent: the same name
        ("bad name/x", "The name must not contain a slash (/)."),
        ("back\\slash", "The name must not contain a backslash (\\)."),
        ("-rf", "The name must not start with a hyphen (-)."),
    ):
        dialog.name_edit.setText(typed)  # pasted: a combining accent cannot be typed as a key
        assert (dialog.hint.text(), dialog.ok.isEnabled()) == (hint, False), typed
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
        assert dialog.isVisible()

    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Reading list")
    assert dialog.ok.isEnabled()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.status.collection_label.text() == "Collection: Reading list", timeout=WAIT_MS
    )
    assert tenants.names(repo.store) == ["default", "Café", "Reading list", "Work"]


def test_the_store_refuses_a_name_taken_in_another_case_whoever_asks(repo):
    tenants.create(repo.store, "Work")
    with pytest.raises(InvalidTenant, match="'Work' already exists"):
        tenants.create(repo.store, "wORK")
    with pytest.raises(InvalidTenant, match="slash"):
        tenants.create(repo.store, "bad name/x")
    assert tenants.create(repo.store, "Work") is False  # the same name: already there
    assert QuoteRepo(repo.store, "Work").tenant == "Work"


def test_switching_collection_empties_the_detail_pane_then_it_follows_the_new_selection(
    qtbot, open_window, repo
):
    mine = repo.insert("Ada", "From the default collection.")
    tenants.create(repo.store, "work")
    theirs = QuoteRepo(repo.store, "work").insert("Grace", "From the work collection.")
    window = open_window(repo)
    window.select(mine.id)
    window.action_set.details.trigger()
    qtbot.waitUntil(lambda: window.detail.author.text() == "— Ada", timeout=WAIT_MS)

    box = window.action_set.collection_box
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)  # onto "work"
    qtbot.waitUntil(lambda: window.status.collection_label.text() == "Collection: work", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT_MS)

    assert window.selected_id() is None
    assert window.detail.text.toPlainText() == "" and window.detail.author.text() == ""
    assert window.detail.state.text() == "Select a quote to read it whole."

    window.select(theirs.id)
    qtbot.waitUntil(lambda: window.detail.author.text() == "— Grace", timeout=WAIT_MS)
