"""Writers killed with SIGKILL at random points: the store opens, nothing confirmed is lost."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from collections import Counter
from contextlib import closing

import pytest
from support.cli import cli_env
from support.waiting import WAIT_S

from app.repo import open_repo

pytestmark = pytest.mark.e2e

ROUNDS = 4
WRITERS = 2


#: More writes than any writer makes before it is killed.
ENDLESS = str(10**9)


def kill_after_some_writes(processes, db, seed: int) -> list[dict]:
    """Start writers; SIGKILL each after a random number of confirmed writes."""
    rng = random.Random(seed)
    writers = [
        processes.start(
            [sys.executable, "-m", "tests.reliability.workers", str(db), str(seed * 10 + n), ENDLESS],
            stderr=None,
            env=cli_env(),
        )
        for n in range(WRITERS)
    ]
    reports = []
    for writer in writers:
        for _ in range(rng.randrange(1, 300)):
            reports.append(json.loads(writer.stdout.readline()))
    for writer in writers:
        writer.kill()
    for writer in writers:
        # Reports written before the kill landed are confirmed too.
        reports += [json.loads(line) for line in writer.stdout.read().splitlines() if line.endswith("}")]
        writer.wait(timeout=WAIT_S)
    return reports


def test_killed_writers_lose_nothing_they_confirmed(db, file_cli, processes):
    file_cli.ok("seed")
    reports = []
    for round_ in range(ROUNDS):
        reports += kill_after_some_writes(processes, db, round_)

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()

    with closing(open_repo(db)) as repo:
        truth = {q.id: q for q in repo.read_all()}
        counters = repo.counters()
        versions = repo.store.transact(
            lambda tr: {repo.keys.id_of(k) for k, _ in tr.get_range(*repo.keys._range("v"))}
        )

    deleted = {r["id"] for r in reports if r["op"] == "delete"}
    added = {r["id"] for r in reports if r["op"] == "add"}
    likes = Counter(r["id"] for r in reports if r["op"] == "like")
    # A delete may commit in the instant before its writer is killed, unreported.
    being_deleted = {r["id"] for r in reports if r["op"] == "deleting"}
    assert added - deleted - being_deleted <= set(truth)
    assert not deleted & set(truth)
    unreported = 0  # so may a like
    for quote_id, quote in truth.items():
        assert quote.likes >= likes[quote_id]
        unreported += quote.likes - likes[quote_id]
    assert unreported <= ROUNDS * WRITERS

    # Nothing half-written: every record whole, and the counters add up.
    assert versions == set(truth)
    assert counters["inserts"] - counters["deletes"] == len(truth)
    assert counters["collection"] == counters["inserts"] + counters["deletes"]
    assert counters["changes"] == counters["collection"] + counters["updates"]


def test_a_killed_window_loses_no_like_it_showed_as_confirmed(db, file_cli, processes, tmp_path):
    quote_id = file_cli.ok("add", "--author", "A", "--content", "liked by a doomed window").strip()
    for round_ in range(3):
        window = processes.start(
            [sys.executable, "-m", "tests.reliability.window_worker", str(db), str(tmp_path / "s.ini")],
            stderr=None,
            env=cli_env(),
        )
        confirmed = 0
        for _ in range(random.Random(round_).randrange(5, 60)):
            confirmed = int(window.stdout.readline())
        window.kill()
        window.wait(timeout=WAIT_S)
        with closing(open_repo(db)) as repo:
            stored = repo.get(quote_id).likes
        assert confirmed <= stored <= confirmed + 1  # at most one like was in flight
