"""The import and export engine the command line and the window share (``app.client.transfer``).

All or nothing: a cancel (or an error a progress callback raises) after
batches were committed takes them back, the collections it created
included; progress counts records and bytes.
"""

from __future__ import annotations

import io
import json

import pytest

from app.client.transfer import ImportCancelled, Progress, export_quotes, import_quotes
from app.repo import QuoteRepo, tenants
from app.repo.bulk import BATCH_RECORDS, SAMPLES
from app.store.faults import Faults

QUOTES = 3 * BATCH_RECORDS + 17
SEEDED = [sample.content for sample in SAMPLES]


def _file(count: int, **fields: object) -> io.BytesIO:
    lines = (json.dumps({"author": f"A{n}", "content": f"Quote {n}."} | fields) for n in range(count))
    return io.BytesIO("\n".join(lines).encode())


def _collections(repo: QuoteRepo) -> dict[str, list[dict[str, object]]]:
    """This test's collections (its own, and the one its import may make) as they are;
    on a shared cluster other tests' collections come and go meanwhile."""
    ours = {repo.tenant, f"{repo.tenant}-new"}
    return {
        name: sorted((q.to_json() for q in QuoteRepo(repo.store, name).read_all()), key=lambda q: q["id"])
        for name in tenants.names(repo.store)
        if name in ours
    }


def test_import_reports_progress_in_records_and_bytes(repo):
    steps: list[Progress] = []
    source = _file(QUOTES)
    size = len(source.getvalue())
    assert import_quotes(repo, source, progress=steps.append) == QUOTES
    writing = [step for step in steps if step.stage == "writing"]
    assert [step.items for step in writing] == sorted(step.items for step in writing)
    assert writing[-1].items == writing[-1].total_items == QUOTES
    assert writing[-1].bytes_done == writing[-1].total_bytes == size
    assert len(repo.read_all()) == QUOTES


@pytest.mark.parametrize("after_batches", [1, 3])
def test_a_cancelled_import_leaves_nothing(repo, after_batches):
    repo.seed()
    tenant = f"{repo.tenant}-new"
    before = _collections(repo)
    batches = 0

    def cancelled() -> bool:
        return batches >= after_batches

    def progress(step: Progress) -> None:
        nonlocal batches
        batches += step.stage == "writing"

    records = [json.dumps({"author": "A", "content": f"Q{n}.", "tenant": tenant}) for n in range(50)]
    source = _file(QUOTES)
    source = io.BytesIO(source.getvalue() + b"\n" + "\n".join(records).encode())
    with pytest.raises(ImportCancelled):
        import_quotes(repo, source, progress=progress, cancelled=cancelled)
    assert batches >= after_batches, "batches were committed before the cancel"
    assert _collections(repo) == before, "the quotes written and the collection made are taken back"


def test_an_error_raised_by_progress_takes_the_import_back(repo):
    before = _collections(repo)

    def progress(step: Progress) -> None:
        if step.stage == "writing" and step.items > BATCH_RECORDS:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_quotes(repo, _file(QUOTES), progress=progress)
    assert _collections(repo) == before


@pytest.mark.parametrize("cancel", [False, True], ids=["whole", "cancelled"])
def test_an_import_under_unknown_commit_results_writes_each_quote_once_or_takes_all_back(
    engine, repo, cancel
):
    repo.seed()
    before = _collections(repo)
    with engine.reopen(Faults(7, {"commit_unknown_result": 0.3, "not_committed": 0.1})) as store:
        faulty = QuoteRepo(store, repo.tenant)
        source = _file(QUOTES)
        if cancel:
            with pytest.raises(ImportCancelled):
                import_quotes(faulty, source, cancelled=lambda: len(faulty.read_all()) > BATCH_RECORDS)
        else:
            assert import_quotes(faulty, source) == QUOTES
    if cancel:
        assert _collections(repo) == before
        return
    quotes = repo.read_all()
    assert sorted(q.content for q in quotes) == sorted([f"Quote {n}." for n in range(QUOTES)] + SEEDED)
    assert repo.counters()["inserts"] == QUOTES + 2


def test_export_of_every_collection_names_the_empty_ones(repo):
    empty = f"{repo.tenant}-empty"
    tenants.create(repo.store, empty)
    try:
        import_quotes(repo, _file(3))
        exported = export_quotes(repo, every_collection=True)
        assert {"tenant": empty} in exported.records
        ours = [record for record in exported.records if record.get("tenant") == repo.tenant]
        assert len(ours) == 3 and all("id" in record for record in ours)
        assert exported.quotes >= 3  # on a shared cluster, other collections' quotes too
    finally:
        tenants.delete(repo.store, empty)


def test_a_collection_deleted_while_every_collection_is_exported_is_left_out(repo):
    doomed = f"{repo.tenant}-doomed"  # read after this test's own collection
    tenants.create(repo.store, doomed)
    import_quotes(repo, _file(3))

    def delete_the_other(read: int) -> None:
        if tenants.exists(repo.store, doomed):
            tenants.delete(repo.store, doomed)

    exported = export_quotes(repo, every_collection=True, progress=delete_the_other)
    assert not any(record.get("tenant") == doomed for record in exported.records)
    assert len([r for r in exported.records if r.get("tenant") == repo.tenant]) == 3
