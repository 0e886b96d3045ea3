"""The add, delete and new-tenant dialogs: validation as you type."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from support.quotes import make_quote
from support.waiting import WAIT_MS
from support.window import visible_dialog

from app.repo.schema import MAX_AUTHOR, MAX_CONTENT
from app.ui.add_dialog import QuoteDialog
from app.ui.confirm_dialog import ConfirmDeleteDialog
from app.ui.tenant_dialog import NewTenantDialog


def test_add_dialog_validates_as_you_type(qtbot):
    dialog = QuoteDialog()
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    assert dialog.hint.text() == "", "no complaint before the user types"

    qtbot.keyClicks(dialog.author, "Seneca")
    assert not dialog.ok.isEnabled()
    assert dialog.hint.text() == "The quote must not be blank."

    qtbot.keyClicks(dialog.content, "   ")
    assert dialog.hint.text() == "The quote must not be blank."
    assert dialog.content_count.text() == f"0 / {MAX_CONTENT}"

    qtbot.keyClicks(dialog.content, "Luck is what happens when preparation meets opportunity.")
    assert dialog.ok.isEnabled()
    assert dialog.hint.text() == "Ready to add."
    assert dialog.author_count.text() == f"6 / {MAX_AUTHOR}"
    fields = dialog.fields()
    assert (fields.author, fields.content) == (
        "Seneca",
        "Luck is what happens when preparation meets opportunity.",
    )


def test_add_dialog_says_what_is_too_long(qtbot):
    dialog = QuoteDialog()
    qtbot.addWidget(dialog)
    dialog.content.setPlainText("x")
    dialog.author.setText("a" * (MAX_AUTHOR + 1))
    assert not dialog.ok.isEnabled()
    assert dialog.hint.text() == f"Author is too long (at most {MAX_AUTHOR} characters)."
    assert dialog.author_count.text() == f"{MAX_AUTHOR + 1} / {MAX_AUTHOR}"

    dialog.author.setText("a")
    dialog.content.setPlainText("y" * (MAX_CONTENT + 1))
    assert dialog.hint.text() == f"The quote is too long (at most {MAX_CONTENT} characters)."
    assert dialog.fields() is None


def test_add_dialog_will_not_accept_an_invalid_quote(qtbot):
    dialog = QuoteDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.author, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0


def test_confirm_delete_shows_which_quote(qtbot):
    quote = make_quote(author="Marcus Aurelius", content="The impediment to action advances action. " * 20)
    dialog = ConfirmDeleteDialog(quote)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Delete this quote by Marcus Aurelius?" in labels
    assert any(text.startswith("“The impediment") and text.endswith("…”") for text in labels)
    assert dialog.delete_button.text() == "&Delete" and dialog.cancel_button.text() == "&Cancel"


def test_new_tenant_dialog_checks_the_name(qtbot):
    dialog = NewTenantDialog(["default", "work"])
    qtbot.addWidget(dialog)
    assert dialog.hint.text() == "", "no complaint before the user types"
    qtbot.keyClicks(dialog.name_edit, "work")
    assert dialog.hint.text() == "Work already exists." and not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "shop")
    assert dialog.ok.isEnabled() and dialog.name() == "workshop"
    dialog.name_edit.setText("x" * 65)
    assert dialog.hint.text().startswith("The name is too long")
    assert dialog.name() is None


def test_closing_the_window_closes_its_dialogs(qtbot, open_window, repo):
    window = open_window(repo)
    window.action_set.add.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    with qtbot.waitSignals([dialog.rejected, window.closed], timeout=WAIT_MS):
        window.close()


def test_a_taken_collection_name_is_shown_as_typed(qtbot):
    img = "<img src='hosts'>"
    dialog = NewTenantDialog([img])
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name_edit, img)
    assert dialog.hint.text() == f"{img} already exists."
    assert dialog.hint.textFormat() == Qt.TextFormat.PlainText


def delete_dialog(qtbot, window, quote):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    window.select(quote.id)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    dialog = visible_dialog(window, ConfirmDeleteDialog)
    qtbot.waitUntil(lambda: dialog.cancel_button.hasFocus(), timeout=WAIT_MS)
    return dialog


def test_delete_question_return_cancels_but_tab_to_delete_then_return_deletes(qtbot, open_window, repo):
    quote = repo.insert("Seneca", "We suffer more in imagination than in reality.")
    window = open_window(repo)

    dialog = delete_dialog(qtbot, window, quote)
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.keyClick(dialog.cancel_button, Qt.Key.Key_Return)  # the default: Cancel
    assert repo.get(quote.id) is not None

    dialog = delete_dialog(qtbot, window, quote)
    qtbot.keyClick(dialog.cancel_button, Qt.Key.Key_Backtab)
    assert dialog.delete_button.hasFocus()
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.keyClick(dialog.delete_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: repo.get(quote.id) is None, timeout=WAIT_MS)


def test_delete_question_takes_alt_d(qtbot, open_window, repo):
    quote = repo.insert("Seneca", "We suffer more in imagination than in reality.")
    window = open_window(repo)
    dialog = delete_dialog(qtbot, window, quote)
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.keyClick(dialog.cancel_button, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: repo.get(quote.id) is None, timeout=WAIT_MS)


def test_delete_question_follows_an_edit_elsewhere_and_deletes_that_version(
    qtbot, open_window, repo, other_writer
):
    quote = repo.insert("Seneca", "Old words.")
    window = open_window(repo)
    dialog = delete_dialog(qtbot, window, quote)

    other_writer.update(quote.id, content="New words, written elsewhere.", author="Lucius Seneca")

    qtbot.waitUntil(lambda: dialog.excerpt.text() == "“New words, written elsewhere.”", timeout=WAIT_MS)
    assert dialog.question.text() == "Delete this quote by Lucius Seneca?"
    assert dialog.edited_note.isVisible()
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: repo.get(quote.id) is None, timeout=WAIT_MS
    )  # no conflict: it showed that version


def test_edit_dialog_saves_only_once_something_changed(qtbot, open_window, repo):
    quote = repo.insert("Seneca", "Luck is what happens when preparation meets opportunity.")
    window = open_window(repo)
    window.select(quote.id)
    window.action_set.edit.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    assert not dialog.ok.isEnabled() and dialog.ok.text() == "&Save"

    qtbot.keyClicks(dialog.author, " the Younger")
    assert dialog.ok.isEnabled() and dialog.hint.text() == "Ready to save."
    dialog.author.setText("Seneca ")  # back to what it was (white space aside)
    assert not dialog.ok.isEnabled() and dialog.hint.text() == "Nothing changed yet."
    qtbot.keyClick(dialog.author, Qt.Key.Key_Return)
    assert dialog.isVisible()
    dialog.reject()
