"""Each command of the ``quotes`` command line, run as a real program."""

from __future__ import annotations

import json

from tests.cli.conftest import listed, ok, run_cli


def test_seed_then_list_shows_the_two_samples(db):
    assert ok(db, "seed").strip() == "2"
    assert ok(db, "seed").strip() == "0", "seed adds only what is missing"
    quotes = listed(db)
    assert len(quotes) == 2
    assert {(q["author"], q["content"]) for q in quotes} == {
        ("René Descartes", "Cogito, ergo sum."),
        ("Heraclitus", "One cannot step twice in the same river."),
    }
    assert set(quotes[0]) == {"id", "author", "content", "likes", "as_of", "inserted_at", "updated_at"}
    text = ok(db, "list")
    assert "Cogito, ergo sum. — René Descartes" in text


def test_add_prints_the_new_id_and_trims_white_space(db):
    quote_id = ok(db, "add", "--author", "  Seneca ", "--content", " Luck is preparation. ").strip()
    [quote] = listed(db)
    assert quote["id"] == quote_id
    assert (quote["author"], quote["content"], quote["likes"]) == ("Seneca", "Luck is preparation.", 0)


def test_add_keeps_as_of(db):
    ok(db, "add", "--author", "A", "--content", "C", "--as-of", "1637-01-01T00:00:00+00:00")
    assert listed(db)[0]["as_of"].startswith("1637-01-01")


def test_like_adds_one_like(db):
    quote_id = ok(db, "add", "--author", "A", "--content", "C").strip()
    ok(db, "like", quote_id)
    ok(db, "like", quote_id)
    assert listed(db)[0]["likes"] == 2


def test_delete_by_id_and_at_random(db):
    first = ok(db, "add", "--author", "A", "--content", "one").strip()
    ok(db, "add", "--author", "B", "--content", "two")
    assert ok(db, "delete", first).strip() == first
    assert [q["content"] for q in listed(db)] == ["two"]
    ok(db, "delete", "--random")
    assert listed(db) == []
    empty = run_cli(db, "delete", "--random")
    assert empty.returncode == 1
    assert "no quotes" in empty.stderr


def test_export_then_import_round_trips_into_another_tenant(db, tmp_path):
    ok(db, "seed")
    quote_id = listed(db)[0]["id"]
    ok(db, "like", quote_id)
    exported = tmp_path / "quotes.jsonl"
    exported.write_text(ok(db, "export"))
    ok(db, "tenants", "create", "copy")
    assert ok(db, "--tenant", "copy", "import", str(exported)).strip() == "2"
    copy = json.loads(ok(db, "--tenant", "copy", "list", "--json"))
    assert sorted((q["author"], q["likes"]) for q in copy) == sorted(
        (q["author"], q["likes"]) for q in listed(db)
    )
    assert ok(db, "tenants").split() == ["default", "copy"]


def test_import_reads_a_json_array_from_standard_input(db):
    records = [{"author": f"A{i}", "content": f"C{i}"} for i in range(5)]
    assert ok(db, "import", "-", stdin=json.dumps(records)).strip() == "5"
    assert len(listed(db)) == 5


def test_export_json_is_one_array(db):
    ok(db, "seed")
    assert [q["id"] for q in json.loads(ok(db, "export", "--json"))] == [q["id"] for q in listed(db)]


def test_help_and_version_are_for_people(db):
    assert "live list of quotes" in ok(db, "--help")
    assert ok(db, "--version").startswith("quotes ")
    assert "--author" in ok(db, "add", "--help")


def test_edit_changes_author_or_content_and_keeps_id_likes_and_the_rest(db):
    quote_id = ok(db, "add", "--author", "Heraclitus", "--content", "Everything flows.").strip()
    ok(db, "like", quote_id)
    [before] = listed(db)
    assert ok(db, "edit", quote_id, "--content", "  Everything flows, nothing stands still. ") == ""
    [after] = listed(db)
    assert (after["id"], after["likes"], after["author"]) == (quote_id, 1, "Heraclitus")
    assert after["content"] == "Everything flows, nothing stands still."
    assert after["inserted_at"] == before["inserted_at"] and after["updated_at"] > before["updated_at"]
    ok(db, "edit", quote_id, "--author", "Ἡράκλειτος")
    ok(db, "edit", quote_id, "--author", "H.", "--content", "Panta rhei.")
    [edited] = listed(db)
    assert (edited["id"], edited["likes"], edited["author"], edited["content"]) == (
        quote_id, 1, "H.", "Panta rhei."
    )


def test_list_search_ignores_case_and_accents(db):
    ok(db, "add", "--author", "René Descartes", "--content", "Cogito, ergo sum.")
    ok(db, "add", "--author", "Heraclitus", "--content", "Nobody steps in the same RIVER twice.")
    ok(db, "add", "--author", "Seneca", "--content", "Luck is preparation.")
    assert "René Descartes" in ok(db, "list", "--search", "rene")
    assert len(ok(db, "list", "--search", "rene").splitlines()) == 1
    [river] = json.loads(ok(db, "list", "--json", "--search", "river"))
    assert river["author"] == "Heraclitus"
    assert json.loads(ok(db, "list", "--json", "--search", "nowhere")) == []
    assert ok(db, "list", "--search", "nowhere") == ""
    assert len(json.loads(ok(db, "list", "--json", "--search", "E"))) == 3
