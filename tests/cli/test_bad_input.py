"""Bad input is refused with exit status 2 (unknown ids with 1) and writes nothing."""

from __future__ import annotations

import json

import pytest
from support.cli import Cli, assert_refused

from app.repo.schema import MAX_LIKES


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["add", "--author", "", "--content", "C"], "author must not be blank"),
        (["add", "--author", "   ", "--content", "C"], "author must not be blank"),
        (["add", "--author", "A", "--content", " \t\n"], "content must not be blank"),
        (["add", "--author", "A", "--content", "x" * 5001], "content is too long"),
        (["add", "--author", "a" * 201, "--content", "C"], "author is too long"),
        (["add", "--content", "C"], "--author"),
        (["add", "--author", "A"], "--content"),
        (["add", "--author", "A", "--content", "C", "--as-of", "yesterday"], "ISO 8601"),
        (["--tenant", " ", "add", "--author", "A", "--content", "C"], "tenant name"),
        (["like"], "id"),
        (["frobnicate"], "invalid choice"),
        (["edit", "some-id"], "edit needs --author or --content"),
        (["edit", "some-id", "--author", " "], "author must not be blank"),
        (["edit", "some-id", "--content", "x" * 5001], "content is too long"),
        (["edit", "some-id", "--author", "A", "--content", "bell\x07"], "control characters"),
        (["edit", "--author", "A"], "id"),
        (["watch", "some-id", "--search", "x"], "an id or --search, not both"),
    ],
)
def test_invalid_input_is_refused_and_writes_nothing(cli, state, seeded, args, words):
    assert_refused(cli.run(*args), 2, words)
    assert state() == seeded


@pytest.mark.parametrize("command", [["like"], ["delete"], ["watch", "--json"], ["edit", "--content", "C"]])
def test_unknown_id_exits_1_and_writes_nothing(cli, state, seeded, command):
    assert_refused(cli.run(*command, "no-such-id"), 1, "no quote with id no-such-id")
    assert state() == seeded


BAD_IMPORTS = {
    "blank author on line 3": (
        '{"author": "A", "content": "one"}\n{"author": "B", "content": "two"}\n'
        '{"author": " ", "content": "three"}\n',
        "line 3: author must not be blank",
    ),
    "missing content": ('{"author": "A"}\n', "line 1: content is required"),
    "malformed line": ('{"author": "A", "content": "one"}\n{"author": \n', "line 2: not valid JSON"),
    "bad record in an array": (
        json.dumps([{"author": "A", "content": "ok"}, {"author": "B", "content": "x" * 5001}]),
        "record 2: content is too long",
    ),
    "not an object": ('["just a string"]', "record 1: expected an object"),
    "unknown field": ('{"author": "A", "content": "C", "autor": "typo"}\n', "unknown field 'autor'"),
    "negative likes": (
        '{"author": "A", "content": "C", "likes": -1}\n',
        "likes must be a whole number from 0 to 9,007,199,254,740,991",
    ),
    "empty file": ("\n\n", "no quotes"),
}


@pytest.mark.parametrize("case", sorted(BAD_IMPORTS))
def test_malformed_import_imports_nothing(cli, state, seeded, tmp_path, case):
    text, words = BAD_IMPORTS[case]
    path = tmp_path / "import.jsonl"
    path.write_text(text)
    assert_refused(cli.run("import", str(path)), 2, words)
    assert state() == seeded


def test_missing_and_binary_import_files_are_refused(cli, state, seeded, tmp_path):
    assert_refused(cli.run("import", str(tmp_path / "absent.jsonl")), 2, "cannot read")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert_refused(cli.run("import", str(binary)), 2, "not UTF-8")
    assert state() == seeded


@pytest.mark.parametrize(
    "content",
    [b"just some text\n", b"SQLite format 3\x00" + b"\x00" * 84 + b"not really", b"\x00" * 4096],
)
def test_a_file_that_is_not_a_store_is_refused_and_left_untouched(tmp_path, content):
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    before = path.stat()
    assert_refused(Cli.on_file(path).run("add", "--author", "A", "--content", "C"), 2, str(path))
    assert path.read_bytes() == content
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_foreign_sqlite_database_is_refused_and_left_untouched(tmp_path):
    import sqlite3

    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE people (name TEXT)")
    conn.close()
    content = path.read_bytes()
    assert_refused(Cli.on_file(path).run("list"), 2, "not a Quotes store")
    assert path.read_bytes() == content


def test_a_missing_folder_is_a_clear_error(tmp_path):
    assert_refused(Cli.on_file(tmp_path / "absent" / "q.db").run("list"), 1, "does not exist")
    assert not (tmp_path / "absent").exists()


def test_a_like_past_the_limit_is_refused_and_writes_nothing(cli):
    cli.ok("import", "-", stdin=json.dumps({"author": "A", "content": "C", "likes": MAX_LIKES}))
    [quote] = cli.listed()
    assert_refused(cli.run("like", quote["id"]), 2, "likes")
    assert cli.listed() == [quote]
