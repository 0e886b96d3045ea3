"""A quote's version: what changes it, conditional edits and deletes, and likes beside edits."""

from __future__ import annotations

import json
import sys

import pytest
from support.engines import Engine
from support.processes import LineReader, Processes
from support.quotes import make_quote
from support.waiting import WAIT_S

from app.repo import Conflict, NotFound, QuoteRepo
from app.repo.errors import Conflict as ConflictFromErrors
from app.repo.schema import MAX_VERSION, next_version
from app.store.faults import Faults


def test_an_edit_adds_one_to_the_version_and_a_like_leaves_it(repo) -> None:
    quote = repo.insert("Ann", "First.")
    assert 0 < quote.version <= MAX_VERSION
    assert repo.get(quote.id) == quote
    repo.like(quote.id, 3)
    assert repo.get(quote.id).version == quote.version
    before, after = repo.update(quote.id, content="Second.")
    assert (before.version, after.version) == (quote.version, quote.version + 1)
    assert repo.get(quote.id) == after.replace(likes=3)


def test_new_quotes_start_at_versions_no_one_saw_for_that_id(repo) -> None:
    first = repo.insert("Ann", "Same.")
    repo.delete(first.id)
    repo.restore(make_quote(first.id, version=0))  # written again without a version
    assert repo.get(first.id).version not in (0, first.version)
    assert len({repo.insert("Ann", "Same.").version for _ in range(20)}) == 20


def test_an_edit_writes_only_the_fields_given(repo) -> None:
    quote = repo.insert("Ann", "Kept.")
    _, edited = repo.update(quote.id, author="Bea")
    assert (edited.author, edited.content) == ("Bea", "Kept.")
    _, edited = repo.update(quote.id, content="New.")
    assert (edited.author, edited.content) == ("Bea", "New.")
    assert repo.get(quote.id) == edited


def test_an_edit_that_changes_nothing_writes_nothing(repo) -> None:
    quote = repo.insert("Ann", "Same.")
    cursor, counters = repo.cursor(), repo.counters()
    before, after = repo.update(quote.id, author=" Ann ", content="Same.")  # trimmed: the same
    assert before == after == quote
    assert (repo.get(quote.id), repo.cursor(), repo.counters()) == (quote, cursor, counters)


def test_an_edit_against_an_older_version_is_refused_and_writes_nothing(repo) -> None:
    quote = repo.insert("Ann", "Seen.")
    _, theirs = repo.update(quote.id, content="Theirs.")
    cursor, counters = repo.cursor(), repo.counters()
    with pytest.raises(Conflict) as refused:
        repo.update(quote.id, content="Mine.", if_version=quote.version)
    assert refused.value.current == theirs and refused.value.seen == quote.version
    assert f"version {theirs.version}" in str(refused.value)
    assert (repo.get(quote.id), repo.cursor(), repo.counters()) == (theirs, cursor, counters)
    _, mine = repo.update(quote.id, content="Mine.", if_version=theirs.version)
    assert mine.content == "Mine."
    assert Conflict is ConflictFromErrors


def test_a_delete_against_an_older_version_is_refused_and_writes_nothing(repo) -> None:
    quote = repo.insert("Ann", "Seen.")
    _, theirs = repo.update(quote.id, author="Bea")
    with pytest.raises(Conflict, match=f"version {theirs.version}"):
        repo.delete(quote.id, if_version=quote.version)
    assert repo.get(quote.id) == theirs
    assert repo.delete(quote.id, if_version=theirs.version) == theirs
    with pytest.raises(NotFound):
        repo.delete(quote.id, if_version=theirs.version)


def test_a_restored_quote_keeps_its_version(repo) -> None:
    quote = repo.insert("Ann", "Back.")
    _, edited = repo.update(quote.id, content="Edited.")
    gone = repo.delete(quote.id)
    repo.restore(gone)
    assert repo.get(quote.id).version == edited.version
    with pytest.raises(Conflict):
        repo.update(quote.id, content="Stale.", if_version=quote.version)


