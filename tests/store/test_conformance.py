"""One conformance suite for the store dialect, run on every engine.

Everything above the store (repo, sync, ui) relies on exactly these
behaviours, so both engines must show them: ordered ranges, atomic add,
commit-ordered versionstamps, retried conflicts, rollback on error, and
FoundationDB's watch semantics.
"""

from __future__ import annotations

import struct
import threading
import time

import pytest

from app.store.base import STAMP_LEN, Watch, decode_int, encode_int, versionstamp_key
from app.store.errors import WatchCancelled

#: Generous upper bound for anything that should happen "at once".
FIRES_WITHIN = 10.0
#: How long a watch that must NOT fire is given to (wrongly) fire.
QUIET_FOR = 0.3


def put(store, key: bytes, value: bytes) -> None:
    store.transact(lambda tr: tr.set(key, value))


def read(store, key: bytes) -> bytes | None:
    return store.transact(lambda tr: tr.get(key))


def arm(store, key: bytes) -> Watch:
    """Read ``key`` and watch it in one transaction (the live-query shape)."""

    def body(tr):
        tr.get(key)
        return tr.watch(key)

    return store.transact(body)


# -- get / set / clear --------------------------------------------------------


def test_get_set_clear(store, key) -> None:
    assert read(store, key("a")) is None
    put(store, key("a"), b"one")
    assert read(store, key("a")) == b"one"
    put(store, key("a"), b"two")
    assert read(store, key("a")) == b"two"
    store.transact(lambda tr: tr.clear(key("a")))
    assert read(store, key("a")) is None
    store.transact(lambda tr: tr.clear(key("never-set")))  # clearing nothing is fine
    assert read(store, key("never-set")) is None


def test_values_are_bytes_and_round_trip_exactly(store, key) -> None:
    value = bytes(range(256)) * 4
    put(store, key("bin"), value)
    got = read(store, key("bin"))
    assert type(got) is bytes
    assert got == value
    put(store, key("empty"), b"")
    assert read(store, key("empty")) == b""


def test_transaction_reads_its_own_writes(store, key) -> None:
    put(store, key("gone"), b"x")

    def body(tr):
        tr.set(key("a"), b"1")
        tr.clear(key("gone"))
        return tr.get(key("a")), tr.get(key("gone")), tr.get_range(key(""), key(b"\xff"))

    a, gone, rows = store.transact(body)
    assert (a, gone) == (b"1", None)
    assert rows == [(key("a"), b"1")]


def test_set_many_sets_each_key_and_the_transaction_reads_them(store, key) -> None:
    put(store, key("c"), encode_int(1))

    def body(tr):
        tr.set_many([(key("a"), b"1"), (key("b"), b"2"), (key("c"), encode_int(10))])
        tr.add(key("c"), 5)  # adds to the value set in this transaction
        return tr.get(key("a")), tr.get_many([key("b"), key("z")]), tr.get_range(key(""), key(b"\xff"))

    a, many, rows = store.transact(body)
    assert (a, many) == (b"1", [b"2", None])
    assert rows == [(key("a"), b"1"), (key("b"), b"2"), (key("c"), encode_int(15))]
    assert store.transact(lambda tr: tr.get_range(key(""), key(b"\xff"))) == rows


def test_writes_and_clears_in_one_transaction_apply_in_order(store, key) -> None:
    def body(tr):
        tr.set(key("a"), b"first")
        tr.set(key("b"), b"kept")
        tr.clear(key("a"))
        tr.set(key("c"), b"cleared by the range")
        tr.clear_range(key("c"), key("d"))
        tr.set(key("a"), b"again")
        tr.set(key("a"), b"last")
        return tr.get(key("a")), tr.get(key("c"))

    assert store.transact(body) == (b"last", None)
    rows = store.transact(lambda tr: tr.get_range(key(""), key(b"\xff")))
    assert rows == [(key("a"), b"last"), (key("b"), b"kept")]


def test_return_value_of_the_body_is_returned(store, key) -> None:
    assert store.transact(lambda tr, x, y=0: (x, y), 1, y=2) == (1, 2)


# -- ranges -------------------------------------------------------------------


@pytest.fixture
def abcde(store, key) -> list[tuple[bytes, bytes]]:
    rows = [(key(c), c.upper().encode()) for c in "edcba"]  # written out of order

    def body(tr):
        for k, v in rows:
            tr.set(k, v)
        tr.set(key("a\x00"), b"A0")  # sorts between a and b (byte order)

    store.transact(body)
    return sorted(rows + [(key("a\x00"), b"A0")])


