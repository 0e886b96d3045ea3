"""Eight processes mixing likes, adds and deletes: nothing reported is lost."""

from __future__ import annotations

import json
import sys
from collections import Counter
from contextlib import closing

import pytest
from support.cli import cli_env, start_watch
from support.waiting import WAIT_S

from app.repo import changelog, open_repo

pytestmark = pytest.mark.e2e

WRITERS = 8
#: Writes each writer makes: a fixed amount of work, however fast the machine.
WRITES = 300


def confirmed_writes(processes, db) -> list[dict]:
    writers = [
        processes.start(
            [sys.executable, "-m", "tests.reliability.workers", str(db), str(n), str(WRITES)],
            stderr=None,
            env=cli_env(),
        )
        for n in range(WRITERS)
    ]
    reports = []
    for writer in writers:
        out, _ = writer.communicate(timeout=4 * WAIT_S)
        assert writer.returncode == 0
        reports += [json.loads(line) for line in out.splitlines()]
    return reports


def test_eight_mixed_writers_lose_nothing_and_watchers_agree(db, file_cli, processes):
    file_cli.ok("seed")
    _, events = start_watch(processes, file_cli, "--json")
    state = {q["id"]: q for q in events.next_json()["quotes"]}

    reports = confirmed_writes(processes, db)
    sentinel = file_cli.ok("add", "--author", "test", "--content", "the end").strip()

    with closing(open_repo(db)) as repo:
        truth = {q.id: q for q in repo.read_all()}
        counters = repo.counters()
        log = repo.store.transact(lambda tr: tr.get_range(repo.keys.log_prefix, repo.keys.log_end))
        floor = repo.store.transact(lambda tr: tr.get(repo.keys.floor))

    ops = Counter(r["op"] for r in reports)
    assert ops["add"] > 0 and ops["like"] > 0 and ops["delete"] > 0
    added = {r["id"] for r in reports if r["op"] == "add"}
    deleted = {r["id"] for r in reports if r["op"] == "delete"}
    likes = Counter(r["id"] for r in reports if r["op"] == "like")
    assert added - deleted <= set(truth), "every reported add is there"
    assert not deleted & set(truth), "no deleted quote is"
    for quote_id, quote in truth.items():
        assert quote.likes == likes[quote_id], "every reported like is there, none more"

    assert counters == {
        "inserts": 2 + ops["add"] + 1,
        "deletes": ops["delete"],
        "collection": 2 + ops["add"] + 1 + ops["delete"],
        "updates": ops["like"],
        "changes": 2 + ops["add"] + 1 + ops["delete"] + ops["like"],
    }
    if floor is None:
        logged = Counter(value.decode() for _, value in log)
        assert logged == Counter(insert=counters["inserts"], delete=ops["delete"], update=ops["like"])
    else:  # trimmed while it ran: the newest entries are kept, all older than the floor gone
        assert changelog.KEEP <= len(log) <= counters["changes"]
        assert all(key > floor for key, _ in log)

    # Replay the watcher's stream until it shows the store (each read waits WAIT_S at most:
    # a watcher that lost a change never gets there). Not until the sentinel: a batch
    # prints its inserts before its updates, so the likes read with it come after it.
    shown = {i: q.likes for i, q in truth.items()}
    assert sentinel in shown
    while {i: q["likes"] for i, q in state.items()} != shown:
        event = events.next_json()
        if event["event"] == "delete":
            state.pop(event["id"], None)
        else:
            state[event["id"]] = event["quote"]
