"""The Quote repository: counters, watches, tenants, validation, change log, import.

In the spirit of ecto_foundationdb's tests: every write bumps exactly the
SchemaMetadata counters it should, and exactly the watches on those fire.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from support.quotes import make_quote

from app.repo import (
    Cursor,
    DuplicateId,
    InvalidQuote,
    InvalidTenant,
    NotFound,
    QuoteRepo,
    Trimmed,
    UnknownTenant,
    changelog,
    tenants,
)
from app.repo.keys import COUNTERS
from app.repo.schema import MAX_AUTHOR, MAX_CONTENT, MAX_LIKES, Quote, QuoteFields
from app.store.base import STAMP_LEN, Transaction, Watch
from app.store.sqlite import SQLiteStore

FIRES_WITHIN = 5.0
QUIET_FOR = 0.2
ZERO = dict.fromkeys(COUNTERS, 0)


@pytest.fixture
def embedded_store(db: Path) -> Iterator[SQLiteStore]:
    """A store of this test's own, for tests that list every tenant (on a shared
    cluster, tenants are the whole cluster's)."""
    with SQLiteStore(db, faults=None) as store:
        yield store


def vector(**bumped: int) -> dict[str, int]:
    return ZERO | bumped


def log_entries(repo: QuoteRepo) -> list[tuple[bytes, bytes]]:
    keys = repo.keys
    return repo.store.transact(lambda tr: tr.get_range(keys.log_prefix, keys.log_end))


def cursor(repo: QuoteRepo) -> bytes:
    """The log position of a fresh cursor."""
    return repo.cursor().position


def log_since(repo: QuoteRepo, after: bytes) -> tuple[list[str], bytes] | None:
    """Ids changed after log position ``after`` (in the tenant's incarnation now)
    and the new position; None when the log cannot say."""
    try:
        caught = repo.catch_up(Cursor(repo.cursor().epoch, after))
    except Trimmed:
        return None
    return caught.ids, caught.cursor.position


def assert_fired_exactly(watches: dict[str, Watch], expected: set[str]) -> None:
    for name in expected:
        assert watches[name].wait(FIRES_WITHIN), f"{name} did not fire"
        assert watches[name].error() is None
    quiet = [name for name in watches if name not in expected]
    if quiet:
        watches[quiet[0]].wait(QUIET_FOR)
    fired = {name for name, watch in watches.items() if watch.done()}
    assert fired == expected
    for watch in watches.values():
        watch.cancel()


def all_counter_watches(repo: QuoteRepo) -> dict[str, Watch]:
    return {
        "inserts": repo.watch("inserts"),
        "deletes": repo.watch("deletes"),
        "collection": repo.watch("collection"),
        "updates": repo.watch("updates"),
        "changes": repo.watch("changes"),
    }


# -- counters -----------------------------------------------------------------


def test_counters_start_at_zero(repo) -> None:
    assert repo.counters() == ZERO
    assert repo.read_all() == []


def test_counter_vector_after_each_kind_of_write(repo) -> None:
    quote = repo.insert("Ann", "First.")
    assert repo.counters() == vector(inserts=1, collection=1, changes=1)
    repo.update(quote.id, content="Changed.")
    assert repo.counters() == vector(inserts=1, collection=1, updates=1, changes=2)
    repo.like(quote.id)
    assert repo.counters() == vector(inserts=1, collection=1, updates=2, changes=3)
    repo.like(quote.id, 5)  # one write, however many likes
    assert repo.counters() == vector(inserts=1, collection=1, updates=3, changes=4)
    repo.delete(quote.id)
    assert repo.counters() == vector(inserts=1, deletes=1, collection=2, updates=3, changes=5)
    other = repo.insert("Bob", "Second.")
    assert repo.counters() == vector(inserts=2, deletes=1, collection=3, updates=3, changes=6)
    assert [q.id for q in repo.read_all()] == [other.id]


def test_insert_get_all_round_trip(repo) -> None:
    quote = repo.insert("Ann", "Words.")
    got = repo.get(quote.id)
    assert got == quote
    assert got.likes == 0
    assert got.inserted_at == got.updated_at
    assert repo.read_all() == [quote]
    assert repo.get(str(uuid.uuid4())) is None


