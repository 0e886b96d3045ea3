"""The card list view: it measures only what it shows, keeps the place, and acts as a list."""

import random

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication
from support.card_views import all_measured, all_measured_soon, is_measured, make_view, quotes, rows_in_sight
from support.quotes import make_quote
from support.waiting import WAIT_MS

from app.sync.events import Changes, Snapshot
from app.ui.model import QuoteListModel, Sort
from app.ui.roles import IdRole
from app.ui.view import QuoteListView


def test_only_the_rows_in_sight_are_measured_before_the_first_paint(qtbot):
    view, probe = make_view(qtbot, 10_000, first_paint=True)
    qtbot.waitUntil(lambda: probe.sized is not None, timeout=WAIT_MS)

    shown = rows_in_sight(view)
    assert 3 <= len(shown) < 20
    # Each card in sight, and only those in sight while the rows had estimated heights.
    assert set(shown) <= set(probe.sized) == set(range(len(set(probe.sized))))
    assert len(probe.sized) < 20
    delegate = view.itemDelegate()
    assert all(is_measured(view, row) for row in shown)  # in sight with their own heights

    # The others are measured while idle, each once; the scroll bar is then exact.
    qtbot.waitUntil(all_measured_soon(view), timeout=WAIT_MS)
    assert sorted(set(delegate.sized)) == list(range(10_000))
    total = sum(view.rowHeight(row) for row in range(10_000))
    bar = view.verticalScrollBar()
    assert bar.maximum() == total - view.viewport().height()


def test_the_top_card_does_not_jump_when_rows_above_it_are_measured(qtbot):
    view, _ = make_view(qtbot, 3_000)
    model = view.model()
    target = model.index(2_000, 0)
    view.scrollTo(target, QAbstractItemView.ScrollHint.PositionAtTop)
    assert not all_measured(view) and not is_measured(view, 1_000)  # rows above: estimated
    top_id = view.indexAt(QPoint(10, 0)).data(IdRole)
    top = view.visualRect(model.index_of(top_id)).top()

    # Scrolling up a little shows a row not measured yet: the cards in sight stay put.
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() - 30)
    assert is_measured(view, view.rowAt(0))
    assert view.visualRect(model.index_of(top_id)).top() == top + 30
    bar.setValue(bar.value() + 30)
    assert view.visualRect(model.index_of(top_id)).top() == top

    # The rows above are measured while idle (their heights change): still in place.
    qtbot.waitUntil(all_measured_soon(view), timeout=WAIT_MS)
    assert is_measured(view, 1_000)
    assert view.indexAt(QPoint(10, 0)).data(IdRole) == top_id
    assert view.visualRect(model.index_of(top_id)).top() == top


def test_inserts_removes_and_moves_above_keep_the_top_card_in_place(qtbot):
    view, _ = make_view(qtbot, 400)
    model = view.model()
    qtbot.waitUntil(all_measured_soon(view), timeout=WAIT_MS)
    view.scrollTo(model.index(200, 0), QAbstractItemView.ScrollHint.PositionAtTop)
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + 17)  # the top card partly above the viewport
    top_id = view.indexAt(QPoint(10, 0)).data(IdRole)
    top = view.visualRect(model.index_of(top_id)).top()

    model.apply(
        Changes(
            inserted=(make_quote("new", 0, 10_000, content="words " * 150),),
            deleted=("q00390",),
            updated=(model.quotes[model.index_of("q00350").row()].replace(content="words " * 90),),
        )
    )
    qtbot.waitUntil(lambda: view.visualRect(model.index_of(top_id)).top() == top, timeout=WAIT_MS)
    assert is_measured(view, 0) and view.rowHeight(0) > view.rowHeight(1)


@pytest.mark.parametrize("sort", list(Sort))
def test_changes_while_measuring_while_idle_leave_no_row_unmeasured(qtbot, sort):
    """Inserts, deletes and moves anywhere, again and again while the idle measuring
    is under way: where it goes on from, it misses no row."""
    view, _ = make_view(qtbot, 3_000, sort=sort)
    model = view.model()
    rng = random.Random(3)
    for step in range(300):
        row = rng.randrange(model.rowCount())
        quote = model.quotes[row]
        roll = rng.random()
        if roll < 0.3:
            model.apply(
                Changes(
                    inserted=(
                        make_quote(
                            f"n{step}",
                            rng.randrange(9),
                            rng.randrange(4_000),
                            content="new " * rng.randrange(1, 90),
                        ),
                    )
                )
            )
        elif roll < 0.5:
            model.apply(Changes(deleted=(quote.id,)))
        else:
            model.apply(Changes(updated=(quote.replace(likes=quote.likes + rng.randrange(1, 4)),)))
        if step % 10 == 0:
            QApplication.processEvents()

    qtbot.waitUntil(all_measured_soon(view), timeout=WAIT_MS)
    assert all(is_measured(view, row) for row in range(model.rowCount()))


def test_measuring_while_idle_finishes_under_a_steady_stream_of_new_quotes_at_the_top(qtbot):
    """It goes on from where it was; starting over at the top on each new quote, it
    spent its turns passing over the cards it had measured. The stream keeps pace
    with the measuring (a new quote once four more cards are measured), not with
    the clock, so the test asks as much of a busy machine as of an idle one."""
    view, _ = make_view(qtbot, 6_000)
    model = view.model()
    sized = view.itemDelegate().sized
    added = iter(range(10**6))
    paced = {"at": 0}

    def add_one_per_four_measured() -> None:
        if len(sized) - paced["at"] >= 4:
            model.apply(Changes(inserted=(make_quote(f"n{next(added)}", 0, 10**6),)))
            paced["at"] = len(sized)

    stream = QTimer(interval=0)
    stream.timeout.connect(add_one_per_four_measured)
    stream.start()
    try:
        qtbot.waitUntil(all_measured_soon(view), timeout=WAIT_MS)
    finally:
        stream.stop()
    assert all(is_measured(view, row) for row in range(model.rowCount()))
    assert model.rowCount() > 6_000 + 100  # the stream ran all along


