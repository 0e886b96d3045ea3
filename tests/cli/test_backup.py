"""``export --all`` then ``import`` is a real backup: every tenant, every field, the order."""

from __future__ import annotations

import json

from tests.cli.conftest import new_store, ok, run_cli

TENANTS = ["default", "work", "Team 🦉"]


def lines(n: int, who: str) -> str:
    return "\n".join(
        json.dumps({"author": f"{who} {i}", "content": f"Quote {i} of {who}.", "likes": i % 4})
        for i in range(n)
    )


def listed(db, tenant: str) -> list[dict]:
    return json.loads(ok(db, "--tenant", tenant, "list", "--json"))


def test_export_all_then_import_into_an_empty_store_gives_back_every_collection(db, tmp_path):
    for tenant in TENANTS[1:]:
        ok(db, "tenants", "create", tenant)
    for tenant in TENANTS:
        assert ok(db, "--tenant", tenant, "import", "-", stdin=lines(1000, tenant)).strip() == "1000"
    first = listed(db, "work")[0]["id"]
    ok(db, "--tenant", "work", "like", first)
    ok(db, "--tenant", "work", "edit", first, "--content", "Edited after the import.")

    backup = tmp_path / "backup.jsonl"
    backup.write_text(ok(db, "export", "--all"))
    restored = new_store(tmp_path / "restored.db")
    assert ok(restored, "import", str(backup)).strip() == "3000"

    assert ok(restored, "tenants").splitlines() == ok(db, "tenants").splitlines()
    for tenant in TENANTS:
        original = listed(db, tenant)
        assert listed(restored, tenant) == original, f"tenant {tenant!r} differs"
        assert [q["author"] for q in original] == [f"{tenant} {i}" for i in range(1000)]


def test_importing_a_backup_twice_refuses_the_taken_ids_and_writes_nothing(db, tmp_path):
    ok(db, "import", "-", stdin=lines(5, "A"))
    backup = tmp_path / "backup.jsonl"
    backup.write_text(ok(db, "export"))
    result = run_cli(db, "import", str(backup))
    assert result.returncode == 2
    assert result.stderr.startswith("quotes: line 1: a quote with id ")
    assert len(listed(db, "default")) == 5
