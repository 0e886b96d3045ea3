"""``quotes outbox`` and ``--queue``: definite by default, queued only when asked, sent once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.cli import Cli, new_store, one_line_error

from app.repo import QuoteRepo
from app.store.sqlite import SQLiteStore


@pytest.fixture
def switch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """While this file exists the store does not answer the commands (other faults stay)."""
    path = tmp_path / "unreachable"
    faults = ",".join(filter(None, [os.environ.get("QUOTES_FAULTS", ""), f"unreachable_file={path}"]))
    monkeypatch.setenv("QUOTES_FAULTS", faults)
    return path


@pytest.fixture
def elsewhere(db: Path):
    repo = QuoteRepo(SQLiteStore(new_store(db), faults=None))
    yield repo
    repo.close()


def queued(cli: Cli, *args: str) -> str:
    """Run a write with --queue against the unreachable store: it says it queued it."""
    result = cli.run(*args, "--queue")
    assert result.status == 0 and "queued in the outbox" in result.stderr, result
    return result.stdout.strip()


def test_a_write_to_an_unreachable_store_exits_1_and_queues_nothing_unless_asked(
    switch, elsewhere, db
) -> None:
    cli = Cli.on_file(db)
    quote = elsewhere.insert("Ann", "Liked from a train.")
    switch.touch()
    assert "does not answer" in one_line_error(cli.run("like", quote.id))
    assert cli.ok("outbox") == ""

    queued(cli, "like", quote.id)
    queued(cli, "like", quote.id)
    new_id = queued(cli, "add", "--author", "Bo", "--content", "Queued.")
    assert cli.run("edit", quote.id, "--content", "Edited.", "--queue").status == 2  # needs --if-version
    queued(cli, "edit", quote.id, "--content", "Edited.", "--if-version", str(quote.version))
    listed = cli.ok("outbox").splitlines()
    assert len(listed) == 4 and "Add “Queued.” — Bo" in listed[2]

    assert "does not answer" in one_line_error(cli.run("outbox", "send"))  # still away: all stay
    assert len(cli.ok("outbox").splitlines()) == 4
    switch.unlink()
    sent = cli.ok("outbox", "send").splitlines()
    assert len(sent) == 4 and all(line.startswith("sent: ") for line in sent)
    assert cli.ok("outbox", "send") == "" and cli.ok("outbox") == ""
    after = elsewhere.get(quote.id)
    assert (after.likes, after.content) == (2, "Edited.")
    assert elsewhere.get(new_id).content == "Queued."
    assert len(elsewhere.read_all()) == 2


def test_discard_drops_and_a_change_overtaken_meanwhile_is_named(switch, elsewhere, db) -> None:
    cli = Cli.on_file(db)
    quote = elsewhere.insert("Ann", "Contested.")
    switch.touch()
    assert queued(cli, "delete", quote.id, "--if-version", str(quote.version)) == quote.id
    queued(cli, "like", quote.id)
    assert cli.ok("outbox", "discard") == "2\n"
    queued(cli, "delete", quote.id, "--if-version", str(quote.version))
    elsewhere.update(quote.id, content="Changed meanwhile.")
    switch.unlink()
    line = one_line_error(cli.run("outbox", "send"))
    assert "changed since" in line and quote.id in line
    assert elsewhere.get(quote.id).content == "Changed meanwhile."
    assert cli.ok("outbox") == ""


def test_a_damaged_outbox_is_one_line_and_exit_1(db, offline_folder) -> None:
    cli = Cli.on_file(new_store(db))
    (offline_folder / "outbox.db").write_bytes(b"not a database" * 100)
    assert "cannot use the outbox" in one_line_error(cli.run("outbox"))