def test_home_end_page_and_arrow_keys_move_as_in_a_list(qtbot):
    view, _ = make_view(qtbot, 2_000)
    model = view.model()
    view.setCurrentIndex(model.index(5, 0))

    qtbot.keyClick(view, Qt.Key.Key_End)
    last = model.index(1_999, 0)
    assert view.currentIndex() == last
    assert view.selectionModel().selectedRows() == [last]
    assert view.viewport().rect().contains(view.visualRect(last))
    assert view.verticalScrollBar().value() == view.verticalScrollBar().maximum()

    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.currentIndex().row() == 1_998
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.currentIndex().row() == 0
    assert view.verticalScrollBar().value() == 0
    assert view.selectionModel().selectedRows() == [model.index(0, 0)]

    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    paged = view.currentIndex().row()
    assert paged > 2
    assert view.viewport().rect().contains(view.visualRect(view.currentIndex()))
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.currentIndex().row() < paged


def test_it_looks_and_reads_as_a_list(qtbot):
    view, _ = make_view(qtbot, 50)
    assert not view.showGrid()
    assert view.horizontalHeader().isHidden() and view.verticalHeader().isHidden()
    # Never painted, so a row resize need not find it on screen (an O(rows) walk).
    assert not view.verticalHeader().updatesEnabled()
    assert view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert view.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection
    assert view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert not view.tabKeyNavigation()
    assert view.accessibleName() == "Quotes" and "List of quotes" in view.accessibleDescription()
    view.resize(400, 600)
    QApplication.processEvents()
    assert view.columnWidth(0) == view.viewport().width()
    assert view.horizontalScrollBar().maximum() == 0


@pytest.mark.parametrize("width", [300, 900])
def test_a_new_width_measures_the_cards_again(qtbot, width):
    view, _ = make_view(qtbot, 200)
    qtbot.waitUntil(all_measured_soon(view), timeout=WAIT_MS)
    before = [view.rowHeight(row) for row in range(200)]
    view.resize(width, 700)
    QApplication.processEvents()
    assert all(is_measured(view, row) for row in rows_in_sight(view))
    qtbot.waitUntil(all_measured_soon(view), timeout=WAIT_MS)
    after = [view.rowHeight(row) for row in range(200)]
    changed = [a != b for a, b in zip(before, after, strict=True)]
    assert any(changed)
    if width < 520:
        assert all(a >= b for a, b in zip(after, before, strict=True))
    else:
        assert all(a <= b for a, b in zip(after, before, strict=True))


def test_model_tester_on_the_row_header_model_while_the_list_changes(qtbot, qtmodeltester):
    """The view's header sees its own model of the rows: it too must be a correct model."""
    import random

    from app.ui.model import Sort

    rng = random.Random(5)
    model = QuoteListModel(sort=Sort.MOST_LIKED)
    truth = {q.id: q for q in quotes(30)}
    model.apply(Snapshot(tuple(truth.values())))
    view = QuoteListView()
    view.setModel(model)
    qtbot.addWidget(view)
    qtmodeltester.check(view.verticalHeader().model())
    next_id = 1000
    for step in range(200):
        roll = rng.random()
        if roll < 0.3:
            new = make_quote(f"n{next_id}", rng.randrange(9), next_id)
            next_id += 1
            truth[new.id] = new
            model.apply(Changes(inserted=(new,)))
        elif roll < 0.8 and truth:
            old = truth[rng.choice(sorted(truth))]
            new = old.replace(likes=old.likes + rng.randrange(1, 5))
            truth[new.id] = new
            model.apply(Changes(updated=(new,)))  # a like may move the row
        elif truth:
            victim = rng.choice(sorted(truth))
            del truth[victim]
            model.apply(Changes(deleted=(victim,)))
        if step % 40 == 0:
            model.set_sort(Sort.NEWEST if model.quotes.sort is Sort.MOST_LIKED else Sort.MOST_LIKED)
        assert view.verticalHeader().count() == model.rowCount() == len(truth)


def test_end_stays_on_the_last_card_while_the_cards_above_are_measured(qtbot):
    """Measuring cards above the viewport at the end of the list moved the place
    twice (the scroll range shrank under it, then the shift again): the last
    cards went below the viewport and End, already there, did nothing."""
    view, _ = make_view(qtbot, 0)
    model, bar = view.model(), view.verticalScrollBar()
    long_ones = tuple(make_quote(f"l{n}", content="Long. " + "words " * 150) for n in range(20))
    model.apply(Snapshot(long_ones))  # measured: the next rows are estimated as tall as these
    qtbot.waitUntil(all_measured_soon(view), timeout=WAIT_MS)
    model.apply(Snapshot(tuple(make_quote(f"s{n:04d}", minute=n, content="Short.") for n in range(3_000))))
    view.setFocus()

    qtbot.keyClick(view, Qt.Key.Key_End)
    qtbot.waitUntil(all_measured_soon(view), timeout=WAIT_MS)

    last = model.index(model.rowCount() - 1, 0)
    assert view.currentIndex() == last
    assert view.viewport().rect().contains(view.visualRect(last))
    assert bar.value() == bar.maximum()
