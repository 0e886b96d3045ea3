"""Each command of the ``quotes`` command line, on each engine."""

from __future__ import annotations

import json

from support.folding import FINDS, MISSES


def test_seed_then_list_shows_the_two_samples(cli):
    assert cli.ok("seed").strip() == "2"
    assert cli.ok("seed").strip() == "0", "seed adds only what is missing"
    quotes = cli.listed()
    assert len(quotes) == 2
    assert {(q["author"], q["content"]) for q in quotes} == {
        ("René Descartes", "Cogito, ergo sum."),
        ("Heraclitus", "One cannot step twice in the same river."),
    }
    assert set(quotes[0]) == {
        "id",
        "author",
        "content",
        "likes",
        "as_of",
        "inserted_at",
        "updated_at",
        "version",
    }
    assert all(q["version"] > 0 for q in quotes), "seeded quotes are given a version"
    text = cli.ok("list")
    assert "Cogito, ergo sum. — René Descartes" in text


def test_add_prints_the_new_id_and_trims_white_space(cli):
    quote_id = cli.ok("add", "--author", "  Seneca ", "--content", " Luck is preparation. ").strip()
    [quote] = cli.listed()
    assert quote["id"] == quote_id
    assert (quote["author"], quote["content"], quote["likes"]) == ("Seneca", "Luck is preparation.", 0)


def test_add_keeps_as_of(cli):
    cli.ok("add", "--author", "A", "--content", "C", "--as-of", "1637-01-01T00:00:00+00:00")
    assert cli.listed()[0]["as_of"].startswith("1637-01-01")


def test_like_adds_one_like(cli):
    quote_id = cli.ok("add", "--author", "A", "--content", "C").strip()
    cli.ok("like", quote_id)
    cli.ok("like", quote_id)
    assert cli.listed()[0]["likes"] == 2


def test_delete_by_id_and_at_random(cli):
    first = cli.ok("add", "--author", "A", "--content", "one").strip()
    cli.ok("add", "--author", "B", "--content", "two")
    assert cli.ok("delete", first).strip() == first
    assert [q["content"] for q in cli.listed()] == ["two"]
    cli.ok("delete", "--random")
    assert cli.listed() == []
    empty = cli.run("delete", "--random")
    assert empty.status == 1
    assert "no quotes" in empty.stderr


def test_export_then_import_round_trips_into_another_tenant(file_cli, tmp_path):
    file_cli.ok("seed")
    quote_id = file_cli.listed()[0]["id"]
    file_cli.ok("like", quote_id)
    exported = tmp_path / "quotes.jsonl"
    exported.write_text(file_cli.ok("export"))
    file_cli.ok("tenants", "create", "copy")
    assert file_cli.ok("--tenant", "copy", "import", str(exported)).strip() == "2"
    copy = json.loads(file_cli.ok("--tenant", "copy", "list", "--json"))
    assert sorted((q["author"], q["likes"]) for q in copy) == sorted(
        (q["author"], q["likes"]) for q in file_cli.listed()
    )
    assert file_cli.ok("tenants").split() == ["default", "copy"]


def test_import_reads_a_json_array_from_standard_input(cli):
    records = [{"author": f"A{i}", "content": f"C{i}"} for i in range(5)]
    assert cli.ok("import", "-", stdin=json.dumps(records)).strip() == "5"
    assert len(cli.listed()) == 5


def test_export_json_is_one_array(cli):
    cli.ok("seed")
    assert [q["id"] for q in json.loads(cli.ok("export", "--json"))] == [q["id"] for q in cli.listed()]


def test_help_and_version_are_for_people(cli):
    assert "live list of quotes" in cli.ok("--help")
    assert cli.ok("--version").startswith("quotes ")
    assert "--author" in cli.ok("add", "--help")


def test_edit_changes_author_or_content_and_keeps_id_likes_and_the_rest(cli):
    quote_id = cli.ok("add", "--author", "Heraclitus", "--content", "Everything flows.").strip()
    cli.ok("like", quote_id)
    [before] = cli.listed()
    printed = cli.ok("edit", quote_id, "--content", "  Everything flows, nothing stands still. ")
    [after] = cli.listed()
    assert (after["id"], after["likes"], after["author"]) == (quote_id, 1, "Heraclitus")
    assert after["content"] == "Everything flows, nothing stands still."
    assert after["inserted_at"] == before["inserted_at"] and after["updated_at"] > before["updated_at"]
    assert printed == f"{after['version']}\n" and after["version"] == before["version"] + 1
    cli.ok("edit", quote_id, "--author", "Ἡράκλειτος")
    cli.ok("edit", quote_id, "--author", "H.", "--content", "Panta rhei.")
    [edited] = cli.listed()
    assert (edited["id"], edited["likes"], edited["author"], edited["content"]) == (
        quote_id,
        1,
        "H.",
        "Panta rhei.",
    )


def test_list_search_ignores_case_and_accents(cli):
    cli.ok("add", "--author", "René Descartes", "--content", "Cogito, ergo sum.")
    cli.ok("add", "--author", "Heraclitus", "--content", "Nobody steps in the same RIVER twice.")
    cli.ok("add", "--author", "Seneca", "--content", "Luck is preparation.")
    assert "René Descartes" in cli.ok("list", "--search", "rene")
    assert len(cli.ok("list", "--search", "rene").splitlines()) == 1
    [river] = json.loads(cli.ok("list", "--json", "--search", "river"))
    assert river["author"] == "Heraclitus"
    assert json.loads(cli.ok("list", "--json", "--search", "nowhere")) == []
    assert cli.ok("list", "--search", "nowhere") == ""
    assert len(json.loads(cli.ok("list", "--json", "--search", "E"))) == 3


def test_list_search_finds_what_people_type(cli):
    """The folding table: ``--search`` finds each quote by what a person types, and only it."""
    ids = {}
    for _, author, content in FINDS + MISSES:
        if (author, content) not in ids:
            ids[author, content] = cli.ok("add", "--author", author, "--content", content).strip()
    for typed, author, content in FINDS:
        found = {q["id"] for q in json.loads(cli.ok("list", "--json", "--search", typed))}
        assert ids[author, content] in found, typed
    for typed, author, content in MISSES:
        found = {q["id"] for q in json.loads(cli.ok("list", "--json", "--search", typed))}
        assert ids[author, content] not in found, typed
