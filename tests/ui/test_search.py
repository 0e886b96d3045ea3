"""Ctrl+F: the list shows only matching quotes, and stays live as others edit."""

import random
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from support.folding import FINDS, MISSES
from support.quotes import make_quote
from support.waiting import WAIT_MS
from support.window import is_pending

from app.sync.events import Changes, Snapshot
from app.ui import search_model
from app.ui.model import QuoteListModel, Sort
from app.ui.roles import IdRole
from app.ui.search_model import SearchModel

ROOT = Path(__file__).resolve().parents[2]
EDIT = """
import sys
from app.repo import open_repo
repo = open_repo(sys.argv[1])
repo.update(sys.argv[2], author=sys.argv[3])
repo.close()
"""


def listed(window):
    view = window.lists.shown
    model = view.model()
    return {model.index(row, 0).data(IdRole) for row in range(model.rowCount())}


def retype(qtbot, bar, text):
    """Select what the field holds and type ``text`` over it, as a person does."""
    qtbot.keyClick(bar.field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if not text:
        qtbot.keyClick(bar.field, Qt.Key.Key_Backspace)
    for char in text:
        if char.isascii():
            qtbot.keyClicks(bar.field, char)
        else:  # what an input method (or a compose key) hands the field
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(bar.field, event)


def answered(window, text):
    search = window.lists.search
    return not search.busy and search.shown_text == text


def edit_elsewhere(db, quote_id, author):
    """Another process changes a quote's author."""
    result = subprocess.run(
        [sys.executable, "-c", EDIT, str(db), quote_id, author],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def search_for(qtbot, window, text):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.lists.search_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, text)
    return bar


def test_search_is_case_and_accent_insensitive_and_counts(qtbot, open_window, repo):
    rene = repo.insert("René Descartes", "Cogito, ergo sum.")
    repo.insert("Heraclitus", "One cannot step twice in the same river.")
    strasse = repo.insert("Anon", "Die STRASSE ist lang.")
    window = open_window(repo)

    bar = search_for(qtbot, window, "rene")
    assert listed(window) == {rene.id}
    assert bar.count.text() == "1 of 3"

    bar.field.setText("straße")
    assert listed(window) == {strasse.id}


def test_the_window_finds_what_people_type(qtbot, open_window, repo):
    """The folding table, typed into the search field."""
    ids = {}
    for _, author, content in FINDS + MISSES:
        ids.setdefault((author, content), repo.insert(author, content).id)
    window = open_window(repo)
    bar = search_for(qtbot, window, "")
    for typed, author, content in FINDS + MISSES:
        retype(qtbot, bar, typed)
        qtbot.waitUntil(lambda typed=typed: answered(window, typed), timeout=WAIT_MS)
        found = ids[author, content] in listed(window)
        assert found is ((typed, author, content) in FINDS), typed


def test_an_empty_result_says_so_and_clearing_the_field_counts_everything(qtbot, open_window, repo):
    repo.insert("Seneca", "Luck is what happens when preparation meets opportunity.")
    repo.insert("Heraclitus", "One cannot step twice in the same river.")
    window = open_window(repo)
    bar = search_for(qtbot, window, "zebra")
    view = window.lists.search_view
    qtbot.waitUntil(lambda: answered(window, "zebra"), timeout=WAIT_MS)
    assert view.model().rowCount() == 0
    assert view.accessibleDescription() == "No quotes match “zebra”"
    assert bar.count.text() == "0 of 2"

    retype(qtbot, bar, "")
    assert bar.isVisible() and bar.count.text() == "2 of 2"
    assert len(listed(window)) == 2

    retype(qtbot, bar, "river")
    qtbot.waitUntil(lambda: answered(window, "river"), timeout=WAIT_MS)
    assert bar.count.text() == "1 of 2"
    assert view.accessibleDescription() != "No quotes match “zebra”"


def test_a_newer_keystroke_supersedes_the_search_under_way(qtbot, open_window, repo, monkeypatch):
    repo.import_many(
        make_quote(author=f"Author {n}", content=f"Quote {n} about {n % 7}") for n in range(1500)
    )
    seneca = repo.insert("Seneca", "The one quote with the whole word.")
    monkeypatch.setattr(search_model, "SLICE_S", 0.0)  # one chunk a slice: many slices
    monkeypatch.setattr(search_model, "CHUNK_ROWS", 50)
    window = open_window(repo)
    window.select(seneca.id)
    shown = []
    window.lists.search.resultShown.connect(lambda: shown.append(window.lists.search.shown_text))
    bar = search_for(qtbot, window, "s")  # a slice of "s" runs at once, the rest is to come
    assert window.lists.search.busy
    qtbot.keyClicks(bar.field, "enec")  # before "s" is answered
    qtbot.waitUntil(lambda: answered(window, "senec"), timeout=WAIT_MS)
    assert shown == ["senec"]
    assert len(listed(window)) == 1 and bar.count.text() == "1 of 1,501"
    assert window.selected_id() == seneca.id  # still selected, once the answer holds it


@pytest.mark.e2e
def test_search_stays_live_as_another_process_edits(qtbot, qtmodeltester, open_window, repo, db):
    ada = repo.insert("Ada Lovelace", "The Analytical Engine weaves algebraic patterns.")
    grace = repo.insert("Grace Hopper", "It is easier to ask forgiveness.")
    window = open_window(repo)
    search_for(qtbot, window, "lovelace")
    qtmodeltester.check(window.lists.search)  # and again on every change from here on
    assert listed(window) == {ada.id}

    edit_elsewhere(db, grace.id, "Grace Lovelace Hopper")  # starts matching
    qtbot.waitUntil(lambda: listed(window) == {ada.id, grace.id}, timeout=WAIT_MS)

    edit_elsewhere(db, ada.id, "Augusta Ada King")  # stops matching
    qtbot.waitUntil(lambda: listed(window) == {grace.id}, timeout=WAIT_MS)

    newcomer = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--db",
            str(db),
            "add",
            "--author",
            "Byron Lovelace",
            "--content",
            "A newcomer that matches.",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    qtbot.waitUntil(lambda: listed(window) == {grace.id, newcomer}, timeout=WAIT_MS)
    assert window.lists.search_bar.count.text() == "2 of 3"

    gone = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), "delete", grace.id],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert gone.returncode == 0, gone.stderr
    qtbot.waitUntil(lambda: listed(window) == {newcomer}, timeout=WAIT_MS)
    assert window.lists.search_bar.count.text() == "1 of 2"


