"""The offline scenario (``support.offline_scenario``) on a real FoundationDB cluster.

Not collected by the suite (no ``test_`` prefix): ``tests/cluster/test_offline_cluster.py``
runs it in a process of its own (``python -m pytest THIS_FILE``), with
``QUOTES_OFFLINE_CLUSTER`` naming the folder of a one-process cluster it
started: the client's network thread outlives a stopped cluster and must not
outlive it in a test worker. The cluster is taken away with ``kill -9`` of its
process and brought back by starting it again.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from pathlib import Path

import pytest
from support import offline_scenario
from support.cli import Cli
from support.local_cluster import LocalCluster
from support.waiting import WAIT_MS, WAIT_S

from app.client import open_session
from app.repo import QuoteRepo, StoreUnreachable, tenants
from app.store.fdb import open_fdb
from app.ui.window import MainWindow


@pytest.fixture
def cluster() -> LocalCluster:
    folder = os.environ.get("QUOTES_OFFLINE_CLUSTER")
    if not folder:
        pytest.skip("run by tests/cluster/test_offline_cluster.py, with QUOTES_OFFLINE_CLUSTER set")
    return LocalCluster(Path(folder), 1, fdbcli="")


def test_changes_made_while_the_cluster_is_stopped_land_once_when_it_is_back(
    qtbot, aio, settings, cluster
) -> None:
    tenant = f"offline-{uuid.uuid4().hex[:8]}"
    store = open_fdb(cluster.cluster_file)
    ready_by = time.monotonic() + WAIT_S
    while True:  # a cluster just started may take a few seconds to accept writes
        try:
            tenants.create(store, tenant)
            break
        except StoreUnreachable:
            if time.monotonic() > ready_by:
                raise
    elsewhere = QuoteRepo(store, tenant)
    opened: list[MainWindow] = []

    def open_() -> MainWindow:
        window = MainWindow(open_session(cluster_file=cluster.cluster_file, tenant=tenant), settings)
        opened.append(window)
        window.show()
        window.start()
        return window

    def quit_(window: MainWindow) -> None:
        closed = asyncio.ensure_future(window.wait_closed())
        window.close()
        qtbot.waitUntil(closed.done, timeout=WAIT_MS)
        opened.remove(window)

    def meanwhile(edit) -> None:  # the cluster is away for everyone: bring it back for this edit only
        cluster.restart(1)
        edit()
        cluster.kill(1)

    try:
        offline_scenario.run(
            offline_scenario.Offline(
                qtbot,
                open_window=open_,
                quit_window=quit_,
                away=lambda: cluster.kill(1),
                back=lambda: cluster.restart(1),
                elsewhere=elsewhere,
                cli=Cli("--cluster-file", cluster.cluster_file, "--tenant", tenant),
                meanwhile=meanwhile,
            )
        )
    finally:
        for window in list(opened):
            quit_(window)
        tenants.delete(store, tenant)
        store.close()
