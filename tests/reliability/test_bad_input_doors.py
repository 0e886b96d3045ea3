"""Odd input through the command line's doors: taken whole or refused whole."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import listed, ok, run_cli

TEXTS = {
    "Japanese": ("松尾芭蕉", "古池や蛙飛び込む水の音"),
    "Arabic, right to left": ("ابن سينا", "العلم في الصغر كالنقش على الحجر"),
    "emoji and combining marks": ("Zoë 🦉", "Cafe\u0301 ☕ — naïve 👩‍👩‍👧"),
    "lines and tabs": ("A", "first line\n\tsecond line"),
}


@pytest.mark.parametrize("case", sorted(TEXTS))
def test_non_latin_text_round_trips_through_add_list_export_and_import(db, tmp_path, case):
    author, content = TEXTS[case]
    ok(db, "add", "--author", author, "--content", content)
    [quote] = listed(db)
    assert (quote["author"], quote["content"]) == (author, content)
    exported = tmp_path / "e.jsonl"
    exported.write_text(ok(db, "export"), encoding="utf-8")
    ok(db, "tenants", "create", "copy")
    ok(db, "--tenant", "copy", "import", str(exported))
    [copy] = json.loads(ok(db, "--tenant", "copy", "list", "--json"))
    assert (copy["author"], copy["content"]) == (author, content)


def test_the_limits_count_characters_not_bytes(db):
    ok(db, "add", "--author", "é" * 200, "--content", "🦉" * 5000)
    assert [len(q["content"]) for q in listed(db)] == [5000]
    refused = run_cli(db, "add", "--author", "A", "--content", "🦉" * 5001)
    assert refused.returncode == 2 and "too long" in refused.stderr


@pytest.mark.parametrize(
    ("author", "content"),
    [("A", "\x1b[31mred alert\x1b[0m"), ("A", "nul\x00byte"), ("line\nbreak", "C"), ("A", "bell\x07")],
)
def test_control_characters_are_refused(db, author, content):
    if "\x00" in content:  # a NUL cannot travel in argv: use an import file
        result = run_cli(db, "import", "-", stdin=json.dumps({"author": author, "content": content}))
    else:
        result = run_cli(db, "add", "--author", author, "--content", content)
    assert result.returncode == 2, result.stderr
    assert "control characters" in result.stderr
    assert listed(db) == []


@pytest.mark.parametrize("tenant", ["Team 🦉", "a/b/../c", "\u00fcber", "x" * 64, "'; DROP TABLE kv; --"])
def test_odd_tenant_names_work_and_stay_apart(db, tenant):
    ok(db, "tenants", "create", tenant)
    ok(db, "--tenant", tenant, "add", "--author", "A", "--content", "C")
    assert ok(db, "tenants").splitlines() == ["default", tenant]
    assert listed(db) == []
    assert len(json.loads(ok(db, "--tenant", tenant, "list", "--json"))) == 1


@pytest.mark.parametrize(("tenant", "words"), [("x" * 65, "too long"), ("a\tb", "control"), ("  ", "blank")])
def test_bad_tenant_names_are_refused(tmp_path, tenant, words):
    db = tmp_path / "new.db"
    result = run_cli(db, "--tenant", tenant, "add", "--author", "A", "--content", "C")
    assert result.returncode == 2 and words in result.stderr
    assert not db.exists(), "refused before the store was even opened"