def test_liking_from_the_search_list_and_escape_back_to_everything(qtbot, open_window, repo):
    quotes = [repo.insert(f"Author {n}", f"Quote {n}") for n in range(5)]
    window = open_window(repo)
    bar = search_for(qtbot, window, "author 3")
    window.select(quotes[3].id)
    window.lists.search_view.setFocus()
    qtbot.keyClick(window.lists.search_view, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: repo.get(quotes[3].id).likes == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not is_pending(window, quotes[3].id), timeout=WAIT_MS)

    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert listed(window) == {q.id for q in quotes}
    assert window.selected_id() == quotes[3].id


class _Changes:
    """Random adds, edits (with likes that move rows under Most liked) and deletes
    applied to ``source``, with ``truth``: what it should hold."""

    def __init__(self, rng: random.Random, words: list[str], source: QuoteListModel, count: int) -> None:
        self.rng, self.words, self.source = rng, words, source
        self.truth = {q.id: q for q in (self.quote(n) for n in range(count))}
        self.next_id = count
        source.apply(Snapshot(tuple(self.truth.values())))

    def quote(self, n):
        rng = self.rng
        return make_quote(
            f"q{n}", rng.randrange(5), rng.randrange(30), content=f"About the {rng.choice(self.words)}"
        )

    def one(self, adds: float, more_likes) -> None:
        """A change: an add with chance ``adds`` (or if none is left), else an edit
        that adds ``more_likes()`` likes (four times in five), else a delete."""
        rng, truth = self.rng, self.truth
        roll = rng.random()
        if roll < adds or not truth:
            new = self.quote(self.next_id)
            self.next_id += 1
            truth[new.id] = new
            self.source.apply(Changes(inserted=(new,)))
        elif roll < 0.8:
            old = truth[rng.choice(sorted(truth))]
            new = old.replace(likes=old.likes + more_likes(), content=f"About the {rng.choice(self.words)}")
            truth[new.id] = new
            self.source.apply(Changes(updated=(new,)))
        else:
            victim = rng.choice(sorted(truth))
            del truth[victim]
            self.source.apply(Changes(deleted=(victim,)))