@pytest.mark.parametrize(
    "write",
    [
        lambda tr, key: tr.set(key, b"v"),
        lambda tr, key: tr.clear(key),
        lambda tr, key: tr.clear_range(key, key + b"\xff"),
        lambda tr, key: tr.add(key, 1),
        lambda tr, key: tr.set_versionstamped_key(versionstamp_key(key, b""), b"v"),
    ],
    ids=["set", "clear", "clear_range", "add", "versionstamped"],
)
def test_an_attempt_says_whether_it_wrote(store, key, write) -> None:
    key = key("wrote")

    def body(tr):
        before = tr.wrote
        tr.get(key)
        tr.get_range(key, key + b"\xff")
        after_reads = tr.wrote
        write(tr, key)
        return before, after_reads, tr.wrote

    assert store.transact(body) == (False, False, True)


def test_get_range_is_in_key_order_with_begin_inclusive_end_exclusive(store, key, abcde) -> None:
    rows = store.transact(lambda tr: tr.get_range(key("a"), key("d")))
    assert rows == [(key("a"), b"A"), (key("a\x00"), b"A0"), (key("b"), b"B"), (key("c"), b"C")]
    assert all(type(k) is bytes and type(v) is bytes for k, v in rows)


def test_get_range_whole_prefix(store, key, abcde) -> None:
    assert store.transact(lambda tr: tr.get_range(key(""), key(b"\xff"))) == abcde


def test_get_range_limit(store, key, abcde) -> None:
    rows = store.transact(lambda tr: tr.get_range(key(""), key(b"\xff"), limit=2))
    assert rows == abcde[:2]
    assert store.transact(lambda tr: tr.get_range(key(""), key(b"\xff"), limit=0)) == abcde


def test_get_range_reverse(store, key, abcde) -> None:
    rows = store.transact(lambda tr: tr.get_range(key(""), key(b"\xff"), reverse=True))
    assert rows == abcde[::-1]
    last_two = store.transact(lambda tr: tr.get_range(key("b"), key("e"), limit=2, reverse=True))
    assert last_two == [(key("d"), b"D"), (key("c"), b"C")]


def test_get_range_empty(store, key, abcde) -> None:
    assert store.transact(lambda tr: tr.get_range(key("c"), key("c"))) == []
    assert store.transact(lambda tr: tr.get_range(key("f"), key("z"))) == []
    assert store.transact(lambda tr: tr.get_range(key("b\x00"), key("c"))) == []


def test_clear_range(store, key, abcde) -> None:
    store.transact(lambda tr: tr.clear_range(key("a\x00"), key("d")))
    rows = store.transact(lambda tr: tr.get_range(key(""), key(b"\xff")))
    assert rows == [(key("a"), b"A"), (key("d"), b"D"), (key("e"), b"E")]
    store.transact(lambda tr: tr.clear_range(key(""), key(b"\xff")))
    assert store.transact(lambda tr: tr.get_range(key(""), key(b"\xff"))) == []


# -- atomic add ---------------------------------------------------------------


def test_add_to_missing_key_starts_from_zero_little_endian(store, key) -> None:
    store.transact(lambda tr: tr.add(key("n"), 5))
    raw = read(store, key("n"))
    assert raw == struct.pack("<q", 5) == encode_int(5)
    assert decode_int(raw) == 5


def test_add_accumulates_and_goes_negative(store, key) -> None:
    put(store, key("n"), encode_int(300))
    store.transact(lambda tr: tr.add(key("n"), 1))
    store.transact(lambda tr: tr.add(key("n"), -1000))
    raw = read(store, key("n"))
    assert raw == struct.pack("<q", -699)
    assert decode_int(raw) == -699
    assert decode_int(None) == 0


def test_several_adds_in_one_transaction(store, key) -> None:
    def body(tr):
        for delta in (1, 2, 3, -10):
            tr.add(key("n"), delta)

    store.transact(body)
    assert decode_int(read(store, key("n"))) == -4


def test_concurrent_adds_are_never_lost(store, key) -> None:
    n, threads = 50, 2
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(n):
                store.transact(lambda tr: tr.add(key("n"), 1))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not errors
    assert decode_int(read(store, key("n"))) == n * threads


# -- versionstamps --------------------------------------------------------------


def test_versionstamp_key_layout() -> None:
    raw = versionstamp_key(b"pre/", b"suf")
    assert raw[:4] == b"pre/"
    assert raw[4 : 4 + STAMP_LEN] == b"\xff" * STAMP_LEN
    assert raw[4 + STAMP_LEN : -4] == b"suf"
    assert struct.unpack("<I", raw[-4:]) == (4,)


