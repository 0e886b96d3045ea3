"""``quotes watch --json`` prints other processes' changes as they happen."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time

import pytest

from tests.cli.conftest import new_store, ok


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


@pytest.fixture
def db(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    return new_store(folder / "q.db")


def ended_with_one_line(process, timeout: float) -> str:
    """Wait for the watch to end by itself; its exit status must be 1 with one line on stderr."""
    process.wait(timeout=timeout)
    assert process.returncode == 1
    lines = process.stderr.read().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("mode", ["events", "poll"])
def test_deleting_the_store_folder_ends_the_watch_with_one_line(db, watcher, mode):
    ok(db, "seed")
    events = watcher(QUOTES_WATCH_MODE=mode)
    assert events.next_json()["event"] == "snapshot"

    shutil.rmtree(db.parent)
    started = time.monotonic()
    line = ended_with_one_line(events.process, timeout=2)
    assert time.monotonic() - started < 2
    assert line == f"quotes: store {db} was deleted or moved"


def test_a_store_damaged_under_the_watch_ends_it_with_one_line(db, watcher):
    ok(db, "seed")
    ok(db, "import", "-", stdin="\n".join(
        f'{{"author": "A{n}", "content": "{"words " * 80}"}}' for n in range(300)
    ))
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    events = watcher()
    assert events.next_json()["event"] == "snapshot"

    os.truncate(db, 4096)
    line = ended_with_one_line(events.process, timeout=10)
    assert line.startswith(f"quotes: store {db} is damaged")


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
