"""The change log's floor, exactly-once tokens by store version, and imports
that are all-or-nothing across collections."""

from __future__ import annotations

import json

from fdb import tuple as fdbtuple
from support.cli import Cli, assert_refused

from app.repo import Cursor, QuoteRepo, Trimmed, changelog, tenants
from app.store.sqlite import SQLiteStore


def floor(repo: QuoteRepo) -> bytes | None:
    return repo.store.transact(lambda tr: tr.get(repo.keys.floor))


def test_the_floor_never_moves_back_whichever_trim_commits_first(repo) -> None:
    for n in range(12):
        repo.insert("A", f"quote {n}")
    start = repo.cursor()
    for keeps in ((3, 8), (8, 3)):
        first, second = keeps
        changelog.trim(repo.store, repo.keys, keep=first)
        after_first = floor(repo)
        changelog.trim(repo.store, repo.keys, keep=second)
        assert floor(repo) >= after_first  # type: ignore[operator]
        for n in range(8):
            repo.insert("B", f"more {keeps} {n}")
    try:
        repo.catch_up(start)
    except Trimmed:
        pass  # a cursor before the floor is told so: no change lost
    else:
        raise AssertionError("a cursor older than the floor was read as if whole")


TOKENS = fdbtuple.range(("quotes", "tokens"))


def test_tokens_are_keyed_by_version_spread_and_only_for_writes(tmp_path) -> None:
    """On a store of its own: token keys are store-wide, and on a shared cluster
    other tests write theirs meanwhile."""
    with SQLiteStore(tmp_path / "tokens.db", faults=None) as store:
        _tokens_are_keyed_by_version_spread_and_only_for_writes(QuoteRepo(store))


def _tokens_are_keyed_by_version_spread_and_only_for_writes(repo: QuoteRepo) -> None:
    def tokens() -> list[bytes]:
        return [k for k, _ in repo.store.transact(lambda tr: tr.get_range(TOKENS.start, TOKENS.stop))]

    before = set(tokens())
    quotes = [repo.insert("A", f"{n}") for n in range(20)]
    made = set(tokens()) - before
    assert len(made) == 20
    assert repo.seed() == 2
    made_by_seed = set(tokens()) - before - made
    assert len(made_by_seed) == 1
    assert repo.seed() == 0  # changes nothing: no token
    assert set(tokens()) - before - made - made_by_seed == set()
    shards = {fdbtuple.unpack(key)[2] for key in made}
    assert len(shards) > 5, "tokens of 20 writes all in a few shards"
    assert quotes


def test_an_import_is_all_or_nothing_across_collections(engine, repo) -> None:
    store = engine.store
    a = f"{repo.tenant}-a"
    b = f"{repo.tenant}-b"
    tenants.create(store, b)
    try:
        taken = QuoteRepo(store, b).insert("Taken", "already here")
        lines = [
            {"tenant": a, "author": "New", "content": "would go to a"},
            {**json.loads(json.dumps(_exported(taken))), "tenant": b},
        ]
        cli = Cli(*engine.cli_args)
        result = cli.run("import", "-", stdin="".join(json.dumps(line) + "\n" for line in lines))
        assert_refused(result, 2, taken.id)
        assert not tenants.exists(store, a)
        assert [q.id for q in QuoteRepo(store, b).read_all()] == [taken.id]
    finally:
        for name in (a, b):
            if tenants.exists(store, name):
                tenants.delete(store, name)


def _exported(quote) -> dict[str, object]:
    return {
        "id": quote.id,
        "author": quote.author,
        "content": quote.content,
        "likes": quote.likes,
        "inserted_at": quote.inserted_at.isoformat(),
        "updated_at": quote.updated_at.isoformat(),
    }


def test_a_cursor_of_an_older_incarnation_is_never_valid(store) -> None:
    tenants.create(store, "again")
    try:
        repo = QuoteRepo(store, "again")
        repo.insert("Old", "old")
        old: Cursor = repo.cursor()
        tenants.delete(store, "again")
        assert repo.catch_up(old).deleted
        tenants.create(store, "again")
        QuoteRepo(store, "again").insert("New", "new")
        try:
            repo.catch_up(old)
        except Trimmed:
            pass
        else:
            raise AssertionError("an old cursor was read against the new collection")
    finally:
        if tenants.exists(store, "again"):
            tenants.delete(store, "again")
