"""Two people change one quote: the window never loses either's work silently.

Two windows (two sessions) on one real store, or a window and another
connection writing as someone else would; the user answers the conflict view
with the keyboard and the dialog's buttons.
"""

import pytest
from PySide6.QtCore import Qt
from support.waiting import WAIT_MS
from support.window import notice, shown_likes, visible_dialog

from app.ui.add_dialog import QuoteDialog
from app.ui.confirm_dialog import ConfirmDeleteDialog
from app.ui.conflict_dialog import ConflictDialog

ORIGINAL = "Luck is what happens when preparation meets opportunity."


@pytest.fixture
def quote(repo):
    return repo.insert("Seneca", ORIGINAL)


def key(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    window.view.setFocus()
    qtbot.keyClick(window.view, key, modifier)


def open_editor(qtbot, window, quote_id):
    assert window.select(quote_id)
    key(qtbot, window, Qt.Key.Key_F2)
    return visible_dialog(window, QuoteDialog)


def type_content(qtbot, dialog, text):
    dialog.content.selectAll()
    qtbot.keyClicks(dialog.content, text)


def save(qtbot, dialog):
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)


def conflict_view(qtbot, window):
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ConflictDialog)), timeout=WAIT_MS)
    return visible_dialog(window, ConflictDialog)


def click(qtbot, view, button):
    with qtbot.waitSignal(view.finished, timeout=WAIT_MS):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def refused(qtbot, open_window, repo, quote):
    """Window ``first`` saved "Local edit A"; ``second``, opened on the same version,
    then saved "Local edit B": refused, its conflict view open over its edit dialog."""
    first, second = open_window(repo), open_window(repo)
    first_editor, second_editor = open_editor(qtbot, first, quote.id), open_editor(qtbot, second, quote.id)
    type_content(qtbot, first_editor, "Local edit A")
    save(qtbot, first_editor)
    type_content(qtbot, second_editor, "Local edit B")
    qtbot.mouseClick(second_editor.ok, Qt.MouseButton.LeftButton)
    return second, second_editor, conflict_view(qtbot, second)


def test_the_second_save_is_refused_and_both_versions_are_shown(refused, repo, quote):
    window, editor, view = refused
    assert repo.get(quote.id).content == "Local edit A"
    assert view.theirs.heading.text() == "Theirs — saved now"
    assert view.theirs.content.text() == "“Local edit A”" and view.theirs.author.text() == "— Seneca"
    assert view.yours.heading.text() == "Yours — not saved"
    assert view.yours.content.text() == "“Local edit B”"
    assert view.reload_button.isDefault(), "Enter never overwrites anyone's work"
    assert [b.text() for b in view.choice_buttons.values()] == ["&Reload", "&Overwrite", "Save as &New"]
    assert view.theirs.content.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard
    assert editor.isVisible() and editor.content.toPlainText() == "Local edit B", "nothing typed is lost"


def test_reload_loads_their_version_into_the_form(qtbot, refused, repo, quote):
    window, editor, view = refused
    with qtbot.waitSignal(view.finished, timeout=WAIT_MS):
        qtbot.keyClick(view, Qt.Key.Key_Return)  # the default: Reload

    assert editor.isVisible() and editor.content.toPlainText() == "Local edit A"
    assert not editor.notice_box.isVisible()
    assert repo.get(quote.id).content == "Local edit A"
    type_content(qtbot, editor, "Local edit A, improved")
    save(qtbot, editor)  # against the version reloaded: no conflict
    assert repo.get(quote.id).content == "Local edit A, improved"


def test_overwrite_replaces_their_version(qtbot, refused, repo, quote):
    window, editor, view = refused
    with qtbot.waitSignal(editor.finished, timeout=WAIT_MS):  # saved: the edit dialog closes
        click(qtbot, view, view.choice_buttons[view.conflict.choices[1]])

    assert repo.get(quote.id).content == "Local edit B"
    qtbot.waitUntil(lambda: notice(window).startswith("Quote edited"), timeout=WAIT_MS)


def test_save_as_new_adds_a_quote_and_keeps_theirs(qtbot, refused, repo, quote):
    window, editor, view = refused
    with qtbot.waitSignal(editor.finished, timeout=WAIT_MS):  # saved: the edit dialog closes
        click(qtbot, view, view.choice_buttons[view.conflict.choices[2]])

    assert sorted(q.content for q in repo.read_all()) == ["Local edit A", "Local edit B"]
    added = next(q for q in repo.read_all() if q.id != quote.id)
    qtbot.waitUntil(lambda: window.selected_id() == added.id, timeout=WAIT_MS)


def test_escape_cancels_and_keeps_the_form(qtbot, refused, repo, quote):
    window, editor, view = refused
    with qtbot.waitSignal(view.finished, timeout=WAIT_MS):
        qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert editor.isVisible() and editor.content.toPlainText() == "Local edit B"
    assert editor.notice_box.isVisible() and editor.review_button.isEnabled()
    assert repo.get(quote.id).content == "Local edit A"


