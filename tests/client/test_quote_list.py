"""QuoteList without Qt: the list's rules, and row events a view can follow exactly.

Every test's list reports to a ``Mirror``: a plain list of ids that applies
each row event as a view would (insert, remove, move, reset, reorder), and
checks after each one that it shows what the list holds. A rule that changes
the rows without saying so, or says so wrongly, fails here.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

import pytest
from support.quotes import T0, make_quote

from app.client import Changed, Changes, Page, Quote, QuoteList, Snapshot, Sort, list_ordering, reordering
from app.client.reordering import ORDER_SLICE_S
from app.sync.quotes_by_id import QuotesById


class Mirror:
    """A view of a QuoteList that follows only its row events."""

    def __init__(self) -> None:
        self.list: QuoteList | None = None
        self.ids: list[str] = []
        self.changes: list[tuple[int, int, Changed]] = []
        self.flashed: list[str] = []
        self.events: list[str] = []
        self._expect: tuple[str, ...] | None = None

    def _begin(self, name: str, *args: int) -> None:
        assert self._expect is None, f"{name} inside {self._expect}"
        self._expect = (name, *map(str, args))
        self.events.append(name)

    def _end(self, name: str) -> tuple[str, ...]:
        assert self._expect is not None and self._expect[0] == name, (name, self._expect)
        began, self._expect = self._expect, None
        return began

    def _check(self) -> None:
        assert self.list is not None
        assert self.ids == [quote.id for quote in self.list]

    def inserting(self, first: int, last: int) -> None:
        assert 0 <= first <= last and first <= len(self.ids)
        self._begin("inserting", first, last)

    def inserted(self) -> None:
        _, first, last = self._end("inserting")
        assert self.list is not None
        self.ids[int(first) : int(first)] = [self.list[row].id for row in range(int(first), int(last) + 1)]
        self._check()

    def removing(self, first: int, last: int) -> None:
        assert 0 <= first <= last < len(self.ids)
        self._begin("removing", first, last)

    def removed(self) -> None:
        _, first, last = self._end("removing")
        del self.ids[int(first) : int(last) + 1]
        self._check()

    def moving(self, row: int, destination: int) -> None:
        assert destination not in (row, row + 1), "a move that goes nowhere"
        self._begin("moving", row, destination)

    def moved(self) -> None:
        _, row, destination = map(str, self._end("moving"))
        moving = self.ids.pop(int(row))
        self.ids.insert(int(destination) - (int(destination) > int(row)), moving)
        self._check()

    def resetting(self) -> None:
        self._begin("resetting")

    def was_reset(self) -> None:
        self._end("resetting")
        assert self.list is not None
        self.ids = [quote.id for quote in self.list]

    def reordering(self) -> None:
        self._begin("reordering")
        self._before = sorted(self.ids)

    def reordered(self) -> None:
        self._end("reordering")
        assert self.list is not None
        self.ids = [quote.id for quote in self.list]
        assert sorted(self.ids) == self._before, "a reorder neither adds nor removes"

    def changed(self, first: int, last: int, what: Changed) -> None:
        assert self._expect is None and 0 <= first <= last < len(self.ids)
        self.changes.append((first, last, what))

    def flashing(self, quote_id: str) -> None:
        self.flashed.append(quote_id)


def new_list(sort: Sort = Sort.NEWEST, *quotes: Quote, sliced: bool = False) -> tuple[QuoteList, Mirror]:
    """A list and its mirror. A new order is worked out at once, however long it
    takes; ``sliced``: one step a call of ``order_some``, driven by the test."""
    mirror = Mirror()
    quote_list = QuoteList(mirror, sort, order_slice_s=0 if sliced else ORDER_SLICE_S)
    if not sliced:
        quote_list.on_ordering = lambda: quote_list.order_some(math.inf) and None
    mirror.list = quote_list
    if quotes:
        quote_list.apply(Snapshot(quotes))
    return quote_list, mirror


def ids(quote_list: QuoteList) -> list[str]:
    return [quote.id for quote in quote_list]


def shown(quote_list: QuoteList, quote_id: str) -> tuple[int, bool]:
    """The likes a quote shows, and whether one of them is pending."""
    row = quote_list.row_of(quote_id)
    assert row is not None
    return quote_list.shown_likes(quote_list[row]), quote_list.is_pending(quote_id)


ABC = (make_quote("a", 5, 1), make_quote("b", 1, 2), make_quote("c", 3, 3))


# -- sorting -----------------------------------------------------------------------


def test_newest_first_then_most_liked_keeps_ties_newest_first() -> None:
    quotes, mirror = new_list(Sort.NEWEST, *ABC, make_quote("d", 5, 0))
    assert ids(quotes) == ["c", "b", "a", "d"]
    quotes.set_sort(Sort.MOST_LIKED)
    assert ids(quotes) == ["a", "d", "c", "b"] and mirror.ids == ids(quotes)
    assert mirror.events[-1] == "reordering", "a new sort is one reorder, not a reset"


def test_an_insert_lands_in_its_place_as_one_row() -> None:
    quotes, mirror = new_list(Sort.MOST_LIKED, *ABC)
    mirror.events.clear()
    quotes.apply(Changes(inserted=(make_quote("n", 4, 9),)))
    assert ids(quotes) == ["a", "n", "c", "b"] and mirror.events == ["inserting"]


def test_a_like_from_elsewhere_moves_one_row_and_names_the_likes() -> None:
    quotes, mirror = new_list(Sort.MOST_LIKED, *ABC)
    mirror.events.clear()
    quotes.apply(Changes(updated=(make_quote("b", 9, 2),)))
    assert ids(quotes) == ["b", "a", "c"] and mirror.events == ["moving"]
    assert mirror.changes == [(0, 0, Changed.LIKES)] and mirror.flashed == ["b"]


def test_new_text_names_any_field() -> None:
    quotes, mirror = new_list(Sort.NEWEST, *ABC)
    quotes.apply(Changes(updated=(make_quote("b", 1, 2, content="Changed."),)))
    assert mirror.changes == [(1, 1, Changed.ANY)] and quotes[1].content == "Changed."


# -- pending likes -------------------------------------------------------------------


def test_a_pending_like_shows_at_once_and_a_fresh_copy_with_it_confirms_it() -> None:
    quotes, mirror = new_list(Sort.MOST_LIKED, *ABC)
    assert quotes.like_pending("b") and shown(quotes, "b") == (2, True)
    quotes.like_saved("b", 2)
    assert shown(quotes, "b") == (2, True), "saved, but no copy with it yet"
    quotes.apply(Changes(updated=(make_quote("b", 2, 2),)))
    assert shown(quotes, "b") == (2, False)
    assert mirror.flashed == [], "our own like is not news"


def test_a_count_raised_by_someone_else_does_not_confirm_ours() -> None:
    quotes, _ = new_list(Sort.NEWEST, *ABC)
    quotes.like_pending("b")
    quotes.like_saved("b", 3)  # someone else liked it before our like committed
    quotes.apply(Changes(updated=(make_quote("b", 2, 2),)))  # a copy from before ours
    assert shown(quotes, "b") == (3, True)
    quotes.apply(Changes(updated=(make_quote("b", 3, 2),)))
    assert shown(quotes, "b") == (3, False)


def test_a_failed_like_is_taken_back_and_its_row_moves_back() -> None:
    quotes, mirror = new_list(Sort.MOST_LIKED, *ABC)
    for _ in range(5):
        quotes.like_pending("b")
    assert ids(quotes) == ["b", "a", "c"] and shown(quotes, "b") == (6, True)
    for _ in range(5):
        quotes.like_failed("b")
    assert ids(quotes) == ["a", "c", "b"] and shown(quotes, "b") == (1, False)
    mirror.changes.clear()
    quotes.like_failed("b")  # nothing pending: nothing to take back
    assert mirror.changes == []


def test_a_like_on_a_deleted_quote_is_refused_and_a_delete_forgets_pending_likes() -> None:
    quotes, _ = new_list(Sort.NEWEST, *ABC)
    quotes.like_pending("a")
    quotes.apply(Changes(deleted=("a",)))
    assert not quotes.like_pending("a") and not quotes.is_pending("a")
    quotes.apply(Changes(inserted=(make_quote("a", 5, 1),)))
    assert shown(quotes, "a") == (5, False)


def test_a_snapshot_settles_the_pending_likes_it_includes() -> None:
    quotes, _ = new_list(Sort.NEWEST, *ABC)
    quotes.like_pending("a")
    quotes.like_saved("a", 6)
    quotes.like_pending("c")
    quotes.apply(Snapshot((make_quote("a", 6, 1), make_quote("c", 3, 3))))
    assert shown(quotes, "a") == (6, False) and shown(quotes, "c") == (4, True)


# -- own edits and flashes -------------------------------------------------------------


def test_our_own_edit_does_not_flash_but_the_next_one_from_elsewhere_does() -> None:
    quotes, mirror = new_list(Sort.NEWEST, *ABC)
    quotes.editing("a")
    quotes.apply(Changes(updated=(make_quote("a", 5, 1, content="Mine."),)))
    assert mirror.flashed == [] and not quotes.is_flashing("a")
    quotes.apply(Changes(updated=(make_quote("a", 5, 1, content="Theirs."),)))
    assert mirror.flashed == ["a"] and quotes.is_flashing("a")


def test_an_edit_given_up_is_news_again() -> None:
    quotes, mirror = new_list(Sort.NEWEST, *ABC)
    quotes.editing("a")
    quotes.editing("a", mine=False)
    quotes.apply(Changes(updated=(make_quote("a", 5, 1, content="Theirs."),)))
    assert mirror.flashed == ["a"]


def test_flashes_that_end_together_are_one_change_over_their_rows() -> None:
    quotes, mirror = new_list(Sort.NEWEST, *(make_quote(f"q{n:02d}", minute=n) for n in range(20)))
    quotes.apply(Changes(updated=tuple(make_quote(f"q{n:02d}", 1, n) for n in (3, 7, 12))))
    mirror.changes.clear()
    quotes.end_flashes(["q03", "q07", "q12", "gone"])
    assert mirror.changes == [(7, 16, Changed.FLASH)]
    assert not any(quotes.is_flashing(f"q{n:02d}") for n in (3, 7, 12))
    quotes.end_flashes(["q03"])
    assert mirror.changes == [(7, 16, Changed.FLASH)], "a flash ends once"


# -- the stream and its backlog ------------------------------------------------------------


def test_a_stream_newest_first_appends_pages_below_as_one_insert_each() -> None:
    quotes, mirror = new_list(Sort.NEWEST)
    quotes.apply(Snapshot((make_quote("d", minute=4), make_quote("c", minute=3)), complete=False))
    assert not quotes.complete
    mirror.events.clear()
    quotes.apply(Page((make_quote("b", minute=2), make_quote("a", minute=1))))
    assert ids(quotes) == ["d", "c", "b", "a"] and mirror.events == ["inserting"]
    quotes.apply(Changes(completes=True))
    assert quotes.complete and quotes.loaded == 4


def test_most_liked_holds_pages_back_until_the_collection_is_whole() -> None:
    quotes, mirror = new_list(Sort.MOST_LIKED)
    quotes.apply(Snapshot((make_quote("d", 1, 4),), complete=False))
    quotes.apply(Page((make_quote("c", 9, 3), make_quote("b", 5, 2))))
    assert ids(quotes) == ["d"] and quotes.loaded == 3
    mirror.events.clear()
    quotes.apply(Changes(inserted=(make_quote("n", 7, 9),), completes=True))
    assert ids(quotes) == ["c", "n", "b", "d"] and mirror.events == ["resetting", "inserting"]


def test_a_page_with_many_quotes_above_the_last_row_waits_for_the_rest() -> None:
    quotes, _ = new_list(Sort.NEWEST)
    quotes.apply(Snapshot((make_quote("old", minute=0),), complete=False))
    above = tuple(make_quote(f"n{n:02d}", minute=10 + n) for n in range(40))
    quotes.apply(Page(above))
    assert ids(quotes) == ["old"] and quotes.loaded == 41
    quotes.apply(Changes(completes=True))
    assert ids(quotes)[0] == "n39" and ids(quotes)[-1] == "old" and len(quotes) == 41


def test_a_new_sort_while_quotes_are_held_back_orders_the_rows_and_shows_the_rest_once_whole() -> None:
    quotes, _ = new_list(Sort.NEWEST)
    quotes.apply(Snapshot((make_quote("old", minute=0), make_quote("top", 3, minute=1)), complete=False))
    quotes.apply(Page(tuple(make_quote(f"n{n:02d}", n, 10 + n) for n in range(40))))
    quotes.set_sort(Sort.MOST_LIKED)
    assert ids(quotes) == ["top", "old"] and quotes.sort is Sort.MOST_LIKED
    quotes.apply(Changes(completes=True))
    assert len(quotes) == 42 and ids(quotes)[:3] == ["n39", "n38", "n37"]


def test_an_id_twice_in_a_snapshot_shows_once_as_its_last_copy() -> None:
    quotes, _ = new_list(Sort.NEWEST, make_quote("a", 1, 1), make_quote("a", 7, 1))
    assert ids(quotes) == ["a"] and shown(quotes, "a") == (7, False)


# -- new orders worked out a slice at a time ---------------------------------------------


def finish(quotes: QuoteList) -> None:
    """Drive the order under way to its end, a step a call."""
    while not quotes.order_some(0):
        pass


def test_a_new_sort_is_worked_out_in_slices_then_shown_in_one_reorder() -> None:
    quotes, mirror = new_list(Sort.NEWEST, *ABC, sliced=True)
    started: list[bool] = []
    quotes.on_ordering = lambda: started.append(True)
    mirror.events.clear()

    quotes.set_sort(Sort.MOST_LIKED)

    assert quotes.ordering and quotes.sort is Sort.MOST_LIKED and started == [True]
    assert ids(quotes) == ["c", "b", "a"] and mirror.events == [], "the rows keep their order meanwhile"
    finish(quotes)
    assert ids(quotes) == ["a", "c", "b"] and mirror.events == ["reordering"] and not quotes.ordering


def test_the_sort_shown_again_before_the_new_one_is_ready_stops_it() -> None:
    quotes, mirror = new_list(Sort.NEWEST, *ABC, sliced=True)
    quotes.set_sort(Sort.MOST_LIKED)
    quotes.set_sort(Sort.NEWEST)
    assert not quotes.ordering and quotes.sort is Sort.NEWEST and ids(quotes) == ["c", "b", "a"]


def test_a_stream_in_id_order_is_held_back_then_shown_below_the_first_page_in_one_insert() -> None:
    quotes, mirror = new_list(Sort.NEWEST, sliced=True)
    quotes.apply(Snapshot((make_quote("d", minute=4), make_quote("c", minute=3)), complete=False))
    quotes.apply(Page((make_quote("a", minute=1), make_quote("b", minute=2)), newest_first=False))
    assert ids(quotes) == ["d", "c"] and quotes.loaded == 4
    mirror.events.clear()
    quotes.apply(Changes(completes=True))
    finish(quotes)
    assert ids(quotes) == ["d", "c", "b", "a"] and mirror.events == ["inserting"]


def test_a_new_sort_at_any_step_of_showing_the_quotes_held_back_shows_every_quote(monkeypatch) -> None:
    """Once ordered, the copy ordered is let go of a slice at a time (one quote a
    step here) before the order shows: a new sort at any step orders them all."""
    monkeypatch.setattr(reordering, "_LET_GO_AT_ONCE", 1)
    held = [make_quote(f"q{n:02d}", n % 4, minute=n) for n in range(20)]
    random.Random(3).shuffle(held)  # as a stream in id order brings them
    expected = [quote.id for quote in sorted(held, key=lambda q: (q.likes, q.inserted_at), reverse=True)]
    for steps in range(40):
        quotes, _ = new_list(Sort.NEWEST, sliced=True)
        quotes.apply(Snapshot((), complete=False))
        quotes.apply(Page(tuple(held), newest_first=False))
        quotes.apply(Changes(completes=True))
        for _ in range(steps):
            quotes.order_some(0)
        quotes.set_sort(Sort.MOST_LIKED)
        finish(quotes)
        assert ids(quotes) == expected, steps


def test_the_rest_of_a_stream_shows_a_slice_at_a_time_and_takes_changes_meanwhile(monkeypatch) -> None:
    monkeypatch.setattr(list_ordering, "TAIL_AT_ONCE", 2)
    quotes, mirror = new_list(Sort.NEWEST, sliced=True)
    quotes.apply(Snapshot((make_quote("z", minute=50),), complete=False))
    held = [make_quote(f"q{n}", minute=n) for n in (4, 1, 3, 0, 2, 5)]
    quotes.apply(Page(tuple(held), newest_first=False))
    quotes.apply(Changes(completes=True))
    while ids(quotes) == ["z"]:
        done = quotes.order_some(0)
    assert not done, "the owner goes on calling order_some"
    assert ids(quotes) == ["z", "q5", "q4"] and quotes.ordering and quotes.loaded == 7
    assert quotes.row_of("q3") is None, "not shown yet"
    between = make_quote("q2.5", inserted_at=T0 + timedelta(minutes=2, seconds=30))
    quotes.apply(Changes(inserted=(make_quote("new", minute=60), between)))
    quotes.apply(Changes(updated=(make_quote("q3", 9, minute=3),), deleted=("q1",)))
    assert not quotes.like_pending("q0"), "a quote not shown yet cannot be liked"
    mirror.events.clear()
    finish(quotes)
    assert ids(quotes) == ["new", "z", "q5", "q4", "q3", "q2.5", "q2", "q0"] and not quotes.ordering
    assert mirror.events == ["inserting"] * 2 and shown(quotes, "q3") == (9, False)


def test_most_liked_shows_the_rest_a_slice_at_a_time_and_likes_meanwhile_move_quotes(monkeypatch) -> None:
    monkeypatch.setattr(list_ordering, "TAIL_AT_ONCE", 2)
    quotes, mirror = new_list(Sort.MOST_LIKED, sliced=True)
    quotes.apply(Snapshot((make_quote("z", 0, minute=50),), complete=False))
    held = [make_quote(f"q{n}", 10 * n, minute=n) for n in (4, 1, 3, 0, 2, 5)]
    quotes.apply(Page(tuple(held), newest_first=False))
    quotes.apply(Changes(completes=True))
    while ids(quotes) == ["z"]:
        quotes.order_some(0)
    assert ids(quotes) == ["q5", "q4"] and mirror.events[-1] == "resetting" and quotes.ordering
    quotes.like_pending("q4")
    quotes.apply(Changes(updated=(make_quote("q1", 99, minute=1), make_quote("q2", 25, minute=2))))
    assert ids(quotes) == ["q1", "q5", "q4"], "a like that lifts a quote above the last row shows it"
    quotes.like_failed("q4")
    quotes.apply(Changes(updated=(make_quote("q5", 31, minute=5),), deleted=("q0",)))
    finish(quotes)
    assert ids(quotes) == ["q1", "q4", "q5", "q3", "q2", "z"] and not quotes.ordering


def test_a_row_whose_likes_drop_below_the_rest_not_shown_yet_goes_there(monkeypatch) -> None:
    monkeypatch.setattr(list_ordering, "TAIL_AT_ONCE", 1)
    quotes, mirror = new_list(Sort.MOST_LIKED, sliced=True)
    quotes.apply(Snapshot((make_quote("x", 10, minute=1),), complete=False))
    quotes.like_pending("x")
    quotes.apply(Page((make_quote("a", 10, minute=3), make_quote("b", 10, minute=2)), newest_first=False))
    mirror.events.clear()
    quotes.apply(Changes(completes=True))
    while not mirror.events:
        quotes.order_some(0)
    assert ids(quotes) == ["x", "a"] and shown(quotes, "x") == (11, True) and quotes.ordering
    quotes.like_failed("x")
    assert ids(quotes) == ["a"] and quotes.row_of("x") is None, "below b now, not shown yet"
    finish(quotes)
    assert ids(quotes) == ["a", "b", "x"] and shown(quotes, "x") == (10, False)


def test_quotes_held_back_that_change_while_being_ordered_show_as_they_are_now() -> None:
    quotes, mirror = new_list(Sort.MOST_LIKED, sliced=True)
    quotes.apply(Snapshot((make_quote("d", 1, 4),), complete=False))
    held = (make_quote("c", 9, 3), make_quote("b", 5, 2), make_quote("a", 0, 1))
    quotes.apply(Page(held, newest_first=False))
    changes = Changes(
        inserted=(make_quote("n", 7, 9),), updated=(make_quote("b", 20, 2),), deleted=("c",), completes=True
    )
    quotes.apply(changes)
    assert quotes.ordering and ids(quotes) == ["n", "d"], "the new quote shows at once"
    finish(quotes)
    assert ids(quotes) == ["b", "n", "d", "a"] and shown(quotes, "b") == (20, False)
    assert mirror.events[-1] == "resetting" and quotes.row_of("c") is None


@pytest.mark.parametrize("seed", range(8))
def test_every_change_while_a_new_order_is_worked_out_is_kept(seed: int) -> None:
    rng = random.Random(seed)
    truth = {f"q{n:03d}": make_quote(f"q{n:03d}", rng.randrange(5), rng.randrange(50)) for n in range(60)}
    quotes, mirror = new_list(Sort.NEWEST, *truth.values(), sliced=True)
    for step in range(300):
        if step % 25 == 0:
            quotes.set_sort(Sort.NEWEST if quotes.sort is Sort.MOST_LIKED else Sort.MOST_LIKED)
        roll = rng.random()
        quote_id = rng.choice(sorted(truth))
        if roll < 0.3:
            quotes.like_pending(quote_id)  # our own like, shown at once
        elif roll < 0.4:
            quotes.like_failed(quote_id)
        elif roll < 0.7:  # a like from elsewhere
            truth[quote_id] = truth[quote_id].replace(likes=truth[quote_id].likes + 1 + rng.randrange(3))
            quotes.apply(Changes(updated=(truth[quote_id],)))
        elif roll < 0.85:
            del truth[quote_id]
            quotes.apply(Changes(deleted=(quote_id,)))
        else:
            new = make_quote(f"n{step:03d}", rng.randrange(5), rng.randrange(50))
            truth[new.id] = new
            quotes.apply(Changes(inserted=(new,)))
        if step % 3 == 0:
            quotes.order_some(0)
    finish(quotes)

    assert sorted(ids(quotes)) == sorted(truth) and mirror.ids == ids(quotes)
    assert [quotes[row].likes for row in range(len(quotes))] == [truth[i].likes for i in ids(quotes)]
    assert ids(quotes) == ids_in_order(quotes)


def ids_in_order(quotes: QuoteList) -> list[str]:
    """The list's ids in its sort's order, by the likes it shows."""

    def key(quote: Quote) -> tuple[int, float, str]:
        likes = quotes.shown_likes(quote) if quotes.sort is Sort.MOST_LIKED else 0
        return (likes, quote.inserted_at.timestamp(), quote.id)

    return [quote.id for quote in sorted(quotes, key=key, reverse=True)]


# -- everything at once ------------------------------------------------------------------


@pytest.mark.parametrize("sort", list(Sort))
def test_random_changes_keep_the_rows_sorted_and_the_mirror_exact(sort: Sort) -> None:
    rng = random.Random(20)
    truth = {f"q{n:03d}": make_quote(f"q{n:03d}", rng.randrange(5), rng.randrange(50)) for n in range(60)}
    quotes, mirror = new_list(sort, *truth.values())
    for step in range(400):
        roll = rng.random()
        quote_id = rng.choice(sorted(truth))
        if roll < 0.3:
            quotes.like_pending(quote_id)
        elif roll < 0.4:
            quotes.like_failed(quote_id)
        elif roll < 0.7:
            truth[quote_id] = truth[quote_id].replace(likes=truth[quote_id].likes + rng.randrange(3))
            quotes.apply(Changes(updated=(truth[quote_id],)))
        elif roll < 0.85:
            del truth[quote_id]
            quotes.apply(Changes(deleted=(quote_id,)))
        else:
            new = make_quote(f"n{step:03d}", rng.randrange(5), rng.randrange(50))
            truth[new.id] = new
            quotes.apply(Changes(inserted=(new,)))
        if step % 50 == 0:
            quotes.set_sort(Sort.NEWEST if quotes.sort is Sort.MOST_LIKED else Sort.MOST_LIKED)
    assert sorted(ids(quotes)) == sorted(truth) and mirror.ids == ids(quotes)

    def key(quote: Quote) -> tuple[int, float, str]:
        likes = quotes.shown_likes(quote) if quotes.sort is Sort.MOST_LIKED else 0
        return (likes, quote.inserted_at.timestamp(), quote.id)

    assert [key(quote) for quote in quotes] == sorted(map(key, quotes), reverse=True)


def test_quotes_held_back_that_change_before_the_collection_is_whole_show_as_they_are_now() -> None:
    """A big catch-up comes in slices, and only the last completes the collection."""
    quotes, _ = new_list(Sort.NEWEST, sliced=True)
    quotes.apply(Snapshot((make_quote("d", 1, 4),), complete=False))
    held = (make_quote("c", 9, 3), make_quote("b", 5, 2), make_quote("a", 0, 1))
    quotes.apply(Page(held, newest_first=False))
    quotes.apply(Changes(updated=(make_quote("b", 20, 2),), deleted=("c",)))
    quotes.apply(Changes(completes=True))
    finish(quotes)
    assert ids(quotes) == ["d", "b", "a"] and shown(quotes, "b") == (20, False)
    assert quotes.row_of("c") is None and quotes.loaded == 3


def test_a_held_back_quote_that_changes_while_the_rows_alone_are_reordered_stays_held_back() -> None:
    quotes, _ = new_list(Sort.NEWEST, sliced=True)
    quotes.apply(Snapshot((make_quote("d", 1, 4), make_quote("e", 3, 5)), complete=False))
    quotes.apply(Page((make_quote("b", 5, 2), make_quote("a", 0, 1)), newest_first=False))
    quotes.set_sort(Sort.MOST_LIKED)
    quotes.apply(Changes(updated=(make_quote("b", 20, 2),)))
    finish(quotes)
    assert ids(quotes) == ["e", "d"], "b is shown with the rest, once whole"
    quotes.apply(Changes(completes=True))
    finish(quotes)
    assert ids(quotes) == ["b", "e", "d", "a"] and shown(quotes, "b") == (20, False)


@pytest.mark.parametrize("seed", range(16))
def test_a_stream_with_its_index_ends_as_the_collection_is_whatever_changed_on_the_way(seed: int) -> None:
    """The stream's index (``Changes.index``, a twin of the live collection's, which
    goes on changing) comes with the first slice of a catch-up that changes quotes
    shown and held back; the list ends holding exactly the collection."""
    rng = random.Random(seed)
    sort = rng.choice(list(Sort))
    stream = [make_quote(f"q{n:03d}", rng.randrange(4), rng.randrange(300)) for n in range(120)]
    newest = sorted(stream, key=lambda q: (q.inserted_at, q.id), reverse=True)
    head, rest = newest[:10], sorted(newest[10:], key=lambda q: q.id)
    live = QuotesById(stream)  # the live collection's, as the stream left it
    truth = {quote.id: quote for quote in stream}
    quotes, mirror = new_list(sort, sliced=True)
    quotes.apply(Snapshot(tuple(head), complete=False))
    for start in range(0, len(rest), 25):
        quotes.apply(Page(tuple(rest[start : start + 25]), newest_first=False))
    index = live.twin()

    inserted, updated, deleted = [], [], []  # a catch-up: each quote once
    for step, quote_id in enumerate(rng.sample(sorted(truth), 30)):
        if step % 3 == 0:
            truth[quote_id] = truth[quote_id].replace(likes=truth[quote_id].likes + 1 + rng.randrange(3))
            updated.append(truth[quote_id])
        elif step % 3 == 1:
            del truth[quote_id]
            deleted.append(quote_id)
        else:
            new = make_quote(f"n{step:03d}", rng.randrange(4), rng.randrange(300))
            truth[new.id] = new
            inserted.append(new)
    catch_up = Changes(tuple(inserted), tuple(updated), tuple(deleted), completes=True, index=index)
    for quote in (*inserted, *updated):
        live[quote.id] = quote  # the live collection's own copy goes on: not the list's
    for quote_id in deleted:
        del live[quote_id]
    for part in catch_up.split(rng.randrange(1, 12)):
        quotes.apply(part)
        quotes.order_some(0)
    finish(quotes)
    gone = rng.choice(sorted(truth))
    quotes.apply(Changes(deleted=(gone,)))
    del truth[gone]
    undone = tuple(quote for quote in stream if quote.id in deleted)  # deletes undone: the same ids
    quotes.apply(Changes(inserted=undone))
    truth.update((quote.id, quote) for quote in undone)

    assert sorted(ids(quotes)) == sorted(truth) and mirror.ids == ids(quotes)
    assert all(quotes[row] == truth[quotes[row].id] for row in range(len(quotes)))
    assert ids(quotes) == ids_in_order(quotes)
    assert all(quotes.row_of(quote_id) is not None for quote_id in truth)
    assert dict(live) == {
        quote.id: quote for quote in (*stream, *inserted, *updated) if quote.id not in deleted
    }
