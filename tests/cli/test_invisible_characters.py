"""Two different quotes never look the same: invisible and format characters are shown escaped.

``list`` (and ``watch``, ``tenants``) show every character of Unicode's
categories Cc, Cf, Co, Cn, Zl and Zp, and the other invisible ones, as an
escape (``\\u200b``), and a backslash doubled; ``--json`` and ``export`` keep
them exactly. (A record holding a lone surrogate is damaged: the read leaves
it out and names it.)
"""

from __future__ import annotations

import json
import unicodedata
import uuid

import pytest
from support.cli import start_watch

from app.repo.schema import Quote, now

INVISIBLE = {
    "zero-width space": "\u200b",
    "right-to-left mark": "\u200f",
    "Arabic letter mark": "\u061c",
    "byte order mark": "\ufeff",
    "tag letter A": "\U000e0041",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "soft hyphen": "\u00ad",
    "private use": "\ue000",
    "unassigned": "\u0378",
    "Hangul filler": "\u3164",
    "combining grapheme joiner": "\u034f",
    "next line": "\u0085",
}


def stored_by_another_tool(repo, author: str, content: str) -> str:
    """A quote written without our validation, as another program might; its id."""
    at = now()
    quote_id = str(uuid.uuid4())
    repo.restore(
        Quote(id=quote_id, author=author, content=content, likes=0, as_of=None, inserted_at=at, updated_at=at)
    )
    return quote_id


def shown(line: str) -> str:
    """What ``list`` shows of a quote: content and author, after the likes."""
    return line.split(" likes  ", 1)[1]


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_list_escapes_an_invisible_character_so_two_quotes_never_look_alike(cli, repo, char):
    stored_by_another_tool(repo, "Same", "look alike")
    stored_by_another_tool(repo, f"Sa{char}me", f"look{char} alike")
    plain, marked = cli.ok("list").splitlines()
    escape = char.encode("unicode_escape", "backslashreplace").decode()
    assert char not in marked
    assert f"look{escape} alike — Sa{escape}me" in marked
    assert shown(plain) != shown(marked)


def test_a_typed_backslash_never_looks_like_an_escape(cli, repo):
    stored_by_another_tool(repo, "A", "zero\u200bwidth")
    stored_by_another_tool(repo, "A", "zero\\u200bwidth")  # six characters typed
    assert {shown(line) for line in cli.ok("list").splitlines()} == {
        "zero\\u200bwidth — A",
        "zero\\\\u200bwidth — A",
    }


def test_json_output_keeps_every_character(cli, repo):
    content = "".join(INVISIBLE.values())
    quote_id = stored_by_another_tool(repo, f"A{content}", content)
    [listed] = json.loads(cli.ok("list", "--json"))
    [exported] = [json.loads(line) for line in cli.ok("export").splitlines()]
    for quote in (listed, exported):
        assert (quote["id"], quote["author"], quote["content"]) == (quote_id, f"A{content}", content)


def test_tenant_names_are_listed_one_a_line_whatever_they_hold(cli, repo):
    name = f"{repo.tenant}\u2028lines"  # a name of this test's own (a cluster is shared)
    cli.ok("tenants", "create", name)
    try:
        listed = cli.ok("tenants")
    finally:
        cli.ok("tenants", "delete", name, "--yes")
    assert f"{repo.tenant}\\u2028lines" in listed.splitlines()
    assert "\u2028" not in listed


def test_every_character_python_thinks_unprintable_is_escaped_in_list(cli, repo):
    """The sweep: every code point of the categories named, in one quote."""
    chars = [
        chr(cp)
        for cp in range(0x110000)
        if unicodedata.category(chr(cp)) in {"Cc", "Cf", "Zl", "Zp"} and chr(cp) != "\n"
    ]
    stored_by_another_tool(repo, "A", "x" + "".join(chars) + "y")
    [line] = cli.ok("list").splitlines()
    raw = [ch for ch in line if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}]
    assert raw == []


@pytest.mark.e2e
def test_watch_json_keeps_every_character(cli, repo, processes):
    content = "".join(INVISIBLE.values())
    stored_by_another_tool(repo, "A", content)
    _, lines = start_watch(processes, cli, "--json")
    snapshot = lines.next_json()
    assert [q["content"] for q in snapshot["quotes"]] == [content]
