"""Where a benchmark's collection lives: an embedded store file or a cluster tenant.

A *spec* names it in one string, so worker processes can be told it on their
command line: a path (the embedded store) or ``fdb:CLUSTER_FILE:TENANT``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from benchmarks._common import AUTHORS, id_of

FDB = "fdb:"


def open_spec(spec: str):
    """The ``QuoteRepo`` of the collection ``spec`` names (it must exist)."""
    from app.repo import open_repo

    if spec.startswith(FDB):
        cluster_file, tenant = spec[len(FDB) :].rsplit(":", 1)
        return open_repo(cluster_file=cluster_file, tenant=tenant)
    return open_repo(spec)


def cli_args(spec: str) -> list[str]:
    """The ``quotes`` options that open ``spec``'s collection."""
    if spec.startswith(FDB):
        cluster_file, tenant = spec[len(FDB) :].rsplit(":", 1)
        return ["--cluster-file", cluster_file, "--tenant", tenant]
    return ["--db", spec]


def engine_of(spec: str) -> str:
    return "FoundationDB" if spec.startswith(FDB) else "embedded"


def new_tenant(cluster_file: str, n: int) -> str:
    """A new tenant on the cluster holding ``n`` quotes as ``build_db`` makes them; its spec."""
    from app.repo import QuoteRepo, tenants
    from app.store.fdb import open_fdb

    name = f"bench-{uuid.uuid4().hex[:10]}"
    store = open_fdb(cluster_file, faults=None)
    tenants.create(store, name)
    repo = QuoteRepo(store, name)
    try:
        fill(repo, n)
    finally:
        repo.close()
    return f"{FDB}{cluster_file}:{name}"


def drop_tenant(spec: str) -> None:
    """Delete the cluster tenant ``spec`` names (embedded stores are temporary files)."""
    if not spec.startswith(FDB):
        return
    from app.repo import tenants
    from app.store.fdb import open_fdb

    cluster_file, tenant = spec[len(FDB) :].rsplit(":", 1)
    with open_fdb(cluster_file, faults=None) as store:
        tenants.delete(store, tenant)


def fill(repo, n: int, batch: int = 5_000) -> None:
    """Import ``n`` quotes into ``repo``: ids ``id_of(i)``, a millisecond apart."""
    from app.repo.schema import Quote, now

    at = now()
    for start in range(0, n, batch):
        rows = [
            Quote(
                id=id_of(i),
                author=AUTHORS[i % len(AUTHORS)],
                content=f"Quote number {i}: the obstacle is the way, "
                f"and the way is long enough to fill a card on the screen.",
                likes=i % 7,
                inserted_at=(inserted := at - timedelta(milliseconds=n - i)),
                updated_at=inserted,
            )
            for i in range(start, min(n, start + batch))
        ]
        repo.import_many(rows)
