"""The ``store`` fixture: every conformance test runs once per engine.

The stores here never inject faults, whatever ``QUOTES_FAULTS`` says: these
tests specify the dialect's exact behaviour, with bodies that are not
idempotent on purpose (an atomic add counted exactly). What faults do is
specified by ``test_rules.py`` with faults given explicitly.

- ``sqlite``: a ``SQLiteStore`` in the test's ``tmp_path`` (always).
- ``fdb``: ``open_fdb`` on ``FDB_CLUSTER_FILE``, when it is set and the cluster
  answers; otherwise the test is skipped, naming why. Each test gets its own
  key prefix, cleared afterwards, so tests never see each other's keys.

``engine`` describes the store under test (its key prefix, and how a
subprocess opens the same store); ``key`` builds keys under the prefix.
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

from app.store.base import Store
from app.store.errors import StoreUnavailable

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Engine:
    name: str
    store: Store
    prefix: bytes
    #: Python source (one expression) that opens the same store in another process.
    open_source: str
    #: Opens the same store again in this process, with the faults given.
    reopen: Callable[..., Store]

    def key(self, name: bytes | str) -> bytes:
        return self.prefix + (name.encode() if isinstance(name, str) else name)

    def run_elsewhere(self, body: str, *args: str, timeout: float = 30) -> str:
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


ENGINE = pytest.StashKey[Engine]()


def _open_fdb() -> Store:
    cluster_file = os.environ.get("FDB_CLUSTER_FILE")
    if not cluster_file:
        pytest.skip("FoundationDB: FDB_CLUSTER_FILE not set")
    from app.store.fdb import open_fdb

    try:
        return open_fdb(cluster_file, faults=None)
    except StoreUnavailable as exc:
        pytest.skip(f"FoundationDB: {exc}")


@pytest.fixture(params=["sqlite", pytest.param("fdb", marks=pytest.mark.fdb)])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        from app.store.sqlite import SQLiteStore

        path = tmp_path / "store.db"
        opened: Store = SQLiteStore(path, faults=None)
        engine = Engine(
            "sqlite",
            opened,
            b"test/",
            f"__import__('app.store.sqlite', fromlist=['x']).SQLiteStore({str(path)!r}, faults=None)",
            lambda faults: SQLiteStore(path, faults=faults),
        )
        request.node.stash[ENGINE] = engine
        try:
            yield opened
        finally:
            opened.close()
        return

    opened = _open_fdb()
    from app.store.fdb import open_fdb

    prefix = b"quotes-test/" + uuid.uuid4().hex.encode() + b"/"
    cluster_file = os.environ["FDB_CLUSTER_FILE"]
    engine = Engine(
        "fdb",
        opened,
        prefix,
        f"__import__('app.store.fdb', fromlist=['x']).open_fdb({cluster_file!r}, faults=None)",
        lambda faults: open_fdb(cluster_file, faults=faults),
    )
    request.node.stash[ENGINE] = engine
    try:
        yield opened
    finally:
        opened.close()  # a test may have closed it already: clean up with a fresh one
        with open_fdb(cluster_file) as cleaner:
            cleaner.transact(lambda tr: tr.clear_range(prefix, prefix + b"\xff"))


@pytest.fixture
def engine(request: pytest.FixtureRequest, store: Store) -> Engine:
    return request.node.stash[ENGINE]


@pytest.fixture
def key(engine: Engine) -> Callable[[bytes | str], bytes]:
    return engine.key