def test_model_tester_on_the_search_model_while_changes_stream_in(qtbot, qtmodeltester):
    """Adds, edits, likes that move rows, deletes, new sorts and resets, under a search."""
    rng = random.Random(11)
    source = QuoteListModel(sort=Sort.MOST_LIKED)
    words = ["river", "sum", "engine", "way"]
    changes = _Changes(rng, words, source, 20)
    truth = changes.truth
    search = SearchModel()
    search.setSourceModel(source)
    search.set_text("RIVER")
    qtmodeltester.check(search)
    for step in range(300):
        changes.one(adds=0.3, more_likes=lambda: 1)
        if step % 50 == 0:
            search.set_text(rng.choice(words))
        if step % 60 == 30:
            source.set_sort(Sort.NEWEST if source.quotes.sort is Sort.MOST_LIKED else Sort.MOST_LIKED)
        if step % 100 == 70:
            source.apply(Snapshot(tuple(truth.values())))
        qtbot.waitUntil(lambda: not search.busy, timeout=WAIT_MS)  # after a reset: searched again
        shown = {search.index(r, 0).data(IdRole) for r in range(search.rowCount())}
        assert shown == {i for i, q in truth.items() if search.text.lower() in q.content.lower()}


def test_a_long_answer_shows_its_top_first_and_the_rest_comes_in_live(qtbot, qtmodeltester, monkeypatch):
    """The first cards of a long answer are shown before every row is tested; the
    rows below come in as inserted rows, and stay right under live changes meanwhile."""
    monkeypatch.setattr(search_model, "SLICE_S", 0.0)  # one chunk a slice: many slices
    monkeypatch.setattr(search_model, "CHUNK_ROWS", 100)
    rng = random.Random(5)
    source = QuoteListModel(sort=Sort.MOST_LIKED)
    changes = _Changes(rng, ["river", "sum", "engine"], source, 3000)
    truth = changes.truth
    search = SearchModel()
    search.setSourceModel(source)
    qtmodeltester.check(search)
    grew = []
    search.rowsInserted.connect(lambda *_: grew.append(search.rowCount()))
    complete = []
    search.answerComplete.connect(lambda: complete.append(search.rowCount()))

    search.set_text("river")
    qtbot.waitUntil(lambda: search.current, timeout=WAIT_MS)
    matching = sum("river" in q.content for q in truth.values())
    assert search_model.FIRST_ROWS <= search.rowCount() < matching and search.busy
    while search.busy:  # changes between the slices that answer the rest
        changes.one(adds=0.4, more_likes=lambda: rng.randrange(1, 20))
        shown = [search.index(r, 0).data(IdRole) for r in range(search.rowCount())]
        assert len(set(shown)) == len(shown) and all("river" in truth[i].content for i in shown)
        seen = len(grew)
        qtbot.waitUntil(lambda seen=seen: len(grew) > seen or not search.busy, timeout=WAIT_MS)
    shown = {search.index(r, 0).data(IdRole) for r in range(search.rowCount())}
    assert shown == {i for i, q in truth.items() if "river" in q.content}
    assert len(grew) > 5 and complete == [len(shown)]
