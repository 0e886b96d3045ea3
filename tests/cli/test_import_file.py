"""The import file parser: JSON lines or an array, new quotes or exported ones,
and a clear error naming the bad line before anything is written."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from support.import_files import parse_quotes

from app.repo import InvalidQuote


def test_parse_quotes_json_lines_and_array_and_export_format() -> None:
    lines = '{"author": "Ann", "content": "A."}\n\n{"author": " Bob ", "content": "B.", "likes": 3}\n'
    assert [(r.fields.author, r.fields.content, r.likes) for r in parse_quotes(lines)] == [
        ("Ann", "A.", 0),
        ("Bob", "B.", 3),
    ]
    exported = json.dumps(
        {
            "id": "x",
            "author": "Cy",
            "content": "C.",
            "likes": 2,
            "as_of": None,
            "inserted_at": "2024-01-01T00:00:00+00:00",
            "updated_at": "2024-01-01T00:00:00+00:00",
        }
    )
    array = "\ufeff[" + exported + ', {"author": "Di", "content": "D."}]'
    records = parse_quotes(array)
    assert [(r.fields.author, r.likes, r.kept and r.kept.id) for r in records] == [
        ("Cy", 2, "x"),
        ("Di", 0, None),
    ]
    assert records[0].to_quote("unused", datetime.now(UTC)).inserted_at.year == 2024


@pytest.mark.parametrize(
    ("text", "where", "why"),
    [
        (
            '{"author": "Ann", "content": "A."}\n'
            '{"author": "Bob", "content": "B."}\n'
            '{"author": "  ", "content": "C."}\n',
            "line 3",
            "author must not be blank",
        ),
        (
            '{"author": "Ann", "content": "A."}\n{"author": "Bob", "content": \n',
            "line 2",
            "not valid JSON",
        ),
        (
            '\n\n{"author": "Ann", "content": "A."}\n{"author": "Bob"}\n',
            "line 4",
            "content is required",
        ),
        ('{"author": "Ann", "content": "A."}\n42\n', "line 2", "expected an object"),
        ('"just text"\n', "line 1", "expected an object"),
        (
            '[{"author": "Ann", "content": "A."}, {"author": "", "content": "B."}]',
            "record 2",
            "author must not be blank",
        ),
        ('[{"author": "Ann", "content": "A."}, ["Bob", "B."]]', "record 2", "expected an object"),
        ('[{"author": "Ann", "content": "A.", "likes": -2}]', "record 1", "likes"),
        ('[{"author": "Ann", "content": "A.", "mood": "glad"}]', "record 1", "unknown field"),
        ('[{"author": "Ann", "content": "A."},\n {"author": }]', "line 2", "not valid JSON"),
        ('\n\n[{"author": "Ann", "content": "A."},\n {"author": }]', "line 4", "not valid JSON"),
    ],
)
def test_parse_quotes_names_the_bad_line_or_record(text, where, why) -> None:
    with pytest.raises(InvalidQuote) as raised:
        parse_quotes(text)
    message = str(raised.value)
    assert where in message
    assert why in message
    assert "\n" not in message


@pytest.mark.parametrize("text", ["", "  \n\n", "\ufeff"])
def test_parse_quotes_empty_file(text) -> None:
    with pytest.raises(InvalidQuote, match="no quotes"):
        parse_quotes(text)