def test_likes_add_up_and_update_keeps_inserted_at(repo) -> None:
    quote = repo.insert("Ann", "Words.")
    repo.like(quote.id)
    repo.like(quote.id, 3)
    assert repo.get(quote.id).likes == 4
    repo.update(quote.id, author="Anne")
    updated = repo.get(quote.id)
    assert (updated.author, updated.likes) == ("Anne", 4)
    assert updated.inserted_at == quote.inserted_at
    assert updated.updated_at >= quote.updated_at


def test_first_run_seeds_once(engine, repo) -> None:
    if engine.name != "sqlite":
        pytest.skip("a brand-new store: on a shared cluster other collections exist")
    assert repo.seed(first_run=True) == 2
    assert repo.seed(first_run=True) == 0
    quotes = repo.read_all()
    assert sorted((q.author, q.content) for q in quotes) == [
        ("Heraclitus", "One cannot step twice in the same river."),
        ("René Descartes", "Cogito, ergo sum."),
    ]
    assert repo.counters() == vector(inserts=2, collection=2, changes=2)
    # Deleting the samples does not bring them back on a later run.
    for quote in quotes:
        repo.delete(quote.id)
    assert repo.seed(first_run=True) == 0
    assert repo.read_all() == []
    # An explicit seed adds the samples that are missing, once.
    assert repo.seed() == 2
    assert repo.seed() == 0
    assert len(repo.read_all()) == 2


def test_restore_keeps_id_likes_and_times_and_refuses_a_taken_id(repo) -> None:
    quote = make_quote(likes=7)
    repo.restore(quote)
    assert repo.get(quote.id) == quote
    with pytest.raises(DuplicateId):
        repo.restore(quote)
    assert [q.id for q in repo.read_all()] == [quote.id]
    assert repo.counters() == vector(inserts=1, collection=1, changes=1)


@pytest.mark.parametrize("likes", [-1, MAX_LIKES + 1, 1.5, True])
def test_whole_quotes_with_likes_out_of_range_are_refused_and_nothing_is_written(repo, likes) -> None:
    with pytest.raises(InvalidQuote, match="likes must be a whole number"):
        repo.restore(make_quote(likes=likes))
    with pytest.raises(InvalidQuote, match="likes must be a whole number"):
        repo.import_many([make_quote(likes=0), make_quote(likes=likes)])
    assert repo.read_all() == []
    assert repo.counters() == ZERO


def test_a_quote_read_back_equals_the_one_written_and_its_json_round_trips(repo) -> None:
    edited = datetime(2021, 3, 4, 5, 6, 7, 89, tzinfo=timezone(timedelta(hours=-5)))
    quote = make_quote(likes=3, updated_at=edited).replace(as_of=datetime(1637, 1, 1, tzinfo=UTC))
    with pytest.raises(InvalidQuote, match="as_of must give its offset"):
        repo.restore(quote.replace(as_of=datetime(1637, 1, 1)))  # a naive time names no instant
    repo.restore(quote)
    read = repo.get(quote.id)
    assert read == quote and hash(read) == hash(quote), "the same instants (stored in UTC)"
    as_json = read.to_json()
    assert list(as_json) == [
        "id",
        "author",
        "content",
        "likes",
        "as_of",
        "inserted_at",
        "updated_at",
        "version",
    ]
    assert as_json["inserted_at"].endswith("Z")  # UTC, as the JSON output has always written it
    assert as_json["updated_at"] == "2021-03-04T10:06:07.000089Z"
    assert as_json["as_of"] == "1637-01-01T00:00:00Z"
    assert Quote.from_json(as_json) == quote
    with pytest.raises(AttributeError):
        read.likes = 4  # type: ignore[misc]


# -- which watch fires for which write ------------------------------------------


