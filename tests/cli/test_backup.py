"""``export --all`` then ``import`` is a real backup: every tenant, every field, the order."""

from __future__ import annotations

import json

from support.cli import Cli, new_store

TENANTS = ["default", "work", "Team 🦉"]


def lines(n: int, who: str) -> str:
    return "\n".join(
        json.dumps({"author": f"{who} {i}", "content": f"Quote {i} of {who}.", "likes": i % 4})
        for i in range(n)
    )


def test_export_all_then_import_into_an_empty_store_gives_back_every_collection(file_cli, tmp_path):
    for tenant in TENANTS[1:]:
        file_cli.ok("tenants", "create", tenant)
    for tenant in TENANTS:
        assert file_cli.ok("--tenant", tenant, "import", "-", stdin=lines(1000, tenant)).strip() == "1000"
    first = file_cli.listed("--tenant", "work")[0]["id"]
    file_cli.ok("--tenant", "work", "like", first)
    file_cli.ok("--tenant", "work", "edit", first, "--content", "Edited after the import.")

    backup = tmp_path / "backup.jsonl"
    backup.write_text(file_cli.ok("export", "--all"))
    restored = Cli.on_file(new_store(tmp_path / "restored.db"))
    assert restored.ok("import", str(backup)).strip() == "3000"

    assert restored.ok("tenants").splitlines() == file_cli.ok("tenants").splitlines()
    for tenant in TENANTS:
        original = file_cli.listed("--tenant", tenant)
        assert restored.listed("--tenant", tenant) == original, f"tenant {tenant!r} differs"
        assert [q["author"] for q in original] == [f"{tenant} {i}" for i in range(1000)]


def test_importing_a_backup_twice_refuses_the_taken_ids_and_writes_nothing(cli, tmp_path):
    cli.ok("import", "-", stdin=lines(5, "A"))
    backup = tmp_path / "backup.jsonl"
    backup.write_text(cli.ok("export"))
    result = cli.run("import", str(backup))
    assert result.status == 2
    assert result.stderr.startswith("quotes: line 1: a quote with id ")
    assert len(cli.listed()) == 5
