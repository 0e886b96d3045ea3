"""A window opening on a collection: newest first a page at a time, old stores included."""

from __future__ import annotations

from PySide6.QtCore import Qt
from support.card_views import all_measured_soon
from support.older_stores import as_before_the_index
from support.waiting import WAIT_MS
from support.window import is_pending, shown_ids

from app.client import list_ordering
from app.client.live_feed import SLICE
from app.repo.schema import QuoteFields
from app.sync.events import Changes, Page, Snapshot
from app.ui.model import Sort


def newest_first(repo) -> list[str]:
    quotes = sorted(repo.read_all(), key=lambda q: (q.inserted_at, q.id), reverse=True)
    return [q.id for q in quotes]


def most_liked(quote) -> tuple:
    return (-quote.likes, -quote.inserted_at.timestamp(), tuple(-ord(c) for c in quote.id))


def test_a_large_collection_comes_in_below_the_first_page_in_one_insert(
    qtbot, qtmodeltester, open_window, repo
) -> None:
    repo.import_many([(QuoteFields(author=f"A{n}", content=f"Quote {n}."), n % 7) for n in range(5_000)])
    pages, resets, inserted = [], [], []

    def watch_loading(window) -> None:
        qtmodeltester.check(window.model, force_py=True)  # and at every change of the stream
        window.session.subscribe(
            lambda event: isinstance(event, Page) and pages.append(window.status.sync_label.text())
        )
        window.model.modelReset.connect(lambda: resets.append(window.model.rowCount()))
        window.model.rowsInserted.connect(lambda parent, first, last: inserted.append(last - first + 1))

    window = open_window(repo, before_start=watch_loading)

    assert window.model.quotes.complete and window.model.quotes.sort is Sort.NEWEST
    assert shown_ids(window) == newest_first(repo)
    assert len(pages) >= 2, "the rest came as pages"
    assert pages[-1] == "Loading… 5,000 of 5,000 quotes", "held back until ordered, still counted"
    assert window.status.sync_label.text() == "Up to date"
    assert resets == [5_000 - sum(inserted)], "one reset: the first page"
    assert 0 < resets[0] < 5_000 and len(inserted) == 1, "the rest below it, at once"


def test_the_rest_of_a_large_collection_comes_in_slices_below_the_first_page(
    qtbot, qtmodeltester, open_window, repo, monkeypatch
) -> None:
    """At a million quotes the rest comes 32,768 rows an insert; here 1,000 of 5,000."""
    monkeypatch.setattr(list_ordering, "TAIL_AT_ONCE", 1_000)
    repo.import_many([(QuoteFields(author=f"A{n}", content=f"Quote {n}."), n % 7) for n in range(5_000)])
    inserted = []

    def watch_loading(window) -> None:
        qtmodeltester.check(window.model, force_py=True)  # and at every change of the stream
        window.model.rowsInserted.connect(lambda parent, first, last: inserted.append(last - first + 1))

    window = open_window(repo, before_start=watch_loading)

    assert shown_ids(window) == newest_first(repo) and not window.model.quotes.ordering
    assert len(inserted) == 5 and set(inserted[:-1]) == {1_000}, "the rest below the first page, in slices"
    assert window.status.sync_label.text() == "Up to date"


def test_most_liked_shows_the_newest_page_by_likes_then_the_whole_collection(
    qtbot, qtmodeltester, open_window, repo, settings
) -> None:
    repo.import_many([(QuoteFields(author=f"A{n}", content=f"Quote {n}."), n % 7) for n in range(5_000)])
    settings.setValue("view/sort", Sort.MOST_LIKED.value)
    first_screens, counts = [], []

    def watch_loading(window) -> None:
        qtmodeltester.check(window.model, force_py=True)
        window.session.subscribe(
            lambda event: (
                isinstance(event, Snapshot)
                and first_screens.append((shown_ids(window), window.status.sync_label.text()))
            )
        )
        window.session.subscribe(
            lambda event: isinstance(event, Page) and counts.append(window.status.sync_label.text())
        )

    window = open_window(repo, before_start=watch_loading)

    shown, label = first_screens[0]
    newest_page = set(newest_first(repo)[: len(shown)])
    assert set(shown) == newest_page and 0 < len(shown) < 5_000
    assert shown == [q.id for q in sorted(map(repo.get, shown), key=most_liked)]
    assert label == f"Loading… {len(shown):,} of 5,000 quotes"
    assert counts and counts[-1] == "Loading… 5,000 of 5,000 quotes", "held back, still counted"
    assert window.model.quotes.complete and window.model.quotes.sort is Sort.MOST_LIKED
    assert shown_ids(window) == [q.id for q in sorted(repo.read_all(), key=most_liked)]
    assert window.status.sync_label.text() == "Up to date"


