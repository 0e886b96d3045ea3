"""What wakes the embedded store's watches (file events, or polling), and the store going away.

Every test runs with file events (the default on Linux) and with polling
(``watch_mode="poll"``: what a system without inotify gets), and with no
injected faults: an injected watch failure is ``test_rules.py``'s subject, and
here it would stand for the wake-up or the store's end that is tested.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support.folders import delete_folder as delete_store_folder

from app.store.errors import NotAStore, StoreGone
from app.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]
WAIT = 10

WRITE_ELSEWHERE = """
import sys
from app.store.sqlite import SQLiteStore
with SQLiteStore(sys.argv[1], faults=None) as store:
    store.transact(lambda tr: tr.set(sys.argv[2].encode(), sys.argv[3].encode()))
"""


@pytest.fixture(params=["events", "poll"])
def mode(request) -> str:
    return request.param


@pytest.fixture
def path(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    return folder / "q.db"


def write_elsewhere(path: Path, key: str, value: str) -> None:
    subprocess.run(
        [sys.executable, "-c", WRITE_ELSEWHERE, str(path), key, value],
        cwd=ROOT,
        check=True,
        timeout=30,
    )


def arm(store: SQLiteStore, key: bytes = b"k"):
    return store.transact(lambda tr: tr.watch(key))


def test_the_log_says_what_wakes_the_watches(path, mode, caplog) -> None:
    caplog.set_level(logging.INFO, logger="app.store")
    with SQLiteStore(path, watch_mode=mode, faults=None) as store:
        arm(store).cancel()
        arm(store).cancel()
    woken_by = [r.getMessage() for r in caplog.records if "woken by" in r.getMessage()]
    expected = "file events (inotify)" if mode == "events" else "polling"
    assert len(woken_by) == 1 and expected in woken_by[0] and str(path) in woken_by[0]


def test_a_write_in_another_process_fires_the_watch_and_the_next_one_too(path, mode) -> None:
    with SQLiteStore(path, watch_mode=mode, faults=None) as store:
        store.transact(lambda tr: tr.set(b"k", b"0"))
        for value in ("1", "2"):  # the second after the poll has backed off
            watch = arm(store)
            write_elsewhere(path, "k", value)
            assert watch.wait(WAIT)
            assert watch.error() is None
            assert store.transact(lambda tr: tr.get(b"k")) == value.encode()


def test_an_unknown_watch_mode_is_refused(path) -> None:
    with pytest.raises(ValueError, match="sometimes"):
        SQLiteStore(path, watch_mode="sometimes")


def delete_folder(path: Path) -> None:
    delete_store_folder(path.parent)


def move_file(path: Path) -> None:
    path.rename(path.with_name("elsewhere.db"))


def replace_file(path: Path) -> None:
    other = path.with_name("other.db")
    SQLiteStore(other).close()
    other.replace(path)


@pytest.mark.parametrize("gone", [delete_folder, move_file, replace_file])
def test_armed_watches_fail_saying_the_store_is_gone_and_where(path, mode, gone) -> None:
    store = SQLiteStore(path, watch_mode=mode, faults=None)
    try:
        watches = [arm(store, b"k"), arm(store, b"other")]
        gone(path)
        for watch in watches:
            assert watch.wait(WAIT), "the watch did not notice"
            assert isinstance(watch.error(), StoreGone)
            assert str(watch.error()) == f"store {path} was deleted or moved"
        with pytest.raises(StoreGone):
            store.transact(lambda tr: tr.set(b"k", b"lost"))
    finally:
        store.close()


def test_a_store_truncated_under_it_fails_its_watches_and_refuses_writes(path) -> None:
    store = SQLiteStore(path, watch_mode="events", faults=None)
    try:
        store.transact(lambda tr: [tr.set(b"k%04d" % i, b"x" * 500) for i in range(500)])
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
        conn.close()
        watch = arm(store, b"k0499")  # in the half that will be cut off
        sentinel = arm(store, b"sentinel")
        write_elsewhere(path, "sentinel", "1")
        assert sentinel.wait(WAIT)  # the watch thread has read (and cached) the watched keys
        os.truncate(path, path.stat().st_size // 2)

        assert watch.wait(WAIT), "the watch did not notice"
        assert isinstance(watch.error(), NotAStore)
        assert str(watch.error()).startswith(f"store {path} is damaged")
        # SQLite alone would confirm this write: its pages are in the surviving half.
        with pytest.raises(NotAStore, match="damaged"):
            store.transact(lambda tr: tr.set(b"k0001", b"not confirmed"))
    finally:
        store.close()