@pytest.fixture
def existing(repo):
    return repo.insert("Ann", "Existing.")


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        ("insert", {"inserts", "collection", "changes"}),
        ("update", {"updates", "changes"}),
        ("like", {"updates", "changes"}),
        ("delete", {"deletes", "collection", "changes"}),
    ],
)
def test_which_counter_watches_fire(repo, existing, operation, expected) -> None:
    watches = all_counter_watches(repo)
    if operation == "insert":
        repo.insert("Bob", "New.")
    elif operation == "update":
        repo.update(existing.id, content="Edited.")
    elif operation == "like":
        repo.like(existing.id)
    else:
        repo.delete(existing.id)
    assert_fired_exactly(watches, expected)


def test_failed_writes_fire_no_watch(repo, existing) -> None:
    watches = all_counter_watches(repo)
    record = repo.follow(existing.id)[1]
    with pytest.raises(NotFound):
        repo.like(str(uuid.uuid4()))
    with pytest.raises(InvalidQuote):
        repo.insert(" ", "blank author")
    with pytest.raises(ValueError):
        repo.update(existing.id, content=" ")
    assert_fired_exactly(watches | {"record": record}, set())


def test_watch_counter_rejects_unknown_names(repo) -> None:
    with pytest.raises(ValueError, match="no counter"):
        repo.watch("likes")


def test_record_watch_sees_a_like(repo, existing) -> None:
    other = repo.insert("Bob", "Other.")
    watch = repo.follow(existing.id)[1]
    repo.like(other.id)  # another record: not this watch
    repo.insert("Cy", "Third.")
    assert not watch.wait(QUIET_FOR)
    repo.like(existing.id)
    assert watch.wait(FIRES_WITHIN)
    assert watch.error() is None


def test_record_watch_sees_an_update(repo, existing) -> None:
    watch = repo.follow(existing.id)[1]
    repo.update(existing.id, content="Edited.")
    assert watch.wait(FIRES_WITHIN)


def test_record_watch_sees_a_delete(repo, existing) -> None:
    watch = repo.follow(existing.id)[1]
    repo.delete(existing.id)
    assert watch.wait(FIRES_WITHIN)
    assert watch.error() is None
    assert repo.get(existing.id) is None


def test_record_watch_sees_a_reinsert_after_delete(repo, existing) -> None:
    repo.delete(existing.id)
    watch = repo.follow(existing.id)[1]  # armed while it is deleted
    repo.restore(make_quote(existing.id, content="Back again."))
    assert watch.wait(FIRES_WITHIN)
    assert repo.get(existing.id).content == "Back again."


def test_record_watch_sees_delete_and_reinsert_in_one_transaction(repo, existing) -> None:
    """Delete then insert under the same id: the record changed, so the watch fires.

    A watch only compares values, so the record's version must never come
    back to a value a watcher saw (A-B-A), or a replaced quote goes unseen.
    """
    watch = repo.follow(existing.id)[1]
    replacement = make_quote(existing.id, author="Zed", content="Replaced.")

    def replace(tr: Transaction) -> None:
        repo.delete(existing.id, tr=tr)
        repo.restore(replacement, tr=tr)

    repo.store.transact(replace)
    assert repo.get(existing.id).content == "Replaced."
    assert watch.wait(FIRES_WITHIN), "the record was replaced but its watch did not fire"


def test_record_watch_on_unknown_id_fires_when_it_appears(repo) -> None:
    quote_id = str(uuid.uuid4())
    watch = repo.follow(quote_id)[1]
    repo.insert("Bob", "Unrelated.")
    assert not watch.wait(QUIET_FOR)
    repo.restore(make_quote(quote_id))
    assert watch.wait(FIRES_WITHIN)


# -- tenants ------------------------------------------------------------------


