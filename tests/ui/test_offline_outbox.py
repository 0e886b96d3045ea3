"""Working while the store is out of reach, on the embedded store: the outbox, the cached
collection, the way back (``support.offline_scenario``).

The store is made unreachable the way a cluster is (the ``unreachable_file``
fault: while the file exists, every call fails as on a cluster that does not
answer); "elsewhere" is another program's connection to the same file, which
the fault does not touch.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from support import offline_scenario
from support.cli import Cli
from support.waiting import WAIT_MS

from app.client import open_session
from app.repo import QuoteRepo, tenants
from app.store.sqlite import SQLiteStore
from app.ui.window import MainWindow

TENANT = "trip"


@pytest.fixture
def switch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """While this file exists, the windows' store does not answer (other faults asked for stay)."""
    path = tmp_path / "unreachable"
    faults = ",".join(filter(None, [os.environ.get("QUOTES_FAULTS", ""), f"unreachable_file={path}"]))
    monkeypatch.setenv("QUOTES_FAULTS", faults)
    return path


@pytest.fixture
def elsewhere(db: Path):
    """Someone else's connection to the store (collection "trip"): always reachable."""
    store = SQLiteStore(db, faults=None)
    tenants.create(store, TENANT)
    repo = QuoteRepo(store, TENANT)
    yield repo
    repo.close()


@pytest.fixture
def windows(qtbot, aio, settings, switch):
    """Open windows on a store as ``quotes`` does (offline support and all); each is
    closed, its clean-up awaited, by the second function or at the end."""
    opened: list[MainWindow] = []

    def open_(**where: object) -> MainWindow:
        window = MainWindow(open_session(tenant=TENANT, **where), settings)  # type: ignore[arg-type]
        opened.append(window)
        window.show()
        window.start()
        return window

    def quit_(window: MainWindow) -> None:
        closed = asyncio.ensure_future(window.wait_closed())
        window.close()
        qtbot.waitUntil(closed.done, timeout=WAIT_MS)
        opened.remove(window)

    yield open_, quit_
    for window in list(opened):
        quit_(window)


def test_changes_made_offline_survive_a_restart_and_land_once_when_the_store_answers(
    qtbot, windows, switch, elsewhere, db
) -> None:
    open_, quit_ = windows
    offline_scenario.run(
        offline_scenario.Offline(
            qtbot,
            open_window=lambda: open_(db=db),
            quit_window=quit_,
            away=switch.touch,
            back=switch.unlink,
            elsewhere=elsewhere,
            cli=Cli("--db", str(db), "--tenant", TENANT),
            meanwhile=lambda edit: edit(),  # the fault keeps the store from the windows only
        )
    )
