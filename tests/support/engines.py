"""The two engines every store, repository and sync test runs on.

- ``sqlite``: a ``SQLiteStore`` in the test's temporary folder (always).
- ``fdb``: the cluster ``FDB_CLUSTER_FILE`` names, when it is set and answers;
  otherwise the test is skipped, naming why. Each test gets its own key prefix
  (store tests) or its own tenant (repository tests), cleared afterwards, so
  tests never see each other's keys.

Stores opened here inject none of our own model faults whatever
``QUOTES_FAULTS`` says, unless a test asks (``Engine.reopen(faults)``): tests
that count exactly must not see a retried body run twice. The one opt-in is
the FoundationDB client's own buggify: with ``client_buggify=P`` in
``QUOTES_FAULTS``, cluster stores (here and in the processes
``Engine.open_source`` starts) ask for it alone, and the first one a test
process opens turns it on for that process (the client's network starts once).
The client's faults are the cluster's own answers (conflicts, unknown results
settled by the retry loop), which exactly-once code must survive.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.store import faults
from app.store.base import Store
from app.store.errors import StoreUnavailable

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("sqlite", "fdb")


@dataclass
class Engine:
    name: str
    store: Store
    #: Keys of this test live under it (store tests).
    prefix: bytes
    #: Python source (one expression) that opens the same store in another process.
    open_source: str
    #: Opens the same store again in this process, with the faults given.
    reopen: Callable[..., Store]
    #: Command-line options that open the same store (``--db PATH`` or ``--cluster-file PATH``).
    cli_args: tuple[str, ...]

    def key(self, name: bytes | str) -> bytes:
        return self.prefix + (name.encode() if isinstance(name, str) else name)

    def run_elsewhere(self, body: str, *args: str, timeout: float = 60) -> str:
        """Run ``body`` in a fresh interpreter with ``store`` open; returns stdout.

        ``body`` sees ``store`` and ``args`` (the extra command-line arguments).
        """
        code = (
            "import sys\n"
            f"store = {self.open_source}\n"
            "args = sys.argv[1:]\n"
            "try:\n"
            + "".join(f"    {line}\n" for line in body.strip().splitlines())
            + "finally:\n    store.close()\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


def cluster_file_or_skip() -> str:
    """The cluster file of a reachable cluster, or skip the test saying why not."""
    cluster_file = os.environ.get("FDB_CLUSTER_FILE")
    if not cluster_file:
        pytest.skip("FoundationDB: FDB_CLUSTER_FILE not set")
    return cluster_file


def cluster_faults() -> faults.Faults | None:
    """The faults cluster stores of the suite open with: the client's buggify
    alone, when ``QUOTES_FAULTS`` asks for it; otherwise none."""
    asked = faults.from_environment()
    if asked is None or not asked.client_buggify:
        return None
    return faults.Faults(asked.seed, {}, client_buggify=asked.client_buggify)


def _cluster_faults_source() -> str:
    """Python source for ``cluster_faults()`` in another process."""
    buggify = cluster_faults()
    if buggify is None:
        return "None"
    return (
        "__import__('app.store.faults', fromlist=['x'])"
        f".Faults({buggify.seed}, {{}}, client_buggify={buggify.client_buggify})"
    )


def open_engine(name: str, tmp_path: Path) -> Engine:
    """Open a store of engine ``name`` for one test (skips if it cannot be reached)."""
    if name == "sqlite":
        from app.store.sqlite import SQLiteStore

        path = tmp_path / "store.db"
        return Engine(
            "sqlite",
            SQLiteStore(path, faults=None),
            b"test/",
            f"__import__('app.store.sqlite', fromlist=['x']).SQLiteStore({str(path)!r}, faults=None)",
            lambda faults=None: SQLiteStore(path, faults=faults),
            ("--db", str(path)),
        )
    cluster_file = cluster_file_or_skip()
    from app.store.fdb import open_fdb

    buggify = cluster_faults()
    try:
        store = open_fdb(cluster_file, faults=buggify)
    except StoreUnavailable as exc:
        pytest.skip(f"FoundationDB: {exc}")
    return Engine(
        "fdb",
        store,
        b"quotes-test/" + uuid.uuid4().hex.encode() + b"/",
        "__import__('app.store.fdb', fromlist=['x'])"
        f".open_fdb({cluster_file!r}, faults={_cluster_faults_source()})",
        lambda faults=buggify: open_fdb(cluster_file, faults=faults),
        ("--cluster-file", cluster_file),
    )


def clean_up(engine: Engine) -> None:
    """Close the engine's store; on a cluster, clear what the test wrote."""
    engine.store.close()  # a test may have closed it already
    if engine.name == "fdb":
        prefix = engine.prefix
        with engine.reopen() as cleaner:
            cleaner.transact(lambda tr: tr.clear_range(prefix, prefix + b"\xff"))
