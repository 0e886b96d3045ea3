"""Versions at the command line: shown by list --json and edit, checked by --if-version."""

from __future__ import annotations

import json

import pytest
from support.cli import assert_refused, one_line_error


@pytest.fixture
def quote(cli) -> dict:
    cli.ok("add", "--author", "Ann", "--content", "First.")
    [listed] = cli.listed()
    return listed


def test_list_shows_the_version_edit_prints_the_next_and_likes_leave_it(cli, quote) -> None:
    assert quote["version"] > 0
    assert cli.ok("edit", quote["id"], "--content", "Second.") == f"{quote['version'] + 1}\n"
    cli.ok("like", quote["id"])
    [now] = cli.listed()
    assert (now["version"], now["content"], now["likes"]) == (quote["version"] + 1, "Second.", 1)


def test_an_edit_that_changes_nothing_prints_the_same_version_and_writes_nothing(cli, quote, state) -> None:
    before = state()
    assert cli.ok("edit", quote["id"], "--author", "Ann") == f"{quote['version']}\n"
    assert state() == before


def test_edit_if_version_refuses_a_changed_quote_naming_its_version(cli, quote, state) -> None:
    newer = int(cli.ok("edit", quote["id"], "--author", "Heraclitus of Ephesus"))
    before = state()
    refused = cli.run("edit", quote["id"], "--if-version", str(quote["version"]), "--content", "Mine.")
    assert f"version {newer}" in one_line_error(refused, 1)
    assert refused.stdout == ""
    assert state() == before
    assert cli.ok("edit", quote["id"], "--if-version", str(newer), "--content", "Mine.") == f"{newer + 1}\n"
    [now] = cli.listed()
    assert (now["author"], now["content"]) == ("Heraclitus of Ephesus", "Mine.")


def test_delete_if_version_refuses_a_changed_quote_and_deletes_an_unchanged_one(cli, quote, state) -> None:
    newer = int(cli.ok("edit", quote["id"], "--content", "Theirs."))
    before = state()
    refused = cli.run("delete", quote["id"], "--if-version", str(quote["version"]))
    assert f"version {newer}" in one_line_error(refused, 1)
    assert state() == before
    assert cli.ok("delete", quote["id"], "--if-version", str(newer)) == f"{quote['id']}\n"
    assert cli.listed() == []


def test_without_if_version_the_last_writer_wins(cli, quote) -> None:
    cli.ok("edit", quote["id"], "--content", "Theirs.")
    cli.ok("edit", quote["id"], "--content", "Mine.")
    assert cli.listed()[0]["content"] == "Mine."
    cli.ok("delete", quote["id"])
    assert cli.listed() == []


@pytest.mark.parametrize(
    "args",
    [
        ("edit", "{id}", "--content", "x", "--if-version", "four"),
        ("edit", "{id}", "--content", "x", "--if-version", "1.5"),
        ("edit", "{id}", "--content", "x", "--if-version", str(2**53)),
        ("delete", "{id}", "--if-version", "-1"),
        ("delete", "--random", "--if-version", "1"),
    ],
)
def test_a_bad_if_version_is_bad_usage_and_writes_nothing(cli, quote, state, args) -> None:
    before = state()
    result = cli.run(*(arg.format(id=quote["id"]) for arg in args))
    assert_refused(result, 2, "version")
    assert state() == before


def test_an_export_imported_keeps_versions_and_an_old_export_gets_new_ones(cli, quote) -> None:
    exported = cli.ok("export")
    cli.ok("delete", quote["id"])
    cli.ok("import", "-", stdin=exported)
    assert cli.listed() == [quote]
    cli.ok("delete", quote["id"])
    old = {key: value for key, value in json.loads(exported).items() if key != "version"}
    cli.ok("import", "-", stdin=json.dumps(old))
    [again] = cli.listed()
    assert again["version"] not in (0, quote["version"])
    assert {**again, "version": 0} == {**quote, "version": 0}


def test_an_import_record_with_a_version_but_no_id_is_refused(cli, state) -> None:
    before = state()
    result = cli.run("import", "-", stdin='{"author": "A", "content": "B", "version": 3}\n')
    assert_refused(result, 2, "a quote with a version needs id")
    assert state() == before
