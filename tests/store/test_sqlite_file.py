"""The SQLite engine and its file: what it refuses, and how it shares the lock.

No injected faults here (``test_rules.py`` has them): a refused or retried write
would stand for the lock or the file behaviour these tests look at.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.repo.transactional import NEW, transactional
from app.store import open_store
from app.store.base import Store, Transaction
from app.store.errors import NotAStore, StoreUnavailable
from app.store.sqlite import APPLICATION_ID, SQLiteStore

ROOT = Path(__file__).resolve().parents[2]


def snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    """The file's bytes, its mtime, and every file in its folder."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


def foreign_database(path: Path, journal_mode: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal_mode}")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('mine, not yours')")
    conn.commit()
    conn.close()


def assert_refused_untouched(path: Path, match: str) -> None:
    before = snapshot(path)
    with pytest.raises(NotAStore, match=match) as raised:
        SQLiteStore(path, faults=None)
    # Checked while the exception (and anything it keeps alive) still exists.
    assert snapshot(path) == before
    assert not any(path.parent.glob(path.name + "-*")), "no -wal/-shm/-journal files"
    assert str(path) in str(raised.value)
    assert "\n" not in str(raised.value)


def test_text_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"my shopping list\nmilk\neggs\n")
    assert_refused_untouched(path, "not a Quotes store")


def test_binary_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "photo.db"
    path.write_bytes(bytes(range(256)) * 64)
    assert_refused_untouched(path, "not a Quotes store")


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_foreign_sqlite_database_is_refused_and_left_unchanged(tmp_path: Path, journal_mode: str) -> None:
    path = tmp_path / "other-app.db"
    foreign_database(path, journal_mode)
    assert_refused_untouched(path, "not a Quotes store")
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT body FROM notes").fetchall() == [("mine, not yours",)]
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0
    finally:
        conn.close()


def test_foreign_sqlite_database_is_refused_through_open_store(tmp_path: Path) -> None:
    path = tmp_path / "other-app.db"
    foreign_database(path, "delete")
    before = snapshot(path)
    with pytest.raises(NotAStore):
        open_store(db=path)
    assert snapshot(path) == before


