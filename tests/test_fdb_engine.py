"""The FoundationDB engine: clear failures without a client library or cluster.

With no ``libfdb_c`` on the machine (the usual case here) only the
no-library tests run. With a library, the unreachable-cluster test runs; with
``FDB_CLUSTER_FILE`` pointing at a reachable cluster, the round trip runs too.
"""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from app.store.base import decode_int, versionstamp_key
from app.store.errors import StoreUnavailable
from app.store.fdb import open_fdb

ROOT = Path(__file__).resolve().parents[1]

HAVE_CLIENT_LIBRARY = ctypes.util.find_library("fdb_c") is not None or any(
    Path(p).exists()
    for p in (
        "/usr/lib/libfdb_c.so",
        "/usr/local/lib/libfdb_c.so",
        "/usr/local/lib/libfdb_c.dylib",
    )
)
skip_if_library = pytest.mark.skipif(
    HAVE_CLIENT_LIBRARY, reason="a FoundationDB client library (libfdb_c) is installed"
)
skip_unless_library = pytest.mark.skipif(
    not HAVE_CLIENT_LIBRARY,
    reason="no FoundationDB client library (libfdb_c) is installed",
)


def test_import_does_not_load_the_binding() -> None:
    code = "import sys, app.store.fdb; print('fdb' in sys.modules, 'fdb.impl' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert out.split() == ["False", "False"]


@skip_if_library
def test_open_without_client_library_is_one_clear_line(tmp_path: Path) -> None:
    cluster_file = tmp_path / "fdb.cluster"
    cluster_file.write_text("test:test@127.0.0.1:4500\n")
    start = time.monotonic()
    with pytest.raises(StoreUnavailable) as raised:
        open_fdb(str(cluster_file))
    assert time.monotonic() - start < 15
    message = str(raised.value)
    assert "FoundationDB" in message
    assert "libfdb_c" in message
    assert "\n" not in message


@skip_unless_library
def test_unreachable_cluster_fails_within_seconds(tmp_path: Path) -> None:
    """In a process of its own: the client's network thread, once started, keeps
    trying to reach the cluster for as long as the process lives."""
    cluster_file = tmp_path / "fdb.cluster"
    cluster_file.write_text("test:test@127.0.0.1:1\n")  # nothing listens there
    code = (
        "import sys, time\n"
        "from app.store.errors import StoreUnavailable\n"
        "from app.store.fdb import open_fdb\n"
        "start = time.monotonic()\n"
        "try:\n"
        "    open_fdb(sys.argv[1])\n"
        "except StoreUnavailable as exc:\n"
        "    print(f'{time.monotonic() - start:.1f}'); print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(cluster_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.splitlines()
    seconds, message = float(out[0]), out[1:]
    assert seconds < 15
    assert len(message) == 1 and "FoundationDB" in message[0]


@skip_unless_library
def test_missing_cluster_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.cluster"
    with pytest.raises(StoreUnavailable, match="nowhere.cluster"):
        open_fdb(str(missing))


@pytest.mark.fdb
@pytest.mark.skipif(
    not HAVE_CLIENT_LIBRARY or not os.environ.get("FDB_CLUSTER_FILE"),
    reason="needs libfdb_c and FDB_CLUSTER_FILE pointing at a reachable cluster",
)
def test_round_trip_and_watch() -> None:
    prefix = b"quotes-test/" + uuid.uuid4().hex.encode() + b"/"
    end = prefix + b"\xff"
    with open_fdb(None) as store:
        try:
            store.transact(lambda tr: tr.set(prefix + b"a", b"1"))
            store.transact(lambda tr: tr.add(prefix + b"n", 5))
            store.transact(lambda tr: tr.set_versionstamped_key(versionstamp_key(prefix + b"log/"), b"x"))

            def read(tr):
                found = tr.get(prefix + b"a"), tr.get(prefix + b"missing")
                return found, tr.get_range(prefix, end), tr.watch(prefix + b"n")

            found, rows, watch = store.transact(read)
            assert found == (b"1", None)
            assert [key for key, _ in rows][:1] == [prefix + b"a"]
            assert decode_int(dict(rows)[prefix + b"n"]) == 5
            assert len([k for k, _ in rows if k.startswith(prefix + b"log/")]) == 1
            assert not watch.wait(0.2)

            store.transact(lambda tr: tr.add(prefix + b"n", 1))
            assert watch.wait(10)
            assert watch.error() is None

            other = store.transact(lambda tr: tr.watch(prefix + b"n"))
            other.cancel()
            assert other.wait(1) and other.error() is not None
        finally:
            store.transact(lambda tr: tr.clear_range(prefix, end))


#: Run in a fresh process: client buggify is a network option, set once per process.
ONCE_GUARDED_WRITES = """
import sys
from app.store.base import decode_int
from app.store.fdb import open_fdb

prefix, writes = sys.argv[1].encode(), int(sys.argv[2])
runs = 0

def once(tr, token):
    global runs
    runs += 1
    if tr.get(prefix + b"token/" + token) is not None:
        return
    tr.add(prefix + b"n", 1)
    tr.set(prefix + b"token/" + token, b"done")

store = open_fdb(None)  # faults from QUOTES_FAULTS
try:
    for n in range(writes):
        store.transact(once, str(n).encode())  # any error fails the run
    print(decode_int(store.transact(lambda tr: tr.get(prefix + b"n"))), runs)
finally:
    store.transact(lambda tr: tr.clear_range(prefix, prefix + b"\\xff"))
    store.close()
"""


@pytest.mark.fdb
@pytest.mark.e2e
@pytest.mark.skipif(
    not HAVE_CLIENT_LIBRARY or not os.environ.get("FDB_CLUSTER_FILE"),
    reason="needs libfdb_c and FDB_CLUSTER_FILE pointing at a reachable cluster",
)
def test_once_guarded_writes_under_the_clients_own_buggify_count_exactly() -> None:
    """The real client's faults (1031 with the commit in flight, 1021 after a real
    commit, conflicts, too-old and future-version reads): every write answered,
    each counted once."""
    writes = 100
    prefix = "quotes-test/" + uuid.uuid4().hex + "/"
    env = dict(os.environ, QUOTES_FAULTS="client_buggify=20")
    done = subprocess.run(
        [sys.executable, "-c", ONCE_GUARDED_WRITES, prefix, str(writes)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    total, runs = map(int, done.stdout.split())
    assert total == writes
    assert runs > writes, "buggify made bodies run again"


def test_a_mismatch_names_the_binding_to_install() -> None:
    from app.store.fdb import _binding_for

    assert _binding_for(730) == "foundationdb==7.3.*"
    assert _binding_for(710) == "foundationdb==7.1.*"
    assert _binding_for(800) == "foundationdb==8.0.*"
