"""Records another program (or an older version) stored that no quote can be.

Each is reported as damaged, with its id, and every other quote is still
listed, searched, exported and watched: one bad record never stops a read
(issue 24, class 2).
"""

from __future__ import annotations

import json

import pytest
from support.cli import start_watch

from app.repo.schema import MAX_LIKES

GOOD = {"author": "A", "content": "C", "as_of": None, "version": 1}
TIMES = {"inserted_at": "2024-01-01T00:00:00+00:00", "updated_at": "2024-01-01T00:00:00+00:00"}

DAMAGED: dict[str, bytes] = {
    "not JSON": b"{not json",
    "not UTF-8": b'{"author": "\xff"}',
    "a time without offset": json.dumps(GOOD | TIMES | {"inserted_at": "2024-01-01T00:00:00"}).encode(),
    "a lone surrogate": json.dumps(GOOD | TIMES | {"content": "\ud800"}).encode(),
    "author a number": json.dumps(GOOD | TIMES | {"author": 7}).encode(),
    "no content": json.dumps({"author": "A"} | TIMES).encode(),
    "a JSON array": b"[1, 2]",
}


def _damage(cli, repo, raw: bytes | None, likes: int | None = None) -> str:
    """Add a quote, then overwrite its record (or its likes) as another program would; its id."""
    quote_id = cli.ok("add", "--author", "Damaged", "--content", "soon").strip()
    if raw is not None:
        repo.store.transact(lambda tr: tr.set(repo.keys.record(quote_id), raw))
    if likes is not None:
        repo.store.transact(lambda tr: tr.add(repo.keys.likes(quote_id), likes))
    return quote_id


def _assert_reads_go_on(cli, damaged_id: str, good: list[str]) -> None:
    for command in (["list"], ["list", "--json"], ["list", "--search", "good"]):
        result = cli.run(*command)
        assert result.status == 0, result
        assert "Traceback" not in result.stderr
        assert damaged_id in result.stderr and "damaged" in result.stderr
        assert all(quote_id in result.stdout for quote_id in good), command
        assert damaged_id not in result.stdout
    for command in (["export"], ["export", "--all"]):
        result = cli.run(*command)
        assert result.status == 1, "an export that left a record out is not a whole backup"
        assert damaged_id in result.stderr and "Traceback" not in result.stderr
        records = [json.loads(line) for line in result.stdout.splitlines()]
        exported = [record["id"] for record in records if "id" in record]  # not an empty collection's line
        if command == ["export"]:
            assert sorted(exported) == sorted(good)
        else:  # on a shared cluster, other collections' quotes too
            assert set(good) <= set(exported) and damaged_id not in exported


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_a_damaged_record_does_not_stop_list_or_export_of_the_others(cli, repo, case):
    good = [cli.ok("add", "--author", "Good", "--content", f"good {n}").strip() for n in range(2)]
    damaged_id = _damage(cli, repo, DAMAGED[case])
    _assert_reads_go_on(cli, damaged_id, good)


def test_likes_pushed_past_the_limit_are_a_damaged_record(cli, repo):
    good = [cli.ok("add", "--author", "Good", "--content", "good").strip()]
    damaged_id = _damage(cli, repo, None, likes=MAX_LIKES + 1)
    _assert_reads_go_on(cli, damaged_id, good)


@pytest.mark.e2e
def test_watch_shows_the_others_and_names_the_damaged_one(processes, file_cli, tmp_path):
    from app.repo import open_repo

    good = file_cli.ok("add", "--author", "Good", "--content", "good").strip()
    repo = open_repo(file_cli.where[1])
    try:
        damaged_id = _damage(file_cli, repo, DAMAGED["a time without offset"])
    finally:
        repo.close()
    process, lines = start_watch(processes, file_cli, "--json")
    snapshot = lines.next_json()
    assert [quote["id"] for quote in snapshot["quotes"]] == [good]
    added = file_cli.ok("add", "--author", "Later", "--content", "still watched").strip()
    assert lines.next_json()["id"] == added
    process.terminate()
    assert process.wait() == 0
    errors = process.stderr.read()
    assert damaged_id in errors and "Traceback" not in errors
