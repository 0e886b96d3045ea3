"""Writers killed with SIGKILL at random points: the store opens, nothing confirmed is lost."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
from collections import Counter

from app.repo import open_repo
from tests.cli.conftest import cli_env, ok

ROUNDS = 4
WRITERS = 2


def kill_after_some_writes(db, seed: int) -> list[dict]:
    """Start writers; SIGKILL each after a random number of confirmed writes."""
    rng = random.Random(seed)
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.workers", str(db), str(seed * 10 + n), "60"],
            stdout=subprocess.PIPE, text=True, env=cli_env(),
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
        writer.wait(timeout=10)
        writer.stdout.close()
    return reports


def test_killed_writers_lose_nothing_they_confirmed(db):
    ok(db, "seed")
    reports = []
    for round_ in range(ROUNDS):
        reports += kill_after_some_writes(db, round_)

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()

    repo = open_repo(db)
    try:
        truth = {q.id: q for q in repo.all()}
        counters = repo.counters()
        versions = repo.store.transact(
            lambda tr: {repo.keys.id_of(k) for k, _ in tr.get_range(*repo.keys.all_versions)}
        )
    finally:
        repo.close()

    deleted = {r["id"] for r in reports if r["op"] == "delete"}
    added = {r["id"] for r in reports if r["op"] == "add"}
    likes = Counter(r["id"] for r in reports if r["op"] == "like")
    assert added - deleted <= set(truth)
    assert not deleted & set(truth)
    unreported = 0  # a like may commit in the instant before its writer is killed
    for quote_id, quote in truth.items():
        assert quote.likes >= likes[quote_id]
        unreported += quote.likes - likes[quote_id]
    assert unreported <= ROUNDS * WRITERS

    # Nothing half-written: every record whole, and the counters add up.
    assert versions == set(truth)
    assert counters["inserts"] - counters["deletes"] == len(truth)
    assert counters["collection"] == counters["inserts"] + counters["deletes"]
    assert counters["changes"] == counters["collection"] + counters["updates"]