def test_tenants_are_isolated(embedded_store) -> None:
    store = embedded_store
    tenants.create(store, "alpha")
    tenants.create(store, "beta")
    a, b = QuoteRepo(store, "alpha"), QuoteRepo(store, "beta")
    in_a = a.insert("Ann", "Only in alpha.")
    b_watch = b.watch("changes")
    b_record = b.follow(in_a.id)[1]
    a.like(in_a.id)

    assert b.read_all() == []
    assert b.get(in_a.id) is None
    assert b.counters() == ZERO
    assert a.counters() == vector(inserts=1, collection=1, updates=1, changes=2)
    with pytest.raises(NotFound):
        b.like(in_a.id)
    with pytest.raises(NotFound):
        b.delete(in_a.id)
    with pytest.raises(NotFound):
        b.update(in_a.id, content="x")
    assert b.counters() == ZERO
    assert not b_watch.wait(QUIET_FOR)
    assert not b_record.done()

    in_b = b.insert("Bob", "Only in beta.")
    assert b_watch.wait(FIRES_WITHIN)
    assert [q.id for q in a.read_all()] == [in_a.id]
    assert [q.id for q in b.read_all()] == [in_b.id]
    assert a.get(in_a.id).likes == 1
    assert b.counters() == vector(inserts=1, collection=1, changes=1)
    assert a.counters() == vector(inserts=1, collection=1, updates=1, changes=2)
    assert tenants.names(store) == ["default", "alpha", "beta"]
    assert log_since(b, b"")[0] == [in_b.id]
    assert log_since(a, b"")[0] == [in_a.id]


def test_tenants_are_explicit(embedded_store) -> None:
    store = embedded_store
    assert tenants.names(store) == ["default"]
    assert tenants.create(store, "empty one") is True
    assert tenants.create(store, "  empty one ") is False
    assert tenants.names(store) == ["default", "empty one"]
    with pytest.raises(UnknownTenant, match="no tenant named 'padded' .tenants: default, empty one."):
        tenants.require(store, "padded")
    with pytest.raises(UnknownTenant):
        QuoteRepo(store, "padded").insert("Bob", "Into nothing.")
    assert tenants.names(store) == ["default", "empty one"]


def test_deleting_a_tenant_deletes_its_quotes_and_stops_its_writers(embedded_store) -> None:
    store = embedded_store
    tenants.create(store, "work")
    work, default = QuoteRepo(store, "work"), QuoteRepo(store)
    quote = work.insert("Ann", "Work words.")
    kept = default.insert("Bob", "Default words.")
    names, registry = tenants.follow(store)
    assert names == ["default", "work"]
    tenants.delete(store, "work")
    assert registry.wait(FIRES_WITHIN)
    assert tenants.names(store) == ["default"]
    with pytest.raises(UnknownTenant):
        work.like(quote.id)
    tenants.create(store, "work")
    assert work.read_all() == [] and work.counters() == ZERO
    assert default.read_all() == [kept]
    with pytest.raises(InvalidTenant):
        tenants.delete(store, "default")


def test_tenant_names_are_validated(store) -> None:
    for bad in ("", "   ", "x" * 65, "tab\there"):
        with pytest.raises(InvalidTenant):
            QuoteRepo(store, bad)


# -- validation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "content", "message"),
    [
        ("", "Words.", "author must not be blank"),
        ("   \t\n", "Words.", "author must not be blank"),
        ("Ann", "", "content must not be blank"),
        ("Ann", "  \n ", "content must not be blank"),
        ("A" * (MAX_AUTHOR + 1), "Words.", "author is too long"),
        ("Ann", "W" * (MAX_CONTENT + 1), "content is too long"),
    ],
)
def test_invalid_insert_writes_nothing(repo, author, content, message) -> None:
    with pytest.raises(InvalidQuote, match=message):
        repo.insert(author, content)
    assert repo.read_all() == []
    assert repo.counters() == ZERO
    assert log_entries(repo) == []


def test_limits_are_inclusive(repo) -> None:
    quote = repo.insert("A" * MAX_AUTHOR, "W" * MAX_CONTENT)
    got = repo.get(quote.id)
    assert len(got.author) == MAX_AUTHOR
    assert len(got.content) == MAX_CONTENT


