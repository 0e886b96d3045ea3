"""Hostile import files: each refused whole, in one line, with exit status 2.

A table of files crafted to break the parser (depth, size, separators,
encodings, number ranges, duplicate keys, non-objects) goes through
``quotes import``; odd but valid files are taken whole.
"""

from __future__ import annotations

import json

import pytest
from support.cli import assert_refused

from app.repo.schema import MAX_LIKES

GOOD = '{"author": "A", "content": "fine"}\n'
RANGE = f"likes must be a whole number from 0 to {MAX_LIKES:,}"


def line(**fields: object) -> str:
    return json.dumps({"author": "A", "content": "C"} | fields) + "\n"


HOSTILE: dict[str, tuple[str | bytes, str]] = {
    # depth
    "array nested 100,000 deep": ("[" * 100_000 + "]" * 100_000, "record 1: nested too deeply"),
    "line nested 100,000 deep": (GOOD + '{"author": ' + "[" * 100_000, "line 2: nested too deeply"),
    "object as a field": (GOOD + '{"author": {"a": [[[1]]]}, "content": "C"}\n', "line 2: author"),
    # size
    "content of a million characters": (line(content="x" * 1_000_000), "content is too long"),
    "bad record after 5,000 good ones": (GOOD * 5000 + line(likes=10**30), "line 5001: " + RANGE),
    # separators
    "bare carriage returns": (GOOD.replace("\n", "\r") * 3, "line 1: not valid JSON"),
    "two records on one line": (GOOD.strip() + " " + GOOD, "line 1: not valid JSON (Extra data"),
    "raw U+0085 in content": ('{"author": "A", "content": "a\u0085b"}\n', "control characters"),
    "escaped NUL in author": ('{"author": "A\\u0000", "content": "C"}\n', "control characters"),
    # encodings
    "UTF-16 with BOM": (GOOD.encode("utf-16"), "not UTF-8"),
    "Latin-1": ('{"author": "Ren\xe9", "content": "C"}\n'.encode("latin-1"), "not UTF-8"),
    "BOM in the middle": (GOOD + "\ufeff" + GOOD, "line 2: not valid JSON"),
    "lone surrogate escape": ('{"author": "A", "content": "\\ud800"}\n', "line 1: content"),
    # numbers
    "likes 2**53": (line(likes=2**53), RANGE),
    "likes 2**63 - 1": (line(likes=2**63 - 1), RANGE),
    "likes 10**30": (line(likes=10**30), RANGE),
    "likes of 5,000 digits": (
        '{"author": "A", "content": "C", "likes": 1' + "0" * 5000 + "}\n",
        "more than 100 digits",
    ),
    "negative likes": (line(likes=-1), RANGE),
    "likes 1.0": ('{"author": "A", "content": "C", "likes": 1.0}\n', RANGE),
    "likes 1e3": ('{"author": "A", "content": "C", "likes": 1e3}\n', RANGE),
    "likes true": (line(likes=True), RANGE),
    "likes as text": (line(likes="3"), RANGE),
    "likes null": (line(likes=None), RANGE),
    "likes NaN": ('{"author": "A", "content": "C", "likes": NaN}\n', "NaN is not a number JSON allows"),
    "likes Infinity": ('{"author": "A", "content": "C", "likes": Infinity}\n', "Infinity is not"),
    "likes -Infinity": ('{"author": "A", "content": "C", "likes": -Infinity}\n', "-Infinity is not"),
    "as_of as a number": (line(as_of=1.0), "as_of must be an ISO 8601 time"),
    "as_of true": (line(as_of=True), "as_of must be an ISO 8601 time"),
    "as_of not a time": (line(as_of="yesterday"), "line 1: as_of"),
    # keys and shapes
    "duplicate author": ('{"author": "A", "author": "B", "content": "C"}\n', "field 'author' appears twice"),
    "duplicate likes": ('{"author": "A", "content": "C", "likes": 1, "likes": 2}\n', "'likes' appears twice"),
    "unknown field with a newline": (line(**{"bad\nname": 1}), "unknown field 'bad\\nname'"),
    "empty object": ("{}\n", "line 1: author is required"),
    "author a number": ('{"author": 7, "content": "C"}\n', "line 1: author"),
    "a number line": (GOOD + "42\n", "line 2: expected an object"),
    "a null line": (GOOD + "null\n", "line 2: expected an object"),
    "a string line": (GOOD + '"text"\n', "line 2: expected an object"),
    "array of arrays": ('[[{"author": "A", "content": "C"}]]', "record 1: expected an object"),
    "array then more": ('[{"author": "A", "content": "C"}] []', "not valid JSON (Extra data"),
    "only white space": (" \n\t\r\n", "no quotes"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_import_is_refused_in_one_line_and_imports_nothing(cli, state, seeded, tmp_path, case):
    data, words = HOSTILE[case]
    path = tmp_path / "hostile.jsonl"
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    assert_refused(cli.run("import", str(path)), 2, words)
    assert state() == seeded


ODD_BUT_VALID: dict[str, tuple[str, list[tuple[str, str, int]]]] = {
    "UTF-8 BOM and CRLF": (
        "\ufeff" + GOOD.replace("\n", "\r\n") * 2,
        [("A", "fine", 0), ("A", "fine", 0)],
    ),
    "U+2028 and U+2029 inside content": (
        '{"author": "A", "content": "one\u2028two\u2029three"}\n',
        [("A", "one\u2028two\u2029three", 0)],
    ),
    "likes at the limit, and 0": (
        line(likes=MAX_LIKES) + line(content="D", likes=0),
        [("A", "C", MAX_LIKES), ("A", "D", 0)],
    ),
    "an exported record": (
        line(
            id="x", likes=3, as_of=None, inserted_at="2020-01-01T00:00:00Z", updated_at="2020-01-02T00:00:00Z"
        ),
        [("A", "C", 3)],
    ),
    "blank lines between records": ("\n\n" + GOOD + "\n   \n" + GOOD, [("A", "fine", 0)] * 2),
}


@pytest.mark.parametrize("case", sorted(ODD_BUT_VALID))
def test_odd_but_valid_imports_are_taken_whole(cli, case):
    text, expected = ODD_BUT_VALID[case]
    assert cli.ok("import", "-", stdin=text).strip() == str(len(expected))
    assert sorted((q["author"], q["content"], q["likes"]) for q in cli.listed()) == sorted(expected)


@pytest.mark.parametrize(
    ("source", "words"), [("/dev/zero", "line 1 is longer than 16 MiB"), (".", "Is a directory")]
)
def test_an_endless_or_unreadable_source_is_refused(cli, state, seeded, tmp_path, source, words):
    path = source if source.startswith("/") else str(tmp_path)
    assert_refused(cli.run("import", path), 2, words)
    assert state() == seeded
