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