def test_a_remote_edit_shows_the_notice_at_once_and_review_compares(
    qtbot, open_window, repo, other_writer, quote
):
    window = open_window(repo)
    editor = open_editor(qtbot, window, quote.id)
    assert editor.hint.text() == "" and not editor.notice_box.isVisible()  # nothing changed yet
    qtbot.keyClicks(editor.author, " the Younger")

    other_writer.update(quote.id, content="Remote edit B")

    qtbot.waitUntil(editor.notice_box.isVisible, timeout=WAIT_MS)
    assert editor.notice.text() == "Changed by someone else since you opened it."
    assert editor.hint.text() != "Ready to save."
    qtbot.mouseClick(editor.review_button, Qt.MouseButton.LeftButton)
    view = conflict_view(qtbot, window)
    assert view.theirs.content.text() == "“Remote edit B”"
    # Yours: only what this user changed (the author), over their new text.
    assert (view.yours.author.text(), view.yours.content.text()) == (
        "— Seneca the Younger",
        "“Remote edit B”",
    )
    click(qtbot, view, view.choice_buttons[view.conflict.choices[1]])
    qtbot.waitUntil(lambda: repo.get(quote.id).author == "Seneca the Younger", timeout=WAIT_MS)
    assert repo.get(quote.id).content == "Remote edit B"


def test_a_remote_like_does_not_raise_the_notice(qtbot, open_window, repo, other_writer, quote):
    window = open_window(repo)
    editor = open_editor(qtbot, window, quote.id)

    other_writer.like(quote.id)

    qtbot.waitUntil(lambda: shown_likes(window, quote.id) == 1, timeout=WAIT_MS)  # the like arrived
    assert not editor.notice_box.isVisible()
    assert editor.hint.text() == "" and not editor.ok.isEnabled()  # nothing changed, no notice


def test_undo_of_an_edit_after_a_remote_edit_asks(qtbot, open_window, repo, other_writer, quote):
    window = open_window(repo)
    editor = open_editor(qtbot, window, quote.id)
    type_content(qtbot, editor, "Local edit A")
    save(qtbot, editor)
    other_writer.update(quote.id, author="Heraclitus of Ephesus", content="Remote edit B")

    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    view = conflict_view(qtbot, window)
    assert view.theirs.content.text() == "“Remote edit B”"
    assert view.yours.heading.text() == "Yours — as before your edit"
    assert view.yours.content.text() == f"“{ORIGINAL}”"
    assert repo.get(quote.id).content == "Remote edit B", "nothing undone silently"
    with qtbot.waitSignal(view.finished, timeout=WAIT_MS):
        qtbot.keyClick(view, Qt.Key.Key_Return)  # Reload: theirs stays
    assert (repo.get(quote.id).author, repo.get(quote.id).content) == (
        "Heraclitus of Ephesus",
        "Remote edit B",
    )


def test_undo_of_a_delete_after_a_remote_edit_asks(qtbot, open_window, repo, other_writer, quote):
    window = open_window(repo)
    window.select(quote.id)
    key(qtbot, window, Qt.Key.Key_Delete)
    qtbot.mouseClick(visible_dialog(window, ConfirmDeleteDialog).delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: notice(window) == "Quote deleted.", timeout=WAIT_MS)
    other_writer.restore(quote)  # someone else brought it back, and edited it
    other_writer.update(quote.id, content="Remote edit B")

    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    view = conflict_view(qtbot, window)
    assert view.theirs.content.text() == "“Remote edit B”"
    assert view.yours.content.text() == f"“{ORIGINAL}”"
    click(qtbot, view, view.choice_buttons[view.conflict.choices[2]])  # Save as new
    qtbot.waitUntil(lambda: len(repo.read_all()) == 2, timeout=WAIT_MS)
    assert repo.get(quote.id).content == "Remote edit B"


def test_a_delete_after_a_remote_edit_asks(qtbot, open_window, repo, other_writer, quote):
    window = open_window(repo)
    window.select(quote.id)
    key(qtbot, window, Qt.Key.Key_Delete)
    confirm = visible_dialog(window, ConfirmDeleteDialog)
    other_writer.update(quote.id, content="Remote edit B")
    qtbot.mouseClick(confirm.delete_button, Qt.MouseButton.LeftButton)

    view = conflict_view(qtbot, window)
    assert view.theirs.content.text() == "“Remote edit B”"
    assert [b.text() for b in view.choice_buttons.values()] == ["&Reload", "&Delete Anyway"]
    assert repo.get(quote.id) is not None
    click(qtbot, view, view.choice_buttons[view.conflict.choices[1]])
    qtbot.waitUntil(lambda: repo.get(quote.id) is None, timeout=WAIT_MS)
