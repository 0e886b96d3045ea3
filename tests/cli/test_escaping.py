"""Text from elsewhere never reaches the terminal raw.

Errors are always one line (control characters escaped). Records that another
tool wrote with control characters or bidirectional overrides are shown
escaped by ``list`` and ``watch``, and exactly as stored by ``--json``.
"""

from __future__ import annotations

import json
import unicodedata
import uuid

import pytest
from support.cli import start_watch

from app.repo.schema import Quote, now

HOSTILE_AUTHOR = "Eve\x1b[2J\x07"
HOSTILE_CONTENT = "safe \u202etxt.exe\u202c and \u2066isolated\u2069 and a\u2028break"


@pytest.mark.parametrize(
    ("quote_id", "shown"),
    [("a\nb", "a\\nb"), ("\x1b[31mred", "\\x1b[31mred"), ("x\u202ey", "x\\u202ey"), ("a\rb", "a\\rb")],
)
def test_errors_are_one_line_with_control_characters_escaped(cli, quote_id, shown):
    result = cli.run("like", quote_id)
    assert result.status == 2  # not an id this program gives, and no quote's: bad input
    assert result.stderr.startswith(f"quotes: no quote with id {shown} (")
    assert len(result.stderr.splitlines()) == 1


@pytest.fixture
def written_by_another_tool(repo):
    """A quote stored without our validation, as another program might write it."""
    quote_id = "id-\x1b[0m-" + str(uuid.uuid4())
    at = now()
    quote = Quote(
        id=quote_id,
        author=HOSTILE_AUTHOR,
        content=HOSTILE_CONTENT,
        likes=0,
        as_of=None,
        inserted_at=at,
        updated_at=at,
    )
    repo.restore(quote)
    return quote_id


def assert_escaped(line: str) -> None:
    line = line.removesuffix("\n")
    raw = [ch for ch in line if unicodedata.category(ch) in ("Cc", "Zl") or "\u202a" <= ch <= "\u2069"]
    assert raw == [], raw
    assert "id-\\x1b[0m-" in line
    assert "Eve\\x1b[2J\\x07" in line
    assert "safe \\u202etxt.exe\\u202c and \\u2066isolated\\u2069 and a\\u2028break" in line


def test_list_escapes_what_another_tool_stored(cli, written_by_another_tool):
    [line] = cli.ok("list").splitlines()
    assert_escaped(line)


def test_json_output_keeps_the_stored_text_exactly(cli, written_by_another_tool):
    [quote] = cli.listed()
    assert (quote["id"], quote["author"], quote["content"]) == (
        written_by_another_tool,
        HOSTILE_AUTHOR,
        HOSTILE_CONTENT,
    )
    [exported] = cli.ok("export").splitlines()
    assert json.loads(exported)["content"] == HOSTILE_CONTENT


@pytest.mark.e2e
def test_watch_escapes_what_another_tool_stored(cli, processes, written_by_another_tool):
    _, lines = start_watch(processes, cli)
    assert lines.next_line().startswith("watching 1 quote(s)")
    assert_escaped(lines.next_line())
