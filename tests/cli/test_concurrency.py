"""Several real processes writing one store at once lose nothing."""

from __future__ import annotations

from contextlib import closing

import pytest
from support.cli import Result
from support.waiting import WAIT_S
from support.writers import run_together

from app.repo import open_repo

pytestmark = pytest.mark.e2e


def test_four_processes_liking_one_quote_lose_no_like(db, file_cli):
    quote_id = file_cli.ok("add", "--author", "A", "--content", "popular").strip()
    run_together(db, [("like", quote_id, 150)] * 4)
    file_cli.ok("like", quote_id)
    assert file_cli.listed()[0]["likes"] == 4 * 150 + 1
    # Opened after the writers: while a store is open in this process, opening another on
    # the same file (the command above) drops its locks (app/store/sqlite.py _check_file).
    with closing(open_repo(db)) as repo:
        assert repo.counters()["updates"] == 4 * 150 + 1


def test_two_processes_adding_at_once_lose_no_quote(db, file_cli):
    run_together(db, [("add", "left", 100), ("add", "right", 100)])
    quotes = file_cli.listed()
    assert len(quotes) == 200
    assert sum(q["author"] == "left" for q in quotes) == 100
    assert len({q["id"] for q in quotes}) == 200


def delete_at_random_together(processes, file_cli, count: int) -> list[Result]:
    """``count`` real ``quotes delete --random`` commands, started at once."""
    running = [processes.start(file_cli.argv("delete", "--random")) for _ in range(count)]
    results = []
    for process in running:
        stdout, stderr = process.communicate(timeout=4 * WAIT_S)
        results.append(Result(process.returncode, stdout, stderr))
    return results


def test_concurrent_random_deletes_each_delete_one_while_quotes_remain(processes, file_cli):
    ids = {file_cli.ok("add", "--author", "A", "--content", f"quote {n}").strip() for n in range(12)}
    results = delete_at_random_together(processes, file_cli, 6)
    assert [(r.status, r.stderr) for r in results] == [(0, "")] * 6
    deleted = {r.stdout.strip() for r in results}
    assert len(deleted) == 6 and deleted <= ids
    assert {q["id"] for q in file_cli.listed()} == ids - deleted


def test_more_random_deletes_than_quotes_empty_the_collection_and_the_rest_say_so(processes, file_cli):
    ids = {file_cli.ok("add", "--author", "A", "--content", f"quote {n}").strip() for n in range(4)}
    results = delete_at_random_together(processes, file_cli, 7)
    done = [r for r in results if r.status == 0]
    assert {r.stdout.strip() for r in done} == ids
    assert (
        sorted((r.status, r.stderr) for r in results if r.status != 0)
        == [(1, "quotes: there are no quotes to delete\n")] * 3
    )
    assert file_cli.listed() == []
