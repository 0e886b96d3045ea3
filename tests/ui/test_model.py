"""QuoteListModel: row-level updates, sorts, optimistic likes, model-tester clean."""

import random
from datetime import datetime

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex
from support.quotes import make_quote

from app.client.order import sort_key
from app.sync.events import Changes, Page, Snapshot
from app.ui.model import LIKE_ROLES, QuoteListModel, Sort
from app.ui.roles import (
    AuthorRole,
    Card,
    CardRole,
    ContentRole,
    FlashRole,
    IdRole,
    InsertedAtRole,
    LikesRole,
    PendingRole,
)


def ids(model):
    return [model.index(row).data(IdRole) for row in range(model.rowCount())]


def likes(model, quote_id):
    return model.index_of(quote_id).data(LikesRole)


def pending(model, quote_id):
    return model.index_of(quote_id).data(PendingRole)


@pytest.fixture
def model():
    model = QuoteListModel()
    model.apply(Snapshot((make_quote("a", 5, 1), make_quote("b", 1, 2), make_quote("c", 3, 3))))
    return model


@pytest.fixture
def signals(model):
    """Every structural signal the model emits, by name."""
    seen = []
    for name in (
        "modelReset",
        "rowsInserted",
        "rowsRemoved",
        "rowsMoved",
        "dataChanged",
        "layoutChanged",
    ):
        getattr(model, name).connect(lambda *args, name=name: seen.append(name))
    return seen


def test_newest_first_is_the_reverse_of_the_command_lines_oldest_first_ties_and_all():
    model = QuoteListModel()
    model.apply(Snapshot((make_quote("x", minute=1), make_quote("y", minute=2), make_quote("w", minute=2))))
    assert ids(model) == ["y", "w", "x"]
    model.apply(Changes(inserted=(make_quote("z", minute=2), make_quote("a", minute=2))))
    assert ids(model) == ["z", "y", "w", "a", "x"]


def test_most_liked_then_newest():
    model = QuoteListModel(sort=Sort.MOST_LIKED)
    model.apply(Snapshot((make_quote("a", 2, 1), make_quote("b", 7, 2), make_quote("c", 2, 3))))
    assert ids(model) == ["b", "c", "a"]


