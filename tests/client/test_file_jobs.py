"""The window's file jobs without the window (``app.client.file_jobs``): what a
cancel or a failure leaves at the destination, and what is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.quotes import make_quote

from app.client.file_jobs import (
    JobCancelled,
    JobFailed,
    Step,
    back_up_file,
    can_back_up,
    export_file,
    import_file,
)
from app.repo import open_repo, tenants
from app.store import sqlite_backup


@pytest.fixture
def stored(db: Path):
    repo = open_repo(db, create=True)
    repo.import_many([make_quote(minute=n) for n in range(5_000)])
    yield repo
    repo.close()


def cancel_at(step_words: str):
    """``report`` and ``cancelled`` for a job: cancelled once a step says ``step_words``."""
    steps: list[Step] = []
    return steps, steps.append, lambda: any(step_words in s.text for s in steps)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_cancelled_back_up_leaves_the_destination_as_it_was(stored, tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_backup, "PAGES_PER_STEP", 8)  # several steps, so something to cancel
    target = tmp_path / "out" / "copy.db"
    target.parent.mkdir()
    target.write_bytes(b"an older copy")
    steps, report, cancelled = cancel_at("Copying")
    with pytest.raises(JobCancelled, match="Back up cancelled: no file was written"):
        back_up_file(stored, target, report, cancelled)
    assert target.read_bytes() == b"an older copy"
    assert leftovers(target.parent) == []
    assert steps[0].total > steps[0].done > 0  # pages: determinate


def test_a_back_up_is_a_store_with_everything(stored, tmp_path):
    tenants.create(stored.store, "Empty")
    target = tmp_path / "copy.db"
    said = back_up_file(stored, target, lambda step: None, lambda: False)
    assert said == f"Backed up the store to {target}."
    copy = open_repo(target)
    try:
        assert tenants.names(copy.store) == ["default", "Empty"]
        assert sorted(q.to_json()["id"] for q in copy.read_all()) == sorted(q.id for q in stored.read_all())
    finally:
        copy.close()
    assert target.stat().st_mode & 0o077 == 0  # private, as the store is


def test_a_cancelled_export_leaves_the_destination_as_it_was(stored, tmp_path):
    target = tmp_path / "all.jsonl"
    target.write_text("an older export\n")
    _, report, cancelled = cancel_at("Writing")
    with pytest.raises(JobCancelled, match="Export cancelled: no file was written"):
        export_file(stored, target, report, cancelled, every_collection=True)
    assert target.read_text() == "an older export\n"
    assert leftovers(tmp_path) == []


def test_the_store_itself_is_never_overwritten(stored, db):
    before = db.read_bytes()
    for job in (back_up_file, lambda *a: export_file(*a, every_collection=False)):
        with pytest.raises(JobFailed, match="is the store itself: choose another file"):
            job(stored, db, lambda step: None, lambda: False)
    assert db.read_bytes() == before


def test_a_destination_that_cannot_be_written_is_said_and_nothing_is_left(stored, tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    with pytest.raises(JobFailed, match=f"Cannot write in {not_a_folder}: not a directory. No file"):
        export_file(
            stored, not_a_folder / "all.jsonl", lambda step: None, lambda: False, every_collection=True
        )


def test_an_import_file_that_cannot_be_read_is_said(stored, tmp_path):
    with pytest.raises(JobFailed, match="Cannot read .*missing.jsonl: no such file or directory"):
        import_file(stored, tmp_path / "missing.jsonl", lambda step: None, lambda: False)


def test_a_cancelled_import_reports_taking_back_and_imports_nothing(stored, tmp_path):
    path = tmp_path / "new.jsonl"
    path.write_text("".join(f'{{"author": "A", "content": "Quote {n}."}}\n' for n in range(3_000)))
    steps, report, cancelled = cancel_at(" of 3,000 quotes")  # once a first batch is written
    with pytest.raises(JobCancelled, match="Import cancelled: nothing was imported"):
        import_file(stored, path, report, cancelled)
    assert len(stored.read_all()) == 5_000
    assert [s.can_cancel for s in steps if s.text.startswith("Cancelling")] == [False]


def test_back_up_is_offered_for_an_embedded_store_only(engine, repo):
    why_not = can_back_up(repo)
    if engine.name == "sqlite":
        assert why_not is None
    else:
        assert why_not is not None and "Export… with all collections" in why_not
        with pytest.raises(JobFailed, match="FoundationDB cluster is no file"):
            back_up_file(repo, Path("/nonexistent/copy.db"), lambda step: None, lambda: False)
