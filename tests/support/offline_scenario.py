"""The offline scenario at the user's level, on any store that can be taken away and brought back.

A window is open; the store goes away; the user likes three times, adds,
edits and deletes; quits; opens the window again while the store is still
away (the cached collection, with the six changes pending); meanwhile
someone else edits the quote the user edited; the store comes back: the
conflict view opens for that edit (Overwrite), every change lands once, the
pending marks clear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt

from app.client.offline import load_cached
from app.repo import QuoteRepo
from app.ui.add_dialog import QuoteDialog
from app.ui.confirm_dialog import ConfirmDeleteDialog
from app.ui.conflict_dialog import ConflictDialog
from support.cli import Cli
from support.waiting import WAIT_MS
from support.window import is_pending, shown_ids, shown_likes, visible_dialog


@dataclass
class Offline:
    """What the scenario acts with."""

    qtbot: Any
    #: Opens a window on the collection as ``quotes`` does; closes one, awaiting its clean-up.
    open_window: Callable[[], Any]
    quit_window: Callable[[Any], None]
    #: Take the store away from the windows, and bring it back.
    away: Callable[[], None]
    back: Callable[[], None]
    #: Someone else's repository on the collection (used while the store answers them).
    elsewhere: QuoteRepo
    #: The command line on the collection.
    cli: Cli
    #: Makes ``elsewhere``'s edit while the windows' store is away (see ``run``).
    meanwhile: Callable[[Callable[[], None]], None]


def waiting(window: Any) -> str:
    button = window.outbox.button
    return button.text() if button.isVisible() else ""


def edit(qtbot: Any, window: Any, quote_id: str, content: str) -> None:
    assert window.select(quote_id)
    window.action_set.edit.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    dialog.content.selectAll()
    qtbot.keyClicks(dialog.content, content)
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)


def add(qtbot: Any, window: Any, author: str, content: str) -> None:
    window.action_set.add.trigger()
    dialog = visible_dialog(window, QuoteDialog)
    qtbot.keyClicks(dialog.content, content)
    qtbot.keyClicks(dialog.author, author)
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)


def delete(qtbot: Any, window: Any, quote_id: str) -> None:
    assert window.select(quote_id)
    window.action_set.delete.trigger()
    confirm = visible_dialog(window, ConfirmDeleteDialog)
    qtbot.mouseClick(confirm.delete_button, Qt.MouseButton.LeftButton)


def run(o: Offline) -> None:
    qtbot, elsewhere = o.qtbot, o.elsewhere
    liked, also_liked, edited, deleted, untouched = (
        elsewhere.insert("Author", f"Quote {n}") for n in range(5)
    )
    window = o.open_window()
    qtbot.waitUntil(lambda: window.connection == "Connected" and len(shown_ids(window)) == 5, timeout=WAIT_MS)

    def cached() -> bool:
        cache = load_cached(window.session.repo.store, elsewhere.tenant)
        return cache is not None and cache.cursor is not None and len(cache.quotes) == 5

    qtbot.waitUntil(cached, timeout=WAIT_MS)

    o.away()
    qtbot.waitUntil(lambda: window.connection.startswith("Offline — as of"), timeout=WAIT_MS)
    window.like(liked.id)
    window.like(liked.id)
    window.like(also_liked.id)
    add(qtbot, window, "Newcomer", "Written on a train.")
    edit(qtbot, window, edited.id, "Edited offline.")
    delete(qtbot, window, deleted.id)
    qtbot.waitUntil(lambda: waiting(window) == "6 changes waiting to be sent", timeout=WAIT_MS)
    assert shown_likes(window, liked.id) == 2 and is_pending(window, liked.id)
    o.quit_window(window)
    o.meanwhile(lambda: elsewhere.update(edited.id, content="Edited elsewhere meanwhile."))

    window = o.open_window()  # still away: the cached collection, with the changes waiting
    qtbot.waitUntil(lambda: waiting(window) == "6 changes waiting to be sent", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(shown_ids(window)) == 5, timeout=WAIT_MS)
    assert window.connection.startswith("Offline — as of")
    shown = set(shown_ids(window))
    new_id = next(i for i in shown if i not in {q.id for q in (liked, also_liked, edited, untouched)})
    assert shown == {liked.id, also_liked.id, edited.id, untouched.id, new_id}
    assert (shown_likes(window, liked.id), shown_likes(window, also_liked.id)) == (2, 1)
    assert all(is_pending(window, i) for i in (liked.id, also_liked.id, edited.id, new_id))
    assert not is_pending(window, untouched.id)

    o.back()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ConflictDialog)), timeout=WAIT_MS)
    view = visible_dialog(window, ConflictDialog)
    assert view.conflict.theirs.content == "Edited elsewhere meanwhile."
    with qtbot.waitSignal(view.finished, timeout=WAIT_MS):
        overwrite = view.choice_buttons[view.conflict.choices[1]]
        qtbot.mouseClick(overwrite, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: waiting(window) == "" and window.connection == "Connected", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not any(is_pending(window, i) for i in shown_ids(window)), timeout=WAIT_MS)
    # The overwrite chosen in the conflict view is a write of its own, not a waiting change.
    qtbot.waitUntil(lambda: elsewhere.get(edited.id).content == "Edited offline.", timeout=WAIT_MS)

    listed = {q["id"]: q for q in o.cli.listed()}
    assert set(listed) == {liked.id, also_liked.id, edited.id, untouched.id, new_id}
    assert (listed[liked.id]["likes"], listed[also_liked.id]["likes"]) == (2, 1)
    assert listed[new_id]["content"] == "Written on a train." and listed[new_id]["author"] == "Newcomer"
    assert listed[edited.id]["content"] == "Edited offline."
    counters = elsewhere.counters()
    assert (counters["inserts"], counters["deletes"]) == (6, 1)  # the add once, the delete once
    qtbot.waitUntil(lambda: shown_likes(window, liked.id) == 2, timeout=WAIT_MS)
