"""Fixtures for the whole suite: a store and a repository on each engine.

``store`` and ``repo`` run a test once per engine (``sqlite`` always; ``fdb``
when ``FDB_CLUSTER_FILE`` reaches a cluster, else skipped naming why; see
``tests/support/engines.py``). Both always close, whatever the test did.
Tests that need one engine's particulars ask for ``sqlite_store`` or ``db``.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.cli import Cli, new_store
from support.engines import NAMES, Engine, clean_up, open_engine
from support.processes import Processes

from app.repo import QuoteRepo, tenants
from app.store.base import Store


@pytest.fixture(autouse=True)
def _qt_garbage_on_the_main_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """A Qt test's garbage is collected on the main thread, as in a window's process
    (``app.client.runtime.start``): a widget caught in a reference cycle and
    collected by a store thread is destroyed on the wrong thread, and the next
    tick of one of its timers crashes the worker."""
    if "qapp" not in request.fixturenames or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


_ENGINES = [pytest.param(name, marks=pytest.mark.fdb) if name == "fdb" else name for name in NAMES]


@pytest.fixture(autouse=True)
def offline_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The outbox and offline caches of this test's windows and commands: a temporary folder."""
    folder = tmp_path_factory.mktemp("offline")
    monkeypatch.setenv("QUOTES_OFFLINE_DIR", str(folder))
    return folder


@pytest.fixture(params=_ENGINES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    opened = open_engine(request.param, tmp_path)
    try:
        yield opened
    finally:
        clean_up(opened)


@pytest.fixture
def store(engine: Engine) -> Store:
    """A store with no injected faults, on each engine."""
    return engine.store


@pytest.fixture
def key(engine: Engine) -> Callable[[bytes | str], bytes]:
    """Keys under this test's own prefix."""
    return engine.key


@pytest.fixture
def repo(engine: Engine) -> Iterator[QuoteRepo]:
    """The quotes of a collection of this test's own: ``default`` on a fresh
    embedded store, a new tenant (deleted afterwards) on a cluster."""
    if engine.name == "sqlite":
        yield QuoteRepo(engine.store)
        return
    name = f"test-{uuid.uuid4().hex[:12]}"
    tenants.create(engine.store, name)
    try:
        yield QuoteRepo(engine.store, name)
    finally:
        tenants.delete(engine.store, name)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Where an embedded store for this test lives (not created yet)."""
    return tmp_path / "quotes.db"


@pytest.fixture
def cli(engine: Engine, repo: QuoteRepo) -> Cli:
    """The ``quotes`` command on ``repo``'s store and collection, run in this process."""
    return Cli(*engine.cli_args, "--tenant", repo.tenant)


@pytest.fixture
def file_cli(db: Path) -> Cli:
    """The ``quotes`` command on an empty embedded store at ``db``."""
    return Cli.on_file(new_store(db))


@pytest.fixture
def processes() -> Iterator[Processes]:
    """Start real processes; whatever still runs after the test is killed and reaped."""
    started = Processes()
    try:
        yield started
    finally:
        started.stop_all()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Benchmark-sized tests (``slow``) run only when asked for: ``-m slow``."""
    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="benchmark-sized: run with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
