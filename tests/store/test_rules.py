"""FoundationDB's rules and faults, on every engine.

What passes on the embedded engine must not break on a cluster: both engines
refuse oversized keys, values and transactions the way FoundationDB does, and
inject its faults from a seed (``QUOTES_FAULTS``), so bodies are proven
idempotent here.
"""

from __future__ import annotations

import pytest

from app.store.base import MAX_KEY_BYTES, MAX_VALUE_BYTES, decode_int
from app.store.errors import (
    KeyTooLarge,
    ResultUnknown,
    Retryable,
    StoreError,
    TransactionTooLarge,
    ValueTooLarge,
    WatchFailed,
)
from app.store.faults import Faults, InvalidFaults, parse

FIRES_WITHIN = 10.0


def read_all(store, key) -> list[tuple[bytes, bytes]]:
    return store.transact(lambda tr: tr.get_range(key(""), key("\xff")))


def test_a_value_over_100_kb_is_refused_and_nothing_written(store, key) -> None:
    def body(tr):
        tr.set(key("small"), b"x")
        tr.set(key("big"), b"x" * (MAX_VALUE_BYTES + 1))

    with pytest.raises(ValueTooLarge):
        store.transact(body)
    store.transact(lambda tr: tr.set(key("limit"), b"x" * MAX_VALUE_BYTES))
    assert [k for k, _ in read_all(store, key)] == [key("limit")]


def test_a_key_over_10_kb_is_refused(store, key) -> None:
    with pytest.raises(KeyTooLarge):
        store.transact(lambda tr: tr.set(key("k" * MAX_KEY_BYTES), b"x"))
    assert read_all(store, key) == []


@pytest.mark.parametrize(
    ("item", "refusal"),
    [((b"big", b"x" * (MAX_VALUE_BYTES + 1)), ValueTooLarge), ((b"k" * MAX_KEY_BYTES, b"x"), KeyTooLarge)],
    ids=["value", "key"],
)
def test_set_many_refuses_what_set_refuses_and_writes_nothing(store, key, item, refusal) -> None:
    name, value = item
    with pytest.raises(refusal):
        store.transact(lambda tr: tr.set_many([(key("small"), b"x"), (key(name), value)]))
    assert read_all(store, key) == []


def test_a_transaction_over_10_mb_fails_and_writes_nothing(store, key) -> None:
    def body(tr):
        for n in range(105):
            tr.set(key(f"chunk/{n:03d}"), b"x" * 99_000)

    with pytest.raises(TransactionTooLarge):
        store.transact(body)
    assert read_all(store, key) == []
    chunks = [(key(f"chunk/{n:03d}"), b"x" * 99_000) for n in range(105)]
    with pytest.raises(TransactionTooLarge):
        store.transact(lambda tr: tr.set_many(chunks))
    assert read_all(store, key) == []


def test_approximate_size_counts_keys_and_values(store, key) -> None:
    def body(tr):
        before = tr.get_approximate_size()
        tr.set(key("a"), b"x" * 1000)
        middle = tr.get_approximate_size()
        tr.set(key("b"), b"x" * 5000)
        return before, middle, tr.get_approximate_size()

    before, middle, after = store.transact(body)
    assert middle - before >= 1000
    assert after - middle >= 5000


def test_get_many_reads_in_order_with_none_for_missing(store, key) -> None:
    store.transact(lambda tr: [tr.set(key(name), name.encode()) for name in ("a", "c")])
    got = store.transact(lambda tr: tr.get_many([key("c"), key("b"), key("a")]))
    assert got == [b"c", None, b"a"]


def test_snapshot_reads_see_the_same_data(store, key) -> None:
    store.transact(lambda tr: tr.set(key("a"), b"1"))
    assert store.transact(lambda tr: tr.get(key("a"), snapshot=True)) == b"1"
    rows = store.transact(lambda tr: tr.get_range(key(""), key("\xff"), snapshot=True))
    assert rows == [(key("a"), b"1")]


# -- faults --------------------------------------------------------------------------


def test_faults_parse_and_refuse_bad_settings() -> None:
    faults = parse("seed=7, commit_unknown_result=0.2,not_committed=0.1,commit_timed_out=0.3")
    assert faults is not None and faults.seed == 7
    assert faults.chances == {
        "commit_unknown_result": 0.2,
        "not_committed": 0.1,
        "commit_timed_out": 0.3,
    }
    assert faults.client_buggify == 0
    buggify = parse("client_buggify=20")
    assert buggify is not None and buggify.client_buggify == 20 and buggify.chances == {}
    assert parse("") is None and parse("seed=3") is None and parse("client_buggify=0") is None
    for bad, words in [
        ("client_buggify=0.2", "whole percentage"),
        ("client_buggify=101", "whole percentage"),
        ("nonsense=0.1", "unknown fault"),
        ("not_committed=2", "probability"),
        ("not_committed=x", "probability"),
        ("seed=x", "whole number"),
        ("watch_error", "name=value"),
    ]:
        with pytest.raises(InvalidFaults, match=words):
            parse(bad)


def test_the_same_seed_gives_the_same_faults() -> None:
    def draws(seed: int) -> list[bool]:
        faults = Faults(seed, {"not_committed": 0.3})
        return [faults.hit("not_committed") for _ in range(200)]

    assert draws(1) == draws(1)
    assert draws(1) != draws(2)
    assert 30 < sum(draws(1)) < 90


