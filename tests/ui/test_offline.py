"""Working while the store is out of reach: the outbox, the cached collection, the way back.

The embedded store is made unreachable the way a cluster is (the
``unreachable_file`` fault: while the file exists, every call fails as on a
cluster that does not answer); "elsewhere" is another program's connection
to the same file, which the fault does not touch.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from support.cli import Cli
from support.waiting import WAIT_MS
from support.window import is_pending, shown_ids, shown_likes, visible_dialog

from app.client import open_session
from app.client.offline import load_cached
from app.repo import QuoteRepo, tenants
from app.store.sqlite import SQLiteStore
from app.ui.add_dialog import QuoteDialog
from app.ui.confirm_dialog import ConfirmDeleteDialog
from app.ui.conflict_dialog import ConflictDialog
from app.ui.window import MainWindow


@pytest.fixture
def switch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """While this file exists, the windows' store does not answer (other faults asked for stay)."""
    path = tmp_path / "unreachable"
    faults = ",".join(filter(None, [os.environ.get("QUOTES_FAULTS", ""), f"unreachable_file={path}"]))
    monkeypatch.setenv("QUOTES_FAULTS", faults)
    return path


@pytest.fixture
def elsewhere(db: Path):
    """Someone else's connection to the store (collection "trip"): always reachable."""
    store = SQLiteStore(db, faults=None)
    tenants.create(store, "trip")
    repo = QuoteRepo(store, "trip")
    yield repo
    repo.close()


@pytest.fixture
def windows(qtbot, aio, settings, switch):
    """Open windows on the store at ``db`` as ``quotes`` does (offline support and all);
    each is closed, its clean-up awaited, by ``quit`` or at the end."""
    opened: list[MainWindow] = []

    def open_(db: Path) -> MainWindow:
        window = MainWindow(open_session(db, tenant="trip"), settings)
        opened.append(window)
        window.show()
        window.start()
        return window

    def quit_(window: MainWindow) -> None:
        closed = asyncio.ensure_future(window.wait_closed())
        window.close()
        qtbot.waitUntil(closed.done, timeout=WAIT_MS)
        opened.remove(window)

    yield open_, quit_
    for window in list(opened):
        quit_(window)


def waiting(window: MainWindow) -> str:
    button = window.outbox.button
    return button.text() if button.isVisible() else ""


def edit(qtbot, window: MainWindow, quote_id: str, content: str) -> None:
    assert window.select(quote_id)
    window.action_set.edit.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    dialog.content.selectAll()
    qtbot.keyClicks(dialog.content, content)
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)


def add(qtbot, window: MainWindow, author: str, content: str) -> None:
    window.action_set.add.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    qtbot.keyClicks(dialog.content, content)
    qtbot.keyClicks(dialog.author, author)
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)


def delete(qtbot, window: MainWindow, quote_id: str) -> None:
    assert window.select(quote_id)
    window.action_set.delete.trigger()
    confirm = visible_dialog(window, ConfirmDeleteDialog)
    qtbot.mouseClick(confirm.delete_button, Qt.MouseButton.LeftButton)


def test_changes_made_offline_survive_a_restart_and_land_once_when_the_store_answers(
    qtbot, windows, switch, elsewhere, db
) -> None:
    open_, quit_ = windows
    liked, also_liked, edited, deleted, untouched = (
        elsewhere.insert("Author", f"Quote {n}") for n in range(5)
    )
    window = open_(db)
    qtbot.waitUntil(lambda: window.connection == "Connected" and len(shown_ids(window)) == 5, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: (
            (c := load_cached(window.session.repo.store, "trip")) is not None
            and c.cursor is not None
            and len(c.quotes) == 5
        ),
        timeout=WAIT_MS,
    )

    switch.touch()
    qtbot.waitUntil(lambda: window.connection.startswith("Offline — as of"), timeout=WAIT_MS)
    window.like(liked.id)
    window.like(liked.id)
    window.like(also_liked.id)
    add(qtbot, window, "Newcomer", "Written on a train.")
    edit(qtbot, window, edited.id, "Edited offline.")
    delete(qtbot, window, deleted.id)
    qtbot.waitUntil(lambda: waiting(window) == "6 changes waiting to be sent", timeout=WAIT_MS)
    assert shown_likes(window, liked.id) == 2 and is_pending(window, liked.id)
    elsewhere.update(edited.id, content="Edited elsewhere meanwhile.")
    quit_(window)

    window = open_(db)  # still unreachable: the cached collection, with the changes waiting
    qtbot.waitUntil(lambda: waiting(window) == "6 changes waiting to be sent", timeout=WAIT_MS)
    assert window.connection.startswith("Offline — as of")
    shown = set(shown_ids(window))
    new_id = next(i for i in shown if i not in {q.id for q in (liked, also_liked, edited, untouched)})
    assert shown == {liked.id, also_liked.id, edited.id, untouched.id, new_id}
    assert (shown_likes(window, liked.id), shown_likes(window, also_liked.id)) == (2, 1)
    assert all(is_pending(window, i) for i in (liked.id, also_liked.id, edited.id, new_id))
    assert not is_pending(window, untouched.id)
    assert window.model.index_of(edited.id).data(Qt.ItemDataRole.DisplayRole) is not None

    switch.unlink()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ConflictDialog)), timeout=WAIT_MS)
    view = visible_dialog(window, ConflictDialog)
    assert view.conflict.theirs.content == "Edited elsewhere meanwhile."
    with qtbot.waitSignal(view.finished, timeout=WAIT_MS):
        qtbot.mouseClick(
            view.choice_buttons[view.conflict.choices[1]], Qt.MouseButton.LeftButton
        )  # Overwrite
    qtbot.waitUntil(lambda: waiting(window) == "" and window.connection == "Connected", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not any(is_pending(window, i) for i in shown_ids(window)), timeout=WAIT_MS)

    listed = {q["id"]: q for q in Cli.on_file(db).listed("--tenant", "trip")}
    assert set(listed) == {liked.id, also_liked.id, edited.id, untouched.id, new_id}
    assert (listed[liked.id]["likes"], listed[also_liked.id]["likes"]) == (2, 1)
    assert listed[new_id]["content"] == "Written on a train." and listed[new_id]["author"] == "Newcomer"
    assert listed[edited.id]["content"] == "Edited offline."
    counters = elsewhere.counters()
    assert (counters["inserts"], counters["deletes"]) == (6, 1)  # the add once, the delete once
    qtbot.waitUntil(lambda: shown_likes(window, liked.id) == 2, timeout=WAIT_MS)