def test_a_quote_stored_before_versions_reads_as_version_0_and_edits_on(repo) -> None:
    quote = repo.insert("Ann", "Old.")
    record = json.loads(repo.store.transact(lambda tr: tr.get(repo.keys.record(quote.id))))
    del record["version"]
    repo.store.transact(lambda tr: tr.set(repo.keys.record(quote.id), json.dumps(record).encode()))
    assert repo.get(quote.id).version == 0
    _, edited = repo.update(quote.id, content="New.", if_version=0)
    assert edited.version == 1


def test_the_version_wraps_round_to_1_never_to_0() -> None:
    assert next_version(MAX_VERSION - 1) == MAX_VERSION
    assert next_version(MAX_VERSION) == 1


def test_conditional_writes_return_their_versions_under_unknown_commit_results(engine, repo) -> None:
    with engine.reopen(Faults(5, {"commit_unknown_result": 0.5})) as store:
        faulty = QuoteRepo(store, repo.tenant)
        quote = faulty.insert("Ann", "Start.")
        seen = quote.version
        for n in range(20):
            _, edited = faulty.update(quote.id, content=f"Edit {n}.", if_version=seen)
            assert edited.version == seen + 1  # a retry finds its token, not a conflict
            seen = edited.version
        assert faulty.delete(quote.id, if_version=seen).version == seen


# -- likes beside edits, in real processes ------------------------------------------

#: Likes one quote or edits it COUNT times once told to start; prints the retries
#: its store's retry loop logged (in all, and the most for one write).
_WORKER = """
import json, logging, sys
from app.repo import QuoteRepo
action, tenant, quote_id, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
retries = []
class Retries(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("transaction retried"):
            retries.append(record.getMessage())
logging.getLogger("app.store").setLevel(logging.DEBUG)
logging.getLogger("app.store").addHandler(Retries())
repo = QuoteRepo(store, tenant)
print("ready", flush=True)
sys.stdin.readline()
most = 0
for n in range(count):
    before = len(retries)
    if action == "like":
        repo.add_likes(quote_id)
    else:
        repo.update(quote_id, content=f"Edit {n}.")
    most = max(most, len(retries) - before)
print(json.dumps({"retries": len(retries), "most": most, "why": sorted(set(retries))}), flush=True)
"""

LIKERS, LIKES, EDITS = 4, 100, 50


@pytest.mark.e2e
def test_likes_and_edits_of_one_quote_all_land_without_retrying_each_other(
    engine: Engine, repo: QuoteRepo, processes: Processes
) -> None:
    quote = repo.insert("Ann", "Liked and edited.")
    code = f"store = {engine.open_source}\n{_WORKER}store.close()\n"
    jobs = [("like", LIKES)] * LIKERS + [("edit", EDITS)]
    workers = [
        processes.start([sys.executable, "-c", code, action, repo.tenant, quote.id, str(count)], stdin=-1)
        for action, count in jobs
    ]
    outputs = [LineReader(worker.stdout) for worker in workers]  # type: ignore[arg-type]
    for output in outputs:
        assert output.next_line() == "ready\n"
    for worker in workers:
        worker.stdin.write("go\n")  # type: ignore[union-attr]
        worker.stdin.flush()  # type: ignore[union-attr]
    reports = [output.next_json(timeout=4 * WAIT_S) for output in outputs]
    for worker in workers:
        assert worker.wait(timeout=WAIT_S) == 0, worker.stderr.read()  # type: ignore[union-attr]

    final = repo.get(quote.id)
    assert final.likes == LIKERS * LIKES
    assert (final.version, final.content) == (quote.version + EDITS, f"Edit {EDITS - 1}.")
    assert repo.counters()["updates"] == LIKERS * LIKES + EDITS
    for (action, _), report in zip(jobs, reports, strict=True):
        assert report["most"] <= 3, (action, report)
        assert not [why for why in report["why"] if "conflict" in why], (action, report)
