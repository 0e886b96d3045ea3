"""``quotes watch --json`` (a real process) prints other processes' changes as they happen."""

from __future__ import annotations

import os
import sqlite3

import pytest
from support.cli import Cli, new_store, start_watch
from support.folders import delete_folder as delete_store_folder
from support.waiting import WAIT_S

pytestmark = pytest.mark.e2e


@pytest.fixture
def store_file(tmp_path):
    """An empty store alone in its folder (which a test may delete)."""
    folder = tmp_path / "store"
    folder.mkdir()
    return new_store(folder / "q.db")


@pytest.fixture
def cli(store_file):
    return Cli.on_file(store_file)


@pytest.fixture
def watcher(processes, cli):
    """Start ``quotes watch --json ARGS`` (keywords: extra environment); its lines."""

    def start(*args, **env):
        return start_watch(processes, cli, "--json", *args, **env)

    return start


def test_collection_watch_prints_insert_update_and_delete(cli, watcher):
    cli.ok("seed")
    process, events = watcher()
    snapshot = events.next_json()
    assert snapshot["event"] == "snapshot"
    assert len(snapshot["quotes"]) == 2
    liked = snapshot["quotes"][0]["id"]

    version = snapshot["quotes"][0]["version"]
    cli.ok("like", liked)
    update = events.next_json()
    assert (update["event"], update["id"], update["quote"]["likes"]) == ("update", liked, 1)
    assert update["quote"]["version"] == version, "a like leaves the version"
    cli.ok("edit", liked, "--content", "Edited.")
    update = events.next_json()
    assert (update["id"], update["quote"]["version"]) == (liked, version + 1)

    new_id = cli.ok("add", "--author", "Lao Tzu", "--content", "A journey begins.").strip()
    insert = events.next_json()
    assert (insert["event"], insert["id"], insert["quote"]["author"]) == ("insert", new_id, "Lao Tzu")

    cli.ok("delete", new_id)
    assert events.next_json() == {"event": "delete", "id": new_id, "quote": None}


def test_record_watch_follows_one_quote_through_like_and_delete(cli, watcher):
    quote_id = cli.ok("add", "--author", "A", "--content", "followed").strip()
    other = cli.ok("add", "--author", "B", "--content", "not followed").strip()
    process, events = watcher(quote_id)
    snapshot = events.next_json()
    assert (snapshot["event"], snapshot["quote"]["id"]) == ("snapshot", quote_id)

    cli.ok("like", other)
    cli.ok("like", quote_id)
    update = events.next_json()
    assert (update["event"], update["quote"]["likes"]) == ("update", 1)

    cli.ok("delete", quote_id)
    assert events.next_json() == {"event": "delete", "id": quote_id, "quote": None}


def ended_with_one_line(process) -> str:
    """Wait for the watch to end by itself; its exit status must be 1 with one line on stderr."""
    process.wait(timeout=WAIT_S)
    assert process.returncode == 1
    lines = process.stderr.read().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("mode", ["events", "poll"])
def test_deleting_the_store_folder_ends_the_watch_with_one_line(store_file, cli, watcher, mode):
    cli.ok("seed")
    process, events = watcher(QUOTES_WATCH_MODE=mode)
    assert events.next_json()["event"] == "snapshot"

    delete_store_folder(store_file.parent)
    line = ended_with_one_line(process)
    assert line == f"quotes: store {store_file} was deleted or moved"


def test_a_store_damaged_under_the_watch_ends_it_with_one_line(store_file, cli, watcher):
    cli.ok("seed")
    cli.ok(
        "import",
        "-",
        stdin="\n".join(f'{{"author": "A{n}", "content": "{"words " * 80}"}}' for n in range(300)),
    )
    conn = sqlite3.connect(store_file)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    process, events = watcher()
    assert events.next_json()["event"] == "snapshot"

    os.truncate(store_file, 4096)
    line = ended_with_one_line(process)
    assert line.startswith(f"quotes: store {store_file} is damaged")


def test_search_watch_follows_quotes_into_and_out_of_the_filter(cli, watcher):
    inside = cli.ok("add", "--author", "René", "--content", "Cogito.").strip()
    outside = cli.ok("add", "--author", "Seneca", "--content", "Luck.").strip()
    process, events = watcher("--search", "rene")
    snapshot = events.next_json()
    assert (snapshot["event"], [q["id"] for q in snapshot["quotes"]]) == ("snapshot", [inside])

    cli.ok("like", outside)  # not in the filter: no event (the next one proves it)
    cli.ok("like", inside)
    update = events.next_json()
    assert (update["event"], update["id"], update["quote"]["likes"]) == ("update", inside, 1)

    cli.ok("edit", outside, "--content", "Luck, says RENE.")  # edited into the filter
    entered = events.next_json()
    assert (entered["event"], entered["id"], entered["quote"]["likes"]) == ("insert", outside, 1)

    cli.ok("edit", inside, "--author", "Descartes")  # edited out of it
    assert events.next_json() == {"event": "delete", "id": inside, "quote": None}

    cli.ok("add", "--author", "Other", "--content", "Not matching.")
    added = cli.ok("add", "--author", "Irene", "--content", "Matching.").strip()
    insert = events.next_json()
    assert (insert["event"], insert["id"]) == ("insert", added)

    cli.ok("delete", inside)  # already out of the filter: no event
    cli.ok("delete", outside)
    assert events.next_json() == {"event": "delete", "id": outside, "quote": None}
