"""Odd input through the command line's doors: taken whole or refused whole."""

from __future__ import annotations

import json

import pytest
from support.cli import Cli

TEXTS = {
    "Japanese": ("松尾芭蕉", "古池や蛙飛び込む水の音"),
    "Arabic, right to left": ("ابن سينا", "العلم في الصغر كالنقش على الحجر"),
    "emoji and combining marks": ("Zoë 🦉", "Cafe\u0301 ☕ — naïve 👩‍👩‍👧"),
    "lines and tabs": ("A", "first line\n\tsecond line"),
}


@pytest.mark.parametrize("case", sorted(TEXTS))
def test_non_latin_text_round_trips_through_add_list_export_and_import(file_cli, tmp_path, case):
    author, content = TEXTS[case]
    file_cli.ok("add", "--author", author, "--content", content)
    [quote] = file_cli.listed()
    assert (quote["author"], quote["content"]) == (author, content)
    exported = tmp_path / "e.jsonl"
    exported.write_text(file_cli.ok("export"), encoding="utf-8")
    file_cli.ok("tenants", "create", "copy")
    file_cli.ok("--tenant", "copy", "import", str(exported))
    [copy] = json.loads(file_cli.ok("--tenant", "copy", "list", "--json"))
    assert (copy["author"], copy["content"]) == (author, content)


def test_the_limits_count_characters_not_bytes(file_cli):
    file_cli.ok("add", "--author", "é" * 200, "--content", "🦉" * 5000)
    assert [len(q["content"]) for q in file_cli.listed()] == [5000]
    refused = file_cli.run("add", "--author", "A", "--content", "🦉" * 5001)
    assert refused.status == 2 and "too long" in refused.stderr


@pytest.mark.parametrize(
    ("author", "content"),
    [("A", "\x1b[31mred alert\x1b[0m"), ("A", "nul\x00byte"), ("line\nbreak", "C"), ("A", "bell\x07")],
)
def test_control_characters_are_refused(file_cli, author, content):
    if "\x00" in content:  # a NUL cannot travel in argv: use an import file
        result = file_cli.run("import", "-", stdin=json.dumps({"author": author, "content": content}))
    else:
        result = file_cli.run("add", "--author", author, "--content", content)
    assert result.status == 2, result.stderr
    assert "control characters" in result.stderr
    assert file_cli.listed() == []


@pytest.mark.parametrize("tenant", ["Team 🦉", "a..b", "\u00fcber", "x" * 64, "'; DROP TABLE kv; --"])
def test_odd_tenant_names_work_and_stay_apart(file_cli, tenant):
    file_cli.ok("tenants", "create", tenant)
    file_cli.ok("--tenant", tenant, "add", "--author", "A", "--content", "C")
    assert file_cli.ok("tenants").splitlines() == ["default", tenant]
    assert file_cli.listed() == []
    assert len(json.loads(file_cli.ok("--tenant", tenant, "list", "--json"))) == 1


@pytest.mark.parametrize(("tenant", "words"), [("x" * 65, "too long"), ("a\tb", "control"), ("  ", "blank")])
def test_bad_tenant_names_are_refused(tmp_path, tenant, words):
    db = tmp_path / "new.db"
    result = Cli.on_file(db).run("--tenant", tenant, "add", "--author", "A", "--content", "C")
    assert result.status == 2 and words in result.stderr
    assert not db.exists(), "refused before the store was even opened"
