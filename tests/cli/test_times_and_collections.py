"""Times that enter are exact instants; a backup keeps empty collections (issues 24 and 25).

- a time without an offset names no instant: ``import`` refuses it naming the
  line and writes nothing, ``add --as-of`` refuses it too;
- an offset with seconds (``+05:30:15``) is kept to the second: the instant
  exported is the instant imported;
- ``export --all`` then ``import`` into a new store gives the same
  ``list --json`` for every collection, empty ones included.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from support.cli import Cli, assert_refused, new_store

WHOLE = {
    "id": "q-1",
    "author": "A",
    "content": "C",
    "likes": 2,
    "as_of": "1999-12-31T23:59:59+05:30:15",
    "inserted_at": "2024-01-01T00:00:00+05:30:15",
    "updated_at": "2024-01-02T00:00:00-03:00",
}


@pytest.mark.parametrize("field", ["as_of", "inserted_at", "updated_at"])
def test_an_import_with_a_time_without_offset_is_refused_and_writes_nothing(cli, state, seeded, field):
    good = json.dumps(WHOLE)
    naive = json.dumps(WHOLE | {"id": "q-2", field: "2024-01-01T00:00:00"})
    result = cli.run("import", "-", stdin=f"{good}\n{naive}\n")
    assert_refused(result, 2, f"line 2: {field} must give its offset from UTC")
    assert state() == seeded


def test_add_refuses_an_as_of_without_offset(cli, state, seeded):
    assert_refused(
        cli.run("add", "--author", "A", "--content", "C", "--as-of", "2024-01-01T10:00"), 2, "as_of"
    )
    assert state() == seeded


def test_an_offset_with_seconds_round_trips_exactly(file_cli, tmp_path):
    file_cli.ok("import", "-", stdin=json.dumps(WHOLE))
    [exported] = [json.loads(line) for line in file_cli.ok("export").splitlines()]
    offset = timedelta(hours=5, minutes=30, seconds=15)
    assert datetime.fromisoformat(exported["inserted_at"]) == datetime(2024, 1, 1, tzinfo=UTC) - offset
    assert (
        datetime.fromisoformat(exported["as_of"]) == datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC) - offset
    )
    assert exported["inserted_at"] == "2023-12-31T18:29:45Z", "the exact instant, in UTC"
    again = Cli.on_file(new_store(tmp_path / "again.db"))
    again.ok("import", "-", stdin=json.dumps(exported))
    assert again.listed() == file_cli.listed()


def test_export_all_then_import_keeps_empty_collections(file_cli, tmp_path):
    for name in ("Work", "Empty", "Also empty 🦉"):
        file_cli.ok("tenants", "create", name)
    file_cli.ok("--tenant", "Work", "add", "--author", "A", "--content", "C")
    file_cli.ok("seed")
    backup = tmp_path / "backup.jsonl"
    backup.write_text(file_cli.ok("export", "--all"))
    restored = Cli.on_file(new_store(tmp_path / "restored.db"))
    assert restored.ok("import", str(backup)).strip() == "3"
    names = file_cli.ok("tenants").splitlines()
    assert restored.ok("tenants").splitlines() == names
    for name in names:
        assert restored.listed("--tenant", name) == file_cli.listed("--tenant", name), name