def test_surrounding_white_space_is_trimmed(repo) -> None:
    quote = repo.insert("  Ann \n", "\t Words.  ")
    assert (quote.author, quote.content) == ("Ann", "Words.")
    assert repo.get(quote.id).author == "Ann"
    # Limits apply after trimming.
    padded = repo.insert("  " + "A" * MAX_AUTHOR + "  ", "x")
    assert len(padded.author) == MAX_AUTHOR
    repo.update(quote.id, content="  Edited.  ")
    assert repo.get(quote.id).content == "Edited."
    assert repo.get(quote.id).content == "Edited."


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"author": "  "}, InvalidQuote),
        ({"content": ""}, InvalidQuote),
        ({"content": "W" * (MAX_CONTENT + 1)}, InvalidQuote),
    ],
)
def test_invalid_update_writes_nothing(repo, existing, changes, error) -> None:
    repo.like(existing.id, 2)
    before, counters, entries = repo.get(existing.id), repo.counters(), log_entries(repo)
    with pytest.raises(error):
        repo.update(existing.id, **changes)
    assert repo.get(existing.id) == before
    assert repo.get(existing.id).likes == 2
    assert repo.counters() == counters
    assert log_entries(repo) == entries


@pytest.mark.parametrize("n", [0, -1])
def test_like_must_add_at_least_one(repo, existing, n) -> None:
    with pytest.raises(ValueError):
        repo.like(existing.id, n)
    assert repo.get(existing.id).likes == 0
    assert repo.counters() == vector(inserts=1, collection=1, changes=1)


@pytest.mark.parametrize("operation", ["like", "delete", "update"])
def test_unknown_id_is_not_found_and_writes_nothing(repo, existing, operation) -> None:
    missing = str(uuid.uuid4())
    counters, entries = repo.counters(), log_entries(repo)
    with pytest.raises(NotFound) as raised:
        if operation == "like":
            repo.like(missing)
        elif operation == "delete":
            repo.delete(missing)
        else:
            repo.update(missing, content="x")
    assert raised.value.quote_id == missing
    assert missing in str(raised.value)
    assert repo.counters() == counters
    assert log_entries(repo) == entries
    assert repo.get(missing) is None
    assert repo.read_all() == [existing]


def test_delete_twice_is_not_found(repo, existing) -> None:
    repo.delete(existing.id)
    with pytest.raises(NotFound):
        repo.delete(existing.id)
    assert repo.counters() == vector(inserts=1, deletes=1, collection=2, changes=2)


# -- change log -----------------------------------------------------------------


def test_log_since_returns_exactly_the_ids_changed_after_the_cursor(repo) -> None:
    before = repo.insert("Old", "Before the cursor.")
    start = cursor(repo)
    a = repo.insert("Ann", "A.")
    b = repo.insert("Bob", "B.")
    repo.like(a.id)
    repo.delete(b.id)
    repo.like(a.id)
    ids, after = log_since(repo, start)
    assert ids == [a.id, b.id]  # each once, in order of first change
    assert before.id not in ids
    assert after == cursor(repo)
    assert after > start
    assert log_since(repo, after) == ([], after)
    c = repo.insert("Cy", "C.")
    repo.update(before.id, content="Edited.")
    assert log_since(repo, after)[0] == [c.id, before.id]


def test_log_from_the_start(repo) -> None:
    assert cursor(repo) == b""
    assert log_since(repo, b"") == ([], b"")
    a = repo.insert("Ann", "A.")
    ids, after = log_since(repo, b"")
    assert ids == [a.id]
    assert after == cursor(repo)


def test_log_entries_record_the_operation_in_commit_order(repo) -> None:
    a = repo.insert("Ann", "A.")
    repo.like(a.id)
    repo.delete(a.id)
    entries = log_entries(repo)
    assert [op for _, op in entries] == [b"insert", b"update", b"delete"]
    assert {repo.keys.logged_id(k) for k, _ in entries} == {a.id}
    stamps = [k[len(repo.keys.log_prefix) : len(repo.keys.log_prefix) + STAMP_LEN] for k, _ in entries]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 3