def test_a_window_on_a_store_written_before_the_index_shows_it_whole_and_fills_it_in(
    qtbot, open_window, repo
) -> None:
    repo.import_many([(QuoteFields(author=f"A{n}", content=f"Quote {n}."), 0) for n in range(30)])
    as_before_the_index(repo)

    window = open_window(repo)

    assert shown_ids(window) == newest_first(repo)
    qtbot.waitUntil(lambda: repo.start_read().indexed, timeout=WAIT_MS)
    quotes, _ = repo.newest_page(None, 100)
    assert [q.id for q in quotes] == newest_first(repo)


def test_a_big_batch_from_elsewhere_reaches_the_window_a_slice_at_a_time(
    qtbot, open_window, repo, other_writer
) -> None:
    window = open_window(repo)
    sizes = []
    window.session.subscribe(
        lambda event: (
            isinstance(event, Changes)
            and sizes.append(len(event.inserted) + len(event.updated) + len(event.deleted))
        )
    )

    batch = [(QuoteFields(author="Elsewhere", content=f"Batch {n}."), 0) for n in range(1_500)]
    other_writer.import_many(batch)

    qtbot.waitUntil(lambda: len(shown_ids(window)) == len(repo.read_all()), timeout=WAIT_MS)
    assert shown_ids(window) == newest_first(repo)
    assert sum(sizes) >= 1_500 and max(sizes) <= SLICE < 1_500  # one batch, in slices


def test_end_page_down_and_the_scroll_bar_reach_the_last_card_loaded(qtbot, open_window, repo) -> None:
    repo.import_many(
        [
            (QuoteFields(author=f"A{n}", content=f"Quote {n}. " + "words " * (n % 9 * 12)), 0)
            for n in range(1_200)
        ]
    )
    pressed = []

    def press_end_on_the_first_page(window) -> None:
        def on_event(event) -> None:
            if isinstance(event, Snapshot) and not event.complete:  # the rest is still to come
                window.view.setFocus()
                qtbot.keyClick(window.view, Qt.Key.Key_End)
                pressed.append((window.selected_id(), window.model.rowCount()))

        window.session.subscribe(on_event)

    window = open_window(repo, before_start=press_end_on_the_first_page)
    view, bar = window.view, window.view.verticalScrollBar()
    model = view.model()

    def in_sight(row: int) -> bool:
        return view.viewport().rect().contains(view.visualRect(model.index(row, 0)))

    [(chosen, loaded)], total = pressed, model.rowCount()
    assert loaded < total and view.currentIndex().row() == loaded - 1, "End: the last card loaded then"
    qtbot.waitUntil(all_measured_soon(view), timeout=WAIT_MS)
    assert window.selected_id() == chosen and in_sight(loaded - 1), "kept in sight as the rest came in"

    qtbot.keyClick(view, Qt.Key.Key_End)
    qtbot.waitUntil(all_measured_soon(view), timeout=WAIT_MS)
    assert view.currentIndex().row() == total - 1 and in_sight(total - 1)
    assert bar.value() == bar.maximum()

    qtbot.keyClick(view, Qt.Key.Key_Home)
    bar.setValue(bar.maximum())
    assert in_sight(total - 1), "the scroll bar's end shows the last card"

    qtbot.keyClick(view, Qt.Key.Key_Home)
    for _ in range(total):
        if view.currentIndex().row() == total - 1:
            break
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.currentIndex().row() == total - 1 and in_sight(total - 1)


def test_most_liked_is_worked_out_while_the_list_stays_live(
    qtbot, qtmodeltester, open_window, repo, other_writer
) -> None:
    repo.import_many([(QuoteFields(author=f"A{n}", content=f"Quote {n}."), n % 7) for n in range(3_000)])
    window = open_window(repo)
    qtmodeltester.check(window.model, force_py=True)
    window.model.quotes.order_slice_s = 0  # a step a turn of the event loop: the order takes many
    [most_liked_action] = [a for a in window.action_set.sorts.actions() if a.data() == Sort.MOST_LIKED.value]
    newest = shown_ids(window)
    liked_elsewhere, ours = newest[-1], newest[-2]

    most_liked_action.trigger()
    assert window.model.quotes.ordering and shown_ids(window) == newest, "the rows keep their order meanwhile"
    other_writer.like(liked_elsewhere)
    window.session.deliver(Changes(updated=(repo.get(liked_elsewhere),)))  # as the watch brings it
    assert window.select(ours)
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    assert window.model.quotes.ordering, "both arrived while ordering"

    qtbot.waitUntil(lambda: not window.model.quotes.ordering, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not is_pending(window, ours), timeout=WAIT_MS)
    assert shown_ids(window) == [q.id for q in sorted(repo.read_all(), key=most_liked)]
    assert window.selected_id() == ours
