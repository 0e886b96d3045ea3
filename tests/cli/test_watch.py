"""``quotes watch --json`` prints other processes' changes as they happen."""

from __future__ import annotations

from tests.cli.conftest import ok


def test_collection_watch_prints_insert_update_and_delete(db, watcher):
    ok(db, "seed")
    events = watcher()
    snapshot = events.next_json()
    assert snapshot["event"] == "snapshot"
    assert len(snapshot["quotes"]) == 2
    liked = snapshot["quotes"][0]["id"]

    ok(db, "like", liked)
    update = events.next_json()
    assert (update["event"], update["id"], update["quote"]["likes"]) == ("update", liked, 1)

    new_id = ok(db, "add", "--author", "Lao Tzu", "--content", "A journey begins.").strip()
    insert = events.next_json()
    assert (insert["event"], insert["id"], insert["quote"]["author"]) == ("insert", new_id, "Lao Tzu")

    ok(db, "delete", new_id)
    assert events.next_json() == {"event": "delete", "id": new_id, "quote": None}


def test_record_watch_follows_one_quote_through_like_and_delete(db, watcher):
    quote_id = ok(db, "add", "--author", "A", "--content", "followed").strip()
    other = ok(db, "add", "--author", "B", "--content", "not followed").strip()
    events = watcher(quote_id)
    snapshot = events.next_json()
    assert (snapshot["event"], snapshot["quote"]["id"]) == ("snapshot", quote_id)

    ok(db, "like", other)
    ok(db, "like", quote_id)
    update = events.next_json()
    assert (update["event"], update["quote"]["likes"]) == ("update", 1)

    ok(db, "delete", quote_id)
    assert events.next_json() == {"event": "delete", "id": quote_id, "quote": None}


def test_search_watch_follows_quotes_into_and_out_of_the_filter(db, watcher):
    inside = ok(db, "add", "--author", "René", "--content", "Cogito.").strip()
    outside = ok(db, "add", "--author", "Seneca", "--content", "Luck.").strip()
    events = watcher("--search", "rene")
    snapshot = events.next_json()
    assert (snapshot["event"], [q["id"] for q in snapshot["quotes"]]) == ("snapshot", [inside])

    ok(db, "like", outside)  # not in the filter: no event (the next one proves it)
    ok(db, "like", inside)
    update = events.next_json()
    assert (update["event"], update["id"], update["quote"]["likes"]) == ("update", inside, 1)

    ok(db, "edit", outside, "--content", "Luck, says RENE.")  # edited into the filter
    entered = events.next_json()
    assert (entered["event"], entered["id"], entered["quote"]["likes"]) == ("insert", outside, 1)

    ok(db, "edit", inside, "--author", "Descartes")  # edited out of it
    assert events.next_json() == {"event": "delete", "id": inside, "quote": None}

    ok(db, "add", "--author", "Other", "--content", "Not matching.")
    added = ok(db, "add", "--author", "Irene", "--content", "Matching.").strip()
    insert = events.next_json()
    assert (insert["event"], insert["id"]) == ("insert", added)

    ok(db, "delete", inside)  # already out of the filter: no event
    ok(db, "delete", outside)
    assert events.next_json() == {"event": "delete", "id": outside, "quote": None}