def test_versionstamped_keys_sort_in_commit_order(store, key) -> None:
    log = key("log/")

    def write(tr, tx_number: int):
        for item in range(3):
            tr.set_versionstamped_key(versionstamp_key(log, b"/%d/%d" % (tx_number, item)), b"%d" % tx_number)

    # Suffixes are written so that, without stamps, later commits would sort first.
    for tx_number in (5, 4, 3, 2, 1):
        store.transact(write, tx_number)
    rows = store.transact(lambda tr: tr.get_range(log, log + b"\xff"))
    assert len(rows) == 15
    stamps = [k[len(log) : len(log) + STAMP_LEN] for k, _ in rows]
    assert all(s != b"\xff" * STAMP_LEN for s in stamps)
    # Commit order: tx 5 committed first, so its entries sort first.
    assert [v for _, v in rows] == [b"5"] * 3 + [b"4"] * 3 + [b"3"] * 3 + [b"2"] * 3 + [b"1"] * 3
    # One stamp per transaction, a different one for each transaction.
    by_tx: dict[bytes, set[bytes]] = {}
    for (k, v), stamp in zip(rows, stamps, strict=True):
        by_tx.setdefault(v, set()).add(stamp)
        assert len(k) == len(log) + STAMP_LEN + len(b"/5/0")  # the offset trailer is gone
    assert all(len(s) == 1 for s in by_tx.values())
    assert len({next(iter(s)) for s in by_tx.values()}) == 5


