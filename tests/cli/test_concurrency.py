"""Several real processes writing one store at once lose nothing."""

from __future__ import annotations

import subprocess
import sys

from app.repo import open_repo
from tests.cli.conftest import cli_env, listed, ok, run_together


def test_four_processes_liking_one_quote_lose_no_like(db):
    quote_id = ok(db, "add", "--author", "A", "--content", "popular").strip()
    run_together(db, [("like", quote_id, 150)] * 4)
    ok(db, "like", quote_id)
    assert listed(db)[0]["likes"] == 4 * 150 + 1
    repo = open_repo(db)
    try:
        assert repo.counters()["updates"] == 4 * 150 + 1
    finally:
        repo.close()


def test_two_processes_adding_at_once_lose_no_quote(db):
    run_together(db, [("add", "left", 100), ("add", "right", 100)])
    quotes = listed(db)
    assert len(quotes) == 200
    assert sum(q["author"] == "left" for q in quotes) == 100
    assert len({q["id"] for q in quotes}) == 200


def delete_at_random_together(db, processes: int) -> list[subprocess.CompletedProcess]:
    """``processes`` real ``quotes delete --random`` commands, started at once."""
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "app", "--db", str(db), "delete", "--random"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(),
        )
        for _ in range(processes)
    ]
    results = []
    for process in running:
        stdout, stderr = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr))
    return results


def test_concurrent_random_deletes_each_delete_one_while_quotes_remain(db):
    ids = {ok(db, "add", "--author", "A", "--content", f"quote {n}").strip() for n in range(12)}
    results = delete_at_random_together(db, 6)
    assert [(r.returncode, r.stderr) for r in results] == [(0, "")] * 6
    deleted = {r.stdout.strip() for r in results}
    assert len(deleted) == 6 and deleted <= ids
    assert {q["id"] for q in listed(db)} == ids - deleted


def test_more_random_deletes_than_quotes_empty_the_collection_and_the_rest_say_so(db):
    ids = {ok(db, "add", "--author", "A", "--content", f"quote {n}").strip() for n in range(4)}
    results = delete_at_random_together(db, 7)
    done = [r for r in results if r.returncode == 0]
    assert {r.stdout.strip() for r in done} == ids
    assert sorted((r.returncode, r.stderr) for r in results if r.returncode != 0) == [
        (1, "quotes: there are no quotes to delete\n")
    ] * 3
    assert listed(db) == []