def test_an_atomic_add_under_injected_commit_faults_is_applied_exactly_as_committed(engine, key) -> None:
    """Injected 1021 after a real commit makes a non-idempotent body run twice:
    the store reports each retry, so a caller sees the loop do it."""
    faulty = engine.reopen(Faults(5, {"commit_unknown_result": 0.5, "not_committed": 0.2}))
    runs = []
    try:
        for _ in range(50):
            faulty.transact(lambda tr: (runs.append(1), tr.add(key("n"), 1)))
        total = decode_int(faulty.transact(lambda tr: tr.get(key("n"))))
    finally:
        faulty.close()
    assert len(runs) > 50, "faults were injected and bodies ran again"
    assert 50 <= total <= len(runs), "an unknown result may have committed: never fewer"


def test_an_error_after_an_unknown_commit_result_says_the_write_may_have_happened(engine, key) -> None:
    """The retry after a 1021 fails for good: the first attempt may have committed,
    so the caller must not be told that nothing was written."""
    faulty = engine.reopen(Faults(2, {"commit_unknown_result": 1.0}))
    attempts = []

    def body(tr):
        tr.set(key("small"), b"x")
        attempts.append(1)  # counted once the body is writing
        if len(attempts) > 1:  # the retry breaks a limit
            tr.set(key("k" * MAX_KEY_BYTES), b"x")

    try:
        with pytest.raises(ResultUnknown, match="may have been made") as raised:
            faulty.transact(body)
    finally:
        faulty.close()
    assert len(attempts) == 2
    assert "2102" in str(raised.value)  # and what failed
    assert not isinstance(raised.value, Retryable)  # final: nothing retries it again
    with pytest.raises(KeyTooLarge):  # the same failure with no unknown result before it
        engine.store.transact(lambda tr: tr.set(key("k" * MAX_KEY_BYTES), b"x"))


def test_injected_too_old_reads_are_retried(engine, key) -> None:
    engine.store.transact(lambda tr: tr.set(key("a"), b"1"))
    faulty = engine.reopen(Faults(3, {"transaction_too_old": 0.5}))
    try:
        assert [faulty.transact(lambda tr: tr.get(key("a"))) for _ in range(30)] == [b"1"] * 30
    finally:
        faulty.close()


def test_an_injected_watch_error_fails_the_watch(engine, key) -> None:
    faulty = engine.reopen(Faults(1, {"watch_error": 1.0}))
    try:
        watch = faulty.transact(lambda tr: tr.watch(key("w")))
        assert watch.wait(FIRES_WITHIN)
        assert isinstance(watch.error(), WatchFailed)
        assert isinstance(watch.error(), StoreError)
    finally:
        faulty.close()


# -- definite answers ----------------------------------------------------------------


def once(key, token: str):
    """A write made at most once: the body adds one, unless its token is there
    (the shape of the repository's exactly-once guard, written out here)."""

    def body(tr):
        if tr.get(key(f"token/{token}")) is not None:
            return "already"
        tr.add(key("n"), 1)
        tr.set(key(f"token/{token}"), b"done")
        return "done"

    return body


def test_a_commit_that_timed_out_is_settled_by_running_the_write_again(engine, key) -> None:
    """Every commit lands and then times out (1031): the write is not reported
    failed; the loop runs it again, finds its token and says it is done."""
    faulty = engine.reopen(Faults(4, {"commit_timed_out": 1.0}))
    try:
        assert faulty.transact(once(key, "a")) == "already"
        total = decode_int(faulty.transact(lambda tr: tr.get(key("n"))))
    finally:
        faulty.close()
    assert total == 1


def test_once_guarded_writes_under_commit_timeouts_and_unknown_results_count_exactly(engine, key) -> None:
    faulty = engine.reopen(Faults(11, {"commit_timed_out": 0.3, "commit_unknown_result": 0.2}))
    runs = []
    writes = 60

    def counted(body):
        def run(tr):
            runs.append(1)
            return body(tr)

        return run

    try:
        for n in range(writes):
            faulty.transact(counted(once(key, str(n))))  # no error: every answer definite
        total = decode_int(faulty.transact(lambda tr: tr.get(key("n"))))
    finally:
        faulty.close()
    assert len(runs) > writes + 10, "faults were injected and bodies ran again"
    assert total == writes


def test_client_buggify_is_ignored_with_a_note_on_the_embedded_store(tmp_path, caplog) -> None:
    from app.store.sqlite import SQLiteStore

    with caplog.at_level("WARNING", logger="app.store.sqlite"):
        with SQLiteStore(tmp_path / "s.db", faults=parse("client_buggify=20")) as store:
            store.transact(lambda tr: tr.set(b"a", b"1"))
            assert store.transact(lambda tr: tr.get(b"a")) == b"1"
    assert "client_buggify" in caplog.text and "ignores it" in caplog.text


def test_ping_answers_while_the_store_is_there(store) -> None:
    store.ping()


def test_a_watch_armed_through_timed_out_read_only_commits_still_fires(engine, key) -> None:
    """Client buggify fails read-only commits too (1031): a watch from an attempt
    whose commit failed is never armed, so the body runs again and arms its own."""
    faulty = engine.reopen(Faults(8, {"commit_timed_out": 0.7}))
    runs = []

    def arm(tr):
        runs.append(1)
        tr.get(key("w"))
        return tr.watch(key("w"))

    try:
        watches = [faulty.transact(arm) for _ in range(5)]
        engine.store.transact(lambda tr: tr.set(key("w"), b"changed"))
        assert all(watch.wait(FIRES_WITHIN) and watch.error() is None for watch in watches)
    finally:
        faulty.close()
    assert len(runs) > 5