def test_versionstamped_keys_order_concurrent_commits(store, key) -> None:
    """Commits from two threads: the log order is the order commits returned."""
    log = key("log/")
    committed: list[bytes] = []
    lock = threading.Lock()

    def work(name: bytes) -> None:
        for i in range(20):
            value = name + b"%02d" % i

            def body(tr, value=value):
                tr.set_versionstamped_key(versionstamp_key(log), value)

            # Serialise "commit + record" so the recorded order is the commit order.
            with lock:
                store.transact(body)
                committed.append(value)

    workers = [threading.Thread(target=work, args=(n,)) for n in (b"a", b"b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    rows = store.transact(lambda tr: tr.get_range(log, log + b"\xff"))
    assert [v for _, v in rows] == committed


# -- conflicts and retries --------------------------------------------------------


def test_read_modify_write_increments_from_two_threads_are_all_kept(store, key) -> None:
    n, threads = 40, 2
    runs = 0
    runs_lock = threading.Lock()
    errors: list[BaseException] = []

    def increment(tr):
        nonlocal runs
        with runs_lock:
            runs += 1
        value = decode_int(tr.get(key("counter")))
        tr.set(key("counter"), encode_int(value + 1))

    def work() -> None:
        try:
            for _ in range(n):
                store.transact(increment)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not errors
    assert decode_int(read(store, key("counter"))) == n * threads
    assert runs >= n * threads


def test_conflicting_write_makes_the_body_run_again(store, key) -> None:
    """A read made stale by another commit is retried, not committed (no lost update)."""
    put(store, key("counter"), encode_int(100))
    read_done = threading.Event()
    other_committed = threading.Event()
    runs = 0
    result: list[object] = []

    def increment(tr):
        nonlocal runs
        runs += 1
        value = decode_int(tr.get(key("counter")))
        if runs == 1:
            read_done.set()
            assert other_committed.wait(FIRES_WITHIN)
        tr.set(key("counter"), encode_int(value + 1))
        return value

    def work() -> None:
        try:
            result.append(store.transact(increment))
        except BaseException as exc:  # noqa: BLE001 - reported below
            result.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    assert read_done.wait(FIRES_WITHIN)
    store.transact(lambda tr: tr.add(key("counter"), 10))
    other_committed.set()
    worker.join(FIRES_WITHIN)
    assert not worker.is_alive()
    assert result == [110]  # the value the committed attempt read
    assert runs >= 2
    assert decode_int(read(store, key("counter"))) == 111


def test_body_raising_rolls_back_and_propagates(store, key) -> None:
    put(store, key("a"), b"before")

    class Boom(Exception):
        pass

    def body(tr):
        tr.set(key("a"), b"after")
        tr.set(key("b"), b"new")
        tr.add(key("n"), 1)
        raise Boom("no")

    with pytest.raises(Boom, match="no"):
        store.transact(body)
    assert read(store, key("a")) == b"before"
    assert read(store, key("b")) is None
    assert read(store, key("n")) is None
    # The store is still usable afterwards.
    put(store, key("a"), b"later")
    assert read(store, key("a")) == b"later"


def test_body_raising_after_reading_only_propagates(store, key) -> None:
    def body(tr):
        tr.get(key("a"))
        raise KeyError("x")

    with pytest.raises(KeyError):
        store.transact(body)


# -- watches ------------------------------------------------------------------


def test_watch_fires_on_change(store, key) -> None:
    put(store, key("w"), b"1")
    watch = arm(store, key("w"))
    assert not watch.done()
    put(store, key("w"), b"2")
    assert watch.wait(FIRES_WITHIN)
    assert watch.done()
    assert watch.error() is None


def test_watch_does_not_fire_on_an_identical_write(store, key) -> None:
    put(store, key("w"), b"same")
    watch = arm(store, key("w"))
    put(store, key("w"), b"same")
    assert not watch.wait(QUIET_FOR)
    put(store, key("w"), b"different")
    assert watch.wait(FIRES_WITHIN)
    assert watch.error() is None


def test_watch_does_not_fire_on_writes_to_other_keys(store, key) -> None:
    put(store, key("w"), b"1")
    watch = arm(store, key("w"))
    put(store, key("w2"), b"1")
    put(store, key("v"), b"1")
    store.transact(lambda tr: tr.add(key("n"), 1))
    assert not watch.wait(QUIET_FOR)
    watch.cancel()


def test_watch_fires_on_clear(store, key) -> None:
    put(store, key("w"), b"1")
    watch = arm(store, key("w"))
    store.transact(lambda tr: tr.clear(key("w")))
    assert watch.wait(FIRES_WITHIN)
    assert watch.error() is None


def test_watch_fires_on_clear_range(store, key) -> None:
    put(store, key("w"), b"1")
    watch = arm(store, key("w"))
    store.transact(lambda tr: tr.clear_range(key(""), key(b"\xff")))
    assert watch.wait(FIRES_WITHIN)


def test_watch_on_missing_key_fires_when_it_is_set(store, key) -> None:
    watch = arm(store, key("absent"))
    assert not watch.wait(QUIET_FOR)
    put(store, key("absent"), b"here")
    assert watch.wait(FIRES_WITHIN)


def test_watch_fires_on_atomic_add(store, key) -> None:
    watch = arm(store, key("n"))
    store.transact(lambda tr: tr.add(key("n"), 1))
    assert watch.wait(FIRES_WITHIN)


def test_watch_fires_for_a_change_after_its_snapshot_before_its_commit(store, key) -> None:
    """It compares with the value its transaction saw, not the one at commit."""
    put(store, key("w"), b"old")
    changed = threading.Event()

    def body(tr):
        tr.get(key("w"))
        watch = tr.watch(key("w"))
        if not changed.is_set():
            writer = threading.Thread(target=put, args=(store, key("w"), b"new"))
            writer.start()
            writer.join(FIRES_WITHIN)
            changed.set()
        return watch

    watch = store.transact(body)
    assert changed.is_set()
    assert watch.wait(FIRES_WITHIN)


def test_watch_rearm_after_firing(store, key) -> None:
    put(store, key("w"), b"1")
    first = arm(store, key("w"))
    put(store, key("w"), b"2")
    assert first.wait(FIRES_WITHIN)
    second = arm(store, key("w"))  # re-read and re-arm
    assert not second.wait(QUIET_FOR)
    put(store, key("w"), b"3")
    assert second.wait(FIRES_WITHIN)
    assert second.error() is None
    third = arm(store, key("w"))
    store.transact(lambda tr: tr.clear(key("w")))
    assert third.wait(FIRES_WITHIN)


def test_watch_is_one_shot_and_folds_several_changes(store, key) -> None:
    calls: list[Watch] = []
    called = threading.Event()

    def callback(w: Watch) -> None:
        calls.append(w)
        called.set()

    put(store, key("w"), b"0")
    watch = arm(store, key("w"))
    watch.on_ready(callback)
    for value in (b"1", b"2", b"3"):
        put(store, key("w"), value)
    assert watch.wait(FIRES_WITHIN)
    assert called.wait(FIRES_WITHIN)
    # Later changes do not fire it again: once a newer watch has seen one, so has it.
    later = arm(store, key("w"))
    put(store, key("w"), b"4")
    assert later.wait(FIRES_WITHIN)
    assert calls == [watch]
    assert watch.error() is None


def test_on_ready_runs_at_once_when_already_done(store, key) -> None:
    put(store, key("w"), b"1")
    watch = arm(store, key("w"))
    put(store, key("w"), b"2")
    assert watch.wait(FIRES_WITHIN)
    calls: list[Watch] = []
    watch.on_ready(calls.append)
    assert calls == [watch]


def test_on_ready_callback_gets_the_watch(store, key) -> None:
    put(store, key("w"), b"1")
    watch = arm(store, key("w"))
    got = threading.Event()
    seen: list[Watch] = []

    def callback(w: Watch) -> None:
        seen.append(w)
        got.set()

    watch.on_ready(callback)
    put(store, key("w"), b"2")
    assert got.wait(FIRES_WITHIN)
    assert seen == [watch]


def test_cancel_resolves_with_watch_cancelled(store, key) -> None:
    put(store, key("w"), b"1")
    watch = arm(store, key("w"))
    calls: list[Watch] = []
    watch.on_ready(calls.append)
    watch.cancel()
    assert watch.wait(FIRES_WITHIN)
    assert isinstance(watch.error(), WatchCancelled)
    assert calls == [watch]
    # A change after cancelling does not turn it into a firing.
    put(store, key("w"), b"2")
    assert isinstance(watch.error(), WatchCancelled)
    assert calls == [watch]


def test_cancel_after_firing_keeps_the_firing(store, key) -> None:
    put(store, key("w"), b"1")
    watch = arm(store, key("w"))
    put(store, key("w"), b"2")
    assert watch.wait(FIRES_WITHIN)
    watch.cancel()
    assert watch.error() is None


def test_cancelling_one_watch_leaves_others_on_the_same_key(store, key) -> None:
    put(store, key("w"), b"1")
    cancelled, kept = arm(store, key("w")), arm(store, key("w"))
    cancelled.cancel()
    put(store, key("w"), b"2")
    assert kept.wait(FIRES_WITHIN)
    assert kept.error() is None
    assert isinstance(cancelled.error(), WatchCancelled)


def test_watch_fires_for_a_write_in_another_process(store, engine, key) -> None:
    put(store, key("w"), b"1")
    watch = arm(store, key("w"))
    other = arm(store, key("untouched"))
    started = time.monotonic()
    engine.run_elsewhere(
        "store.transact(lambda tr: tr.set(bytes.fromhex(args[0]), b'from-elsewhere'))",
        key("w").hex(),
    )
    assert watch.wait(5.0), "a commit in another process did not fire the watch"
    assert time.monotonic() - started < 15
    assert watch.error() is None
    assert read(store, key("w")) == b"from-elsewhere"
    assert not other.done()
    other.cancel()


def test_identical_write_in_another_process_does_not_fire(store, engine, key) -> None:
    put(store, key("w"), b"same")
    watch = arm(store, key("w"))
    engine.run_elsewhere("store.transact(lambda tr: tr.set(bytes.fromhex(args[0]), b'same'))", key("w").hex())
    assert not watch.wait(QUIET_FOR)
    put(store, key("w"), b"changed")
    assert watch.wait(FIRES_WITHIN)


def test_many_watches_each_fire(store, key) -> None:
    count = 200
    keys = [key(f"many/{i:04d}") for i in range(count)]

    def setup(tr):
        for k in keys:
            tr.set(k, b"0")

    store.transact(setup)

    def arm_all(tr):
        for k in keys:
            tr.get(k)
        return [tr.watch(k) for k in keys]

    watches = store.transact(arm_all)
    assert len(watches) == count
    assert not any(w.done() for w in watches)

    def change_half(tr):
        for k in keys[::2]:
            tr.set(k, b"1")

    store.transact(change_half)
    assert all(w.wait(FIRES_WITHIN) for w in watches[::2])
    assert not any(w.done() for w in watches[1::2])

    def change_rest(tr):
        for k in keys[1::2]:
            tr.clear(k)

    store.transact(change_rest)
    assert all(w.wait(FIRES_WITHIN) for w in watches)
    assert all(w.error() is None for w in watches)


def test_many_watches_fire_for_another_process(store, engine, key) -> None:
    count = 200
    keys = [key(f"many/{i:04d}") for i in range(count)]

    def arm_all(tr):
        return [tr.watch(k) for k in keys]

    watches = store.transact(arm_all)
    engine.run_elsewhere(
        "prefix = bytes.fromhex(args[0])\n"
        f"store.transact(lambda tr: [tr.set(prefix + b'%04d' % i, b'x') for i in range({count})])",
        key("many/").hex(),
    )
    assert all(w.wait(FIRES_WITHIN) for w in watches)
    assert all(w.error() is None for w in watches)


def test_close_cancels_outstanding_watches(store, key) -> None:
    put(store, key("w"), b"1")
    watch = arm(store, key("w"))
    store.close()
    assert watch.wait(FIRES_WITHIN)
    assert isinstance(watch.error(), WatchCancelled)