def test_a_like_on_another_row_changes_only_that_row(model, signals):
    selection = QItemSelectionModel(model)
    selection.select(model.index_of("a"), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    changed = []
    model.dataChanged.connect(lambda top, bottom, roles: changed.append((top.row(), bottom.row())))

    model.apply(Changes(updated=(make_quote("c", 4, 3),)))

    assert signals == ["dataChanged"]
    assert changed == [(0, 0)]
    assert likes(model, "c") == 4
    assert [index.data(IdRole) for index in selection.selectedIndexes()] == ["a"]


def test_insert_and_delete_are_row_level(model, signals):
    selection = QItemSelectionModel(model)
    selection.select(model.index_of("b"), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    model.apply(Changes(inserted=(make_quote("d", 0, 9),), deleted=("c",)))

    assert signals == ["rowsRemoved", "rowsInserted"]
    assert ids(model) == ["d", "b", "a"]
    assert [index.data(IdRole) for index in selection.selectedIndexes()] == ["b"]


def test_a_like_moves_a_row_under_most_liked_and_selection_follows(model, signals):
    model.set_sort(Sort.MOST_LIKED)
    assert ids(model) == ["a", "c", "b"]
    selection = QItemSelectionModel(model)
    selection.setCurrentIndex(model.index_of("b"), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    signals.clear()

    model.apply(Changes(updated=(make_quote("b", 9, 2),)))

    assert ids(model) == ["b", "a", "c"]
    assert signals == ["rowsMoved", "dataChanged"]
    assert selection.currentIndex().data(IdRole) == "b"
    assert [index.data(IdRole) for index in selection.selectedIndexes()] == ["b"]

    model.apply(Changes(updated=(make_quote("b", 0, 2),)))  # and back down, past both
    assert ids(model) == ["a", "c", "b"]
    assert selection.currentIndex().data(IdRole) == "b"


def test_changing_the_sort_keeps_selection(model, signals):
    selection = QItemSelectionModel(model)
    selection.setCurrentIndex(model.index_of("c"), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    model.set_sort(Sort.MOST_LIKED)

    assert signals == ["layoutChanged"]
    assert ids(model) == ["a", "c", "b"]
    assert selection.currentIndex().data(IdRole) == "c"
    assert [index.data(IdRole) for index in selection.selectedIndexes()] == ["c"]


def test_optimistic_like_is_confirmed_by_the_next_copy(model):
    assert model.quotes.like_pending("b")
    assert (likes(model, "b"), pending(model, "b")) == (2, True)
    model.quotes.like_saved("b", 2)

    model.apply(Changes(updated=(make_quote("b", 2, 2),)))

    assert (likes(model, "b"), pending(model, "b")) == (2, False)


def test_a_card_holds_what_each_role_gives(model):
    model.quotes.like_pending("b")
    model.apply(Changes(updated=(make_quote("c", 4, 3),)))  # someone else's like: a flash

    for quote_id in ("a", "b", "c"):
        index = model.index_of(quote_id)
        roles = (IdRole, AuthorRole, ContentRole, InsertedAtRole, LikesRole, PendingRole, FlashRole)
        assert index.data(CardRole) == Card(*(index.data(role) for role in roles))
    assert model.index_of("b").data(CardRole)[-2:] == (True, False)
    assert model.index_of("c").data(CardRole)[-2:] == (False, True)


def test_a_copy_that_arrives_before_the_save_returns_confirms_it_then(model):
    model.quotes.like_pending("b")
    model.apply(Changes(updated=(make_quote("b", 2, 2),)))
    model.quotes.like_saved("b", 2)
    assert (likes(model, "b"), pending(model, "b")) == (2, False)


def test_someone_elses_like_does_not_confirm_ours(model):
    model.quotes.like_pending("b")  # 1 stored: 2 shown
    model.apply(Changes(updated=(make_quote("b", 2, 2),)))  # another person's like
    assert (likes(model, "b"), pending(model, "b")) == (3, True)
    model.quotes.like_saved("b", 3)  # the store counted 3 after ours
    assert (likes(model, "b"), pending(model, "b")) == (3, True)
    model.apply(Changes(updated=(make_quote("b", 3, 2),)))
    assert (likes(model, "b"), pending(model, "b")) == (3, False)


def test_two_quick_likes_never_show_one_too_few(model):
    model.quotes.like_pending("b")
    model.quotes.like_pending("b")
    assert likes(model, "b") == 3
    model.quotes.like_saved("b", 2)
    model.apply(Changes(updated=(make_quote("b", 2, 2),)))  # the first like only
    assert (likes(model, "b"), pending(model, "b")) == (3, True)
    model.quotes.like_saved("b", 3)
    model.apply(Changes(updated=(make_quote("b", 3, 2),)))
    assert (likes(model, "b"), pending(model, "b")) == (3, False)


def test_failed_like_rolls_back(model):
    model.set_sort(Sort.MOST_LIKED)
    model.quotes.like_pending("b")
    model.quotes.like_pending("b")
    model.quotes.like_pending("b")
    assert ids(model) == ["a", "b", "c"]  # 4 shown beats c's 3

    model.quotes.like_failed("b")
    assert (likes(model, "b"), pending(model, "b")) == (3, True)
    model.quotes.like_failed("b")
    model.quotes.like_failed("b")
    assert (likes(model, "b"), pending(model, "b")) == (1, False)
    assert ids(model) == ["a", "c", "b"]

    model.quotes.like_failed("b")  # nothing pending: nothing to take back
    assert likes(model, "b") == 1


def test_likes_on_a_deleted_quote_are_ignored(model):
    model.quotes.like_pending("a")
    model.apply(Changes(deleted=("a",)))
    assert not model.quotes.like_pending("a")
    model.quotes.like_failed("a")
    assert not model.index_of("a").isValid()


def test_a_snapshot_resets_and_settles_saved_likes(model, signals):
    model.quotes.like_pending("a")
    model.quotes.like_saved("a", 6)
    model.apply(Snapshot((make_quote("a", 6, 1), make_quote("z", 0, 0))))
    assert signals[-1] == "modelReset"
    assert ids(model) == ["a", "z"]
    assert (likes(model, "a"), pending(model, "a")) == (6, False)


def test_invalid_and_child_indexes_have_no_data(model):
    assert model.data(QModelIndex(), IdRole) is None
    assert model.rowCount(model.index(0)) == 0
    assert b"likes" in model.roleNames().values()


@pytest.mark.parametrize("sort", list(Sort))
def test_model_tester_while_changes_stream_in(qtmodeltester, sort):
    """Random inserts, likes, deletes, pending likes, failures and re-sorts."""
    rng = random.Random(sort.value)
    model = QuoteListModel(sort=sort)
    truth = {f"q{n}": make_quote(f"q{n}", rng.randrange(5), rng.randrange(30)) for n in range(20)}
    model.apply(Snapshot(tuple(truth.values())))
    qtmodeltester.check(model)
    next_id = len(truth)

    for step in range(400):
        inserted, updated, deleted = [], [], []
        for _ in range(rng.randrange(1, 4)):
            roll = rng.random()
            if roll < 0.25 or not truth:
                quote = make_quote(f"q{next_id}", rng.randrange(5), rng.randrange(30))
                next_id += 1
                inserted.append(quote)
            elif roll < 0.7:
                old = truth[rng.choice(sorted(truth))]
                if old.id in {q.id for q in inserted + updated} or old.id in deleted:
                    continue
                updated.append(old.replace(likes=old.likes + rng.randrange(1, 4)))
            elif roll < 0.8:
                model.quotes.like_pending(rng.choice(sorted(truth)))
            elif roll < 0.85:
                model.quotes.like_failed(rng.choice(sorted(truth)))
            else:
                victim = rng.choice(sorted(truth))
                if victim in {q.id for q in inserted + updated}:
                    continue
                deleted.append(victim)
        for quote in inserted + updated:
            truth[quote.id] = quote
        for quote_id in deleted:
            truth.pop(quote_id, None)
        model.apply(Changes(tuple(inserted), tuple(updated), tuple(dict.fromkeys(deleted))))
        if step % 97 == 0:
            model.set_sort(Sort.NEWEST if model.quotes.sort is Sort.MOST_LIKED else Sort.MOST_LIKED)

        shown = {
            model.index(row).data(IdRole): model.index(row).data(LikesRole) for row in range(model.rowCount())
        }
        assert set(shown) == set(truth)
        assert all(shown[i] >= truth[i].likes for i in truth)

    model.set_sort(sort)
    expected = sorted(truth.values(), key=sort_key(model.quotes.sort, model.quotes.shown_likes))
    assert ids(model) == [quote.id for quote in expected]


def test_likes_name_the_roles_they_change_and_new_text_names_none(model):
    """Views may skip measuring a card for a like; they must not for new text."""
    changed = []
    model.dataChanged.connect(lambda top, bottom, roles: changed.append(list(roles)))

    model.quotes.like_pending("b")
    model.quotes.like_failed("b")
    model.apply(Changes(updated=(make_quote("b", 4, 2),)))  # same text, more likes
    model.apply(Changes(updated=(make_quote("b", 4, 2, content="New words."),)))
    model.apply(Changes(updated=(make_quote("b", 4, 2, content="New words.", author="Z"),)))

    assert changed == [list(LIKE_ROLES)] * 3 + [[], []]


@pytest.mark.parametrize("sort", list(Sort))
def test_a_snapshot_is_sorted_as_the_row_key_orders(sort):
    rng = random.Random(7)
    quotes = [make_quote(f"q{n:04d}", rng.randrange(4), rng.randrange(20)) for n in range(500)]
    rng.shuffle(quotes)
    model = QuoteListModel(sort=sort)
    model.apply(Snapshot(tuple(quotes)))
    assert ids(model) == [
        q.id for q in sorted(quotes, key=sort_key(model.quotes.sort, model.quotes.shown_likes))
    ]

    for quote in quotes[:50]:  # pending likes count in the most-liked order
        model.quotes.like_pending(quote.id)
    model.set_sort(Sort.NEWEST if sort is Sort.MOST_LIKED else Sort.MOST_LIKED)
    model.set_sort(sort)
    assert ids(model) == [
        q.id for q in sorted(quotes, key=sort_key(model.quotes.sort, model.quotes.shown_likes))
    ]


def test_naive_and_aware_times_together_still_sort():
    naive = make_quote("n", minute=5).replace(inserted_at=datetime(2024, 5, 1, 12, 3))  # read as UTC
    quotes = (make_quote("a", minute=1), naive, make_quote("c", minute=9))
    model = QuoteListModel()
    model.apply(Snapshot(quotes))
    assert ids(model) == ["c", "n", "a"]


def test_a_streamed_snapshot_grows_below_the_rows_shown_and_completes_row_by_row(qtmodeltester):
    model = QuoteListModel()
    model.apply(Snapshot((make_quote("d", minute=4), make_quote("c", 3, minute=3)), complete=False))
    assert not model.quotes.complete
    selection = QItemSelectionModel(model)
    selection.select(model.index_of("c"), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    seen = []
    for name in ("modelReset", "rowsInserted", "rowsRemoved", "dataChanged"):
        getattr(model, name).connect(lambda *args, name=name: seen.append((name, *args[1:3])))

    model.apply(Page((make_quote("a", minute=1), make_quote("b", minute=2))))
    assert ids(model) == ["d", "c", "b", "a"] and not model.quotes.complete
    assert seen == [("rowsInserted", 2, 3)]  # one insert, below the rows shown
    model.apply(Changes(updated=(make_quote("c", 7, minute=3),), deleted=("a",), completes=True))

    assert ids(model) == ["d", "c", "b"] and likes(model, "c") == 7 and model.quotes.complete
    assert "modelReset" not in {name for name, *_ in seen}
    assert [index.data(IdRole) for index in selection.selectedIndexes()] == ["c"]
    qtmodeltester.check(model)


def test_a_streamed_quote_newer_than_the_rows_shown_goes_in_its_place():
    """A clock set back elsewhere can index a quote out of order."""
    model = QuoteListModel()
    model.apply(Snapshot((make_quote("c", minute=3), make_quote("b", minute=2)), complete=False))
    model.apply(Page((make_quote("late", minute=9), make_quote("a", minute=1))))
    assert ids(model) == ["late", "c", "b", "a"]


def test_pages_streamed_while_sorted_by_likes_are_shown_once_the_collection_is_whole():
    """Most liked needs every quote: rows below the first page would be in the wrong place."""
    model = QuoteListModel(sort=Sort.MOST_LIKED)
    model.apply(Snapshot((make_quote("new", 1, minute=9),), complete=False))
    model.apply(Page((make_quote("old", 50, minute=1),)))
    assert ids(model) == ["new"]
    model.apply(Changes(completes=True))
    assert ids(model) == ["old", "new"] and model.quotes.complete


def test_pages_not_newest_first_are_held_back_until_the_collection_is_whole(qtmodeltester):
    """Pages in id order after the first page (a stream for most liked, sorted
    newest first meanwhile) would land all over the list: they wait, counted as
    loaded."""
    model = QuoteListModel()
    model.apply(Snapshot((make_quote("new", minute=30), make_quote("next", minute=29)), complete=False))
    model.apply(Page(tuple(make_quote(f"id{n:02}", minute=n) for n in range(20))))  # all below
    shown = ["new", "next", *[f"id{n:02}" for n in reversed(range(20))]]
    assert ids(model) == shown and model.quotes.loaded == 22
    model.apply(Page(tuple(make_quote(f"b{n:02}", minute=n) for n in range(20))))  # interleaved
    assert ids(model) == shown and model.quotes.loaded == 42 and not model.quotes.complete
    model.apply(Page((make_quote("old", minute=-1),)))  # below, but after pages held back
    assert ids(model) == shown and model.quotes.loaded == 43
    model.apply(Changes(completes=True))
    interleaved = [q for n in reversed(range(20)) for q in (f"id{n:02}", f"b{n:02}")]
    assert ids(model) == ["new", "next", *interleaved, "old"]
    assert model.quotes.loaded == 43 and model.quotes.complete
    qtmodeltester.check(model)


def test_switching_sort_while_streaming_shows_the_pages_held_back_once_whole():
    model = QuoteListModel(sort=Sort.MOST_LIKED)
    model.apply(Snapshot((make_quote("new", 1, minute=9), make_quote("next", 7, minute=8)), complete=False))
    model.apply(Page((make_quote("old", 50, minute=1),)))
    model.set_sort(Sort.NEWEST)
    assert ids(model) == ["new", "next"], "the rows shown, in the new order"
    model.apply(Page((make_quote("older", 3, minute=0),)))
    assert ids(model) == ["new", "next"] and model.quotes.loaded == 4
    model.apply(Changes(completes=True))
    assert ids(model) == ["new", "next", "old", "older"]