def test_new_file_becomes_a_wal_store_with_our_application_id(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with SQLiteStore(path, faults=None) as store:
        store.transact(lambda tr: tr.set(b"k", b"v"))
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT key, value FROM kv").fetchall() == [(b"k", b"v")]
    finally:
        conn.close()
    # And it opens again as a store, keeping its data.
    with SQLiteStore(path, faults=None) as store:
        assert store.transact(lambda tr: tr.get(b"k")) == b"v"


def test_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with SQLiteStore(path, faults=None) as store:
        store.transact(lambda tr: tr.set(b"k", b"v"))
        assert store.transact(lambda tr: tr.get(b"k")) == b"v"


def test_a_store_damaged_after_it_was_opened_says_so_as_its_watches_do(tmp_path: Path) -> None:
    """Whichever reads the damage first, a transaction or the watches' thread, the
    one line is the same: the store is damaged (not "or not a Quotes store")."""
    path = tmp_path / "q.db"
    store = SQLiteStore(path, faults=None)
    try:
        store.transact(lambda tr: [tr.set(b"k%04d" % i, b"x" * 500) for i in range(500)])
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
        conn.close()
        with open(path, "r+b") as file:
            file.truncate(path.stat().st_size // 2)
        with pytest.raises(NotAStore, match=f"^store {path} is damaged: "):
            store.transact(lambda tr: tr.get_range(b"k", b"l"))
    finally:
        store.close()


def test_folder_is_unavailable(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(StoreUnavailable, match="folder") as raised:
        SQLiteStore(folder, faults=None)
    assert str(folder) in str(raised.value)
    assert list(folder.iterdir()) == []


def test_missing_parent_folder_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "store.db"
    with pytest.raises(StoreUnavailable, match="does not exist") as raised:
        SQLiteStore(path, faults=None)
    assert "no-such-folder" in str(raised.value)
    assert not path.parent.exists()


def test_closed_store_is_unavailable(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "store.db", faults=None)
    store.close()
    with pytest.raises(StoreUnavailable, match="closed"):
        store.transact(lambda tr: tr.get(b"k"))


# -- the write lock -------------------------------------------------------------


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    with SQLiteStore(path, faults=None) as store:
        store.transact(lambda tr: tr.set(b"k", b"committed"))
    return path


@pytest.fixture
def lock_holder(path: Path):
    """Another connection holding the write lock, with an uncommitted write."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE kv SET value = ? WHERE key = ?", (b"uncommitted", b"k"))
    try:
        yield conn
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_read_transaction_does_not_wait_for_the_write_lock(path: Path, lock_holder) -> None:
    with SQLiteStore(path, busy_timeout=5.0, faults=None) as store:
        started = time.monotonic()

        def read_and_watch(tr):
            return tr.get(b"k"), tr.get_range(b"", b"\xff"), tr.watch(b"k")

        value, rows, watch = store.transact(read_and_watch)
        elapsed = time.monotonic() - started
        assert value == b"committed"
        assert rows == [(b"k", b"committed")]
        assert elapsed < 1.0, f"a read waited {elapsed:.2f}s behind a writer"
        assert not watch.done()
        watch.cancel()


def test_write_while_another_connection_holds_the_lock_is_unavailable(path: Path, lock_holder) -> None:
    with SQLiteStore(path, busy_timeout=0.5, faults=None) as store:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="locked") as raised:
            store.transact(lambda tr: tr.set(b"k", b"mine"))
        assert time.monotonic() - started < 5
        assert "\n" not in str(raised.value)
        # Nothing was written, and reads still work.
        assert store.transact(lambda tr: tr.get(b"k")) == b"committed"


def test_write_succeeds_once_the_lock_is_released(path: Path) -> None:
    holder = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with SQLiteStore(path, busy_timeout=0.5, faults=None) as store:
            with pytest.raises(StoreUnavailable, match="locked"):
                store.transact(lambda tr: tr.set(b"k", b"mine"))
            holder.execute("ROLLBACK")
            store.transact(lambda tr: tr.set(b"k", b"mine"))
            assert store.transact(lambda tr: tr.get(b"k")) == b"mine"
    finally:
        holder.close()


@transactional
def _mark(store: Store, *, tr: Transaction = NEW) -> None:
    tr.set(b"mark", b"1")


@transactional(once=True)
def _mark_once(store: Store, runs: list[int], *, tr: Transaction = NEW) -> None:
    runs.append(1)
    tr.set(b"mark-once", b"1")


@transactional
def _read(store: Store, *, tr: Transaction = NEW) -> bytes | None:
    return tr.get(b"k")


def test_a_function_seen_writing_starts_as_a_writer_and_reads_still_pass_the_lock(path: Path) -> None:
    with SQLiteStore(path, busy_timeout=0.5, faults=None) as store:
        _mark(store)
        runs: list[int] = []
        _mark_once(store, runs)
        runs.clear()
        _mark_once(store, runs)
        assert runs == [1], "seen writing, an exactly-once write runs once, taking the lock at its start"
        holder = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            holder.execute("BEGIN IMMEDIATE")
            assert _read(store) == b"committed", (
                "other functions' writes do not make a read wait for the lock"
            )
        finally:
            holder.execute("ROLLBACK")
            holder.close()


HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)
conn.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
conn.close()
"""


def test_write_while_another_process_holds_the_lock_is_unavailable(path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        with SQLiteStore(path, busy_timeout=0.5, faults=None) as store:
            assert store.transact(lambda tr: tr.get(b"k")) == b"committed"
            started = time.monotonic()
            with pytest.raises(StoreUnavailable, match="locked"):
                store.transact(lambda tr: tr.set(b"k", b"mine"))
            assert time.monotonic() - started < 5
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(10)
        holder.stdout.close()
    assert holder.returncode == 0


def test_opening_the_file_again_keeps_this_processs_locks_on_it(tmp_path: Path):
    """Closing any descriptor of a file drops every POSIX lock the process holds
    on it. Opening the same file again (a second window, a command run
    in-process) must not do that to a store that is open: another process
    could then take the database from under it (here: switch it out of WAL,
    which needs every other connection gone)."""
    path = tmp_path / "store.db"
    leave_wal = (
        "import sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)\n"
        "try:\n"
        "    print(conn.execute('PRAGMA journal_mode = DELETE').fetchone()[0])\n"
        "except sqlite3.OperationalError as exc:\n"
        "    print(exc)\n"
    )
    with SQLiteStore(path, faults=None) as store:
        store.transact(lambda tr: tr.set(b"k", b"v"))
        SQLiteStore(path, faults=None).close()
        other = subprocess.run(
            [sys.executable, "-c", leave_wal, str(path)], capture_output=True, text=True, timeout=60
        )
        assert other.stdout.strip() == "database is locked", other.stdout + other.stderr
        assert store.transact(lambda tr: tr.get(b"k")) == b"v"
