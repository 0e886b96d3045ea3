"""File ▸ Import…, Export… and Back Up…: progress, Cancel that leaves nothing half-done, errors.

The file dialog is answered through ``transfer_actions.ask_path``, the one
function the window asks for a file with (``answer_with``); everything else
is what a user does: the menu items, the Export question's buttons, the
progress dialog's Cancel, and what the store holds afterwards (the
``quotes`` command's ``list --json``).
"""

import asyncio
import json
import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from support.cli import Cli
from support.waiting import WAIT_MS
from support.window import visible_dialog

from app.repo import QuoteRepo, open_repo, tenants
from app.ui import transfer_actions
from app.ui.job_progress import JobProgress

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def answer_with(monkeypatch):
    """Answer the next file dialogs with these paths; what each dialog was asked is kept."""
    asked = []

    def answer(*paths):
        queue = list(paths)

        def ask_path(parent, title, folder, filters, chosen, *, save_as=None):
            asked.append((title, folder, save_as))
            chosen(queue.pop(0))

        monkeypatch.setattr(transfer_actions, "ask_path", ask_path)
        return asked

    return answer


def quote_lines(path, count):
    """An import file of ``count`` new quotes, one JSON line each."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps({"author": f"Author {n}", "content": f"Quote number {n}."}) + "\n")
    return path


def job_done(qtbot, window, words):
    """Wait until no job runs and the status bar says ``words``."""
    qtbot.waitUntil(lambda: window.transfers._running is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: words in window.statusBar().currentMessage(), timeout=WAIT_MS)


def cancel_button(dialog):
    return dialog.findChild(QPushButton)


def every_listing(db):
    """``list --json`` of every collection of the store at ``db``, by name."""
    cli = Cli.on_file(db)
    names = [line for line in cli.ok("tenants").splitlines() if line]
    return {name: cli.listed("--tenant", name) for name in names}


def import_cancelled_then_whole(qtbot, window, db, path, count, *, by_key=False):
    """Import…, Cancel half-way (the button, or Esc ``by_key``): nothing imported;
    then Import… again, to the end: every quote shown."""
    before = every_listing(db)
    window.action_set.import_quotes.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(JobProgress)), timeout=WAIT_MS)
    dialog = visible_dialog(window, JobProgress)
    qtbot.waitUntil(
        lambda: "Importing" in dialog.labelText() and dialog.value() >= count // 2, timeout=WAIT_MS
    )
    assert dialog.maximum() == count  # determinate: the engine reports its total
    if by_key:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    else:
        qtbot.mouseClick(cancel_button(dialog), Qt.MouseButton.LeftButton)
    job_done(qtbot, window, "Import cancelled: nothing was imported.")
    assert every_listing(db) == before
    assert window.action_set.import_quotes.isEnabled()

    window.action_set.import_quotes.trigger()
    job_done(qtbot, window, f"Imported {count:,} quotes from {path.name}.")
    qtbot.waitUntil(lambda: window.model.rowCount() == count, timeout=WAIT_MS)
    assert len(Cli.on_file(db).listed()) == count


def test_import_cancelled_half_way_imports_nothing_then_imports_all(
    qtbot, open_window, repo, db, tmp_path, answer_with
):
    path = quote_lines(tmp_path / "many.jsonl", 20_000)
    window = open_window(repo)
    answer_with(path, path)
    import_cancelled_then_whole(qtbot, window, db, path, 20_000, by_key=True)


@pytest.mark.slow
def test_import_of_100_000_lines_cancelled_half_way_then_whole(
    qtbot, open_window, repo, db, tmp_path, answer_with
):
    path = quote_lines(tmp_path / "many.jsonl", 100_000)
    window = open_window(repo)
    answer_with(path, path)
    import_cancelled_then_whole(qtbot, window, db, path, 100_000)


def export_all(qtbot, window, path, answer_with, button="&All Collections"):
    answer_with(path)
    window.action_set.export_quotes.trigger()
    box = visible_dialog(window, QMessageBox)
    chosen = next(b for b in box.buttons() if b.text() == button)
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)


@pytest.fixture
def restored(tmp_path):
    """An empty store to restore into (closed after the windows on it)."""
    path = tmp_path / "restored.db"
    store = open_repo(path, create=True)
    yield path, store
    store.close()


def insert_into(db, collection, author, content):
    other = open_repo(db, tenant=collection)
    try:
        other.insert(author, content)
    finally:
        other.close()


def test_export_then_import_into_a_new_store_gives_the_same_collections(
    qtbot, restored, open_window, repo, db, tmp_path, answer_with, settings
):
    kept = repo.insert("Descartes", "Cogito, ergo sum.")
    repo.like(kept.id)
    repo.insert("Heraclitus", "No man ever steps in the same river twice.")
    tenants.create(repo.store, "Work")
    tenants.create(repo.store, "Empty")
    insert_into(db, "Work", "Seneca", "Luck is what happens when preparation meets opportunity.")
    window = open_window(repo)
    exported = tmp_path / "out" / "all.jsonl"
    exported.parent.mkdir()

    export_all(qtbot, window, exported, answer_with)
    job_done(qtbot, window, "Exported 3 quotes of every collection to all.jsonl.")
    assert not list(exported.parent.glob(".*"))  # no temporary file left beside it
    assert settings.value("files/folder") == str(exported.parent)

    restored_db, restored_repo = restored
    other = open_window(restored_repo)
    asked = answer_with(exported)
    other.action_set.import_quotes.trigger()
    job_done(qtbot, other, "Imported 3 quotes from all.jsonl.")
    assert asked[-1][1] == str(exported.parent)  # the dialog opened in the last folder
    assert every_listing(restored_db) == every_listing(db)
    assert set(every_listing(db)) == {"default", "Empty", "Work"}


def test_export_of_this_collection_only(qtbot, open_window, repo, db, tmp_path, answer_with):
    repo.insert("Descartes", "Cogito, ergo sum.")
    tenants.create(repo.store, "Work")
    window = open_window(repo)
    path = tmp_path / "default.jsonl"
    export_all(qtbot, window, path, answer_with, button="&This Collection")
    job_done(qtbot, window, "Exported 1 quote of the collection default to default.jsonl.")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["content"] for line in lines] == ["Cogito, ergo sum."]
    assert "tenant" not in lines[0]


def test_a_bad_line_is_named_and_nothing_is_imported(qtbot, open_window, repo, db, tmp_path, answer_with):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"author": "A", "content": "Fine."}\n'
        '{"author": "B", "content": "Also fine."}\n'
        '{"author": "C", "content": ""}\n'
    )
    window = open_window(repo)
    answer_with(path)
    window.action_set.import_quotes.trigger()
    qtbot.waitUntil(lambda: window.transfers._running is None, timeout=WAIT_MS)
    box = visible_dialog(window, QMessageBox)
    assert box.windowTitle() == "Could Not Import"
    assert box.text().startswith("Nothing was imported from bad.jsonl: line 3: ")
    assert "content" in box.text()
    assert Cli.on_file(db).listed() == []


def test_naive_times_and_ids_taken_are_refused_naming_the_line(
    qtbot, open_window, repo, db, tmp_path, answer_with
):
    there = repo.insert("Descartes", "Cogito, ergo sum.")
    naive = tmp_path / "naive.jsonl"
    whole = there.to_json() | {"id": "other", "inserted_at": "2024-01-01T10:00:00"}
    naive.write_text(json.dumps({"author": "A", "content": "Fine."}) + "\n" + json.dumps(whole) + "\n")
    taken = tmp_path / "taken.jsonl"
    taken.write_text(json.dumps(there.to_json()) + "\n")
    window = open_window(repo)
    answer_with(naive, taken)
    for words in ("line 2: inserted_at", f"line 1: a quote with id {there.id} already exists"):
        window.action_set.import_quotes.trigger()
        qtbot.waitUntil(lambda: window.transfers._running is None, timeout=WAIT_MS)
        box = visible_dialog(window, QMessageBox)
        assert words in box.text(), box.text()
        box.close()
        qtbot.waitUntil(lambda box=box: not box.isVisible(), timeout=WAIT_MS)
    assert [q["id"] for q in Cli.on_file(db).listed()] == [there.id]


def test_back_up_gives_a_store_with_the_same_collections_and_quotes(
    qtbot, open_window, repo, db, tmp_path, answer_with
):
    repo.insert("Descartes", "Cogito, ergo sum.")
    tenants.create(repo.store, "Work")
    insert_into(db, "Work", "Seneca", "Luck is what happens when preparation meets opportunity.")
    tenants.create(repo.store, "Empty")
    window = open_window(repo)
    copy = tmp_path / "copy.db"
    answer_with(copy)
    window.action_set.back_up.trigger()
    job_done(qtbot, window, f"Backed up the store to {copy}.")
    assert every_listing(copy) == every_listing(db)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in any folder")
def test_export_to_a_folder_without_permission_says_so(qtbot, open_window, repo, tmp_path, answer_with):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    window = open_window(repo)
    export_all(qtbot, window, locked / "all.jsonl", answer_with)
    qtbot.waitUntil(lambda: window.transfers._running is None, timeout=WAIT_MS)
    box = visible_dialog(window, QMessageBox)
    assert box.text() == f"Cannot write in {locked}: permission denied. No file was written."
    assert list(locked.iterdir()) == []


def test_the_file_menu_offers_them_with_mnemonics(open_window, repo):
    window = open_window(repo)
    file_menu = window.action_set.file_menu
    assert window.menuBar().actions()[0].text() == file_menu.title() == "&File"
    texts = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert texts[3:6] == ["&Import…", "E&xport…", "&Back Up…"]
    mnemonics = [t[t.index("&") + 1].lower() for t in texts]
    assert len(set(mnemonics)) == len(mnemonics)  # each reachable by its own letter
    assert all(a.isEnabled() for a in file_menu.actions()[3:7] if not a.isSeparator())


def test_closing_the_window_during_an_import_cancels_it(qtbot, open_window, repo, db, tmp_path, answer_with):
    path = quote_lines(tmp_path / "many.jsonl", 20_000)
    window = open_window(repo)
    answer_with(path)
    window.action_set.import_quotes.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(JobProgress)), timeout=WAIT_MS)
    dialog = visible_dialog(window, JobProgress)
    qtbot.waitUntil(lambda: "Importing" in dialog.labelText(), timeout=WAIT_MS)
    closed = asyncio.ensure_future(window.wait_closed())
    window.close()
    qtbot.waitUntil(closed.done, timeout=WAIT_MS)
    assert Cli.on_file(db).listed() == []


def test_import_goes_into_the_collection_shown(qtbot, open_window, repo, db, tmp_path, answer_with):
    tenants.create(repo.store, "Work")
    path = quote_lines(tmp_path / "few.jsonl", 3)
    window = open_window(QuoteRepo(repo.store, "Work"))
    answer_with(path)
    window.action_set.import_quotes.trigger()
    job_done(qtbot, window, "Imported 3 quotes from few.jsonl.")
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=WAIT_MS)
    listing = every_listing(db)
    assert (len(listing["Work"]), listing["default"]) == (3, [])