def test_trim_log_past_a_cursor_makes_log_since_none(repo) -> None:
    repo.insert("Ann", "A.")
    start = cursor(repo)
    b = repo.insert("Bob", "B.")
    repo.like(b.id)
    assert changelog.trim(repo.store, repo.keys, 100) == 0  # nothing to trim
    assert log_since(repo, start) == ([b.id], cursor(repo))
    assert changelog.trim(repo.store, repo.keys, 0) == 1
    assert log_entries(repo) == []
    assert log_since(repo, start) is None
    assert log_since(repo, b"") is None
    # A fresh reader starts at the floor and sees later changes.
    fresh = cursor(repo)
    assert log_since(repo, fresh) == ([], fresh)
    c = repo.insert("Cy", "C.")
    assert log_since(repo, fresh)[0] == [c.id]


def test_trim_log_keeps_the_newest_entries(repo) -> None:
    quotes = [repo.insert("Ann", f"Quote {i}.") for i in range(5)]
    middle = cursor(repo)
    for quote in quotes[:3]:
        repo.like(quote.id)
    assert changelog.trim(repo.store, repo.keys, 3) == 1
    assert len(log_entries(repo)) == 3
    assert log_since(repo, middle)[0] == [q.id for q in quotes[:3]]
    assert log_since(repo, repo.keys.log_prefix) is None  # before any entry


# -- import ---------------------------------------------------------------------


def test_import_many_in_several_transactions(repo) -> None:
    content = "Lorem ipsum dolor sit amet. " * 40  # about 1 kB each
    records = [(QuoteFields(author=f"Author {i}", content=f"{i}: {content}"), i % 7) for i in range(3000)]
    assert repo.import_many(records) == 3000
    quotes = repo.read_all()
    assert len(quotes) == 3000
    assert sorted(q.author for q in quotes) == sorted(f"Author {i}" for i in range(3000))
    assert sum(q.likes for q in quotes) == sum(i % 7 for i in range(3000))
    assert repo.counters() == vector(inserts=3000, collection=3000, changes=3000)
    prefix_len = len(repo.keys.log_prefix)
    transactions = {k[prefix_len : prefix_len + STAMP_LEN] for k, _ in log_entries(repo)}
    assert len(transactions) >= 3, "3 MB of quotes went into fewer than three transactions"


class _CountingReads:
    """A transaction that counts its single-key reads (each a round trip on a cluster)."""

    def __init__(self, tr: Transaction, counts: list[int]) -> None:
        self._tr = tr
        self._counts = counts

    def __getattr__(self, name: str):
        return getattr(self._tr, name)

    def get(self, key: bytes, snapshot: bool = False):
        self._counts.append(1)
        return self._tr.get(key, snapshot)


def test_import_batches_stay_under_a_megabyte_by_the_engines_count(store, monkeypatch, request) -> None:
    """Measured as FoundationDB measures: keys, values and the tenant prefix in each key;
    and the records' reads are issued together, not one blocking read per record."""
    tenant = uuid.uuid4().hex * 2  # 64 characters: the longest prefix a tenant has
    tenants.create(store, tenant)
    request.addfinalizer(lambda: tenants.delete(store, tenant))
    repo = QuoteRepo(store, tenant)
    sizes: list[int] = []
    single_reads: list[int] = []
    transact = store.transact

    def measuring(fn, *args, **kwargs):
        def body(tr):
            result = fn(_CountingReads(tr, single_reads), *args, **kwargs)
            sizes.append(tr.get_approximate_size())
            return result

        return transact(body)

    monkeypatch.setattr(store, "transact", measuring)
    content = "\U0001f600" * 4900  # within the 5,000-character limit; many bytes each
    records = [(QuoteFields(author="Émile", content=content), 0) for _ in range(250)]
    small = [(QuoteFields(author="A", content=f"{i}"), 0) for i in range(20_000)]
    assert repo.import_many(records) == 250
    assert repo.import_many(small) == 20_000
    monkeypatch.undo()
    assert len(repo.read_all()) == 20_250
    assert max(sizes) < 1_000_000, f"an import transaction affected {max(sizes):,} bytes"
    assert len(sizes) > 5, "the imports went into too few transactions"
    assert len(single_reads) < 20_250 / 50, f"{len(single_reads)} single reads for 20,250 quotes"
