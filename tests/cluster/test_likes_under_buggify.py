"""Many people, one quote, on a real cluster that fails the way clusters do.

Four processes run ``quotes like ID`` one after another, each a real program
with the FoundationDB client's own buggify on (``client_buggify=20``: one in
five of its fault sections fires: conflicts, ``commit_unknown_result`` after
a real commit, timeouts with the commit still in flight). Every command's
status is a definite answer: 0 means its like is in, once; so the quote ends
with exactly as many likes as commands that said 0, and every command says 0.

``QUOTES_BUGGIFY_LIKES`` sets the likes per process (default 10, so the
suite stays quick); the issue's 4 x 200 is ``QUOTES_BUGGIFY_LIKES=200``.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from support.cli import Cli, Result, cli_env

from app.repo import QuoteRepo

pytestmark = [pytest.mark.fdb, pytest.mark.e2e]

WRITERS = 4
LIKES_EACH = int(os.environ.get("QUOTES_BUGGIFY_LIKES", "10"))


def _like_in_turn(cli: Cli, quote_id: str) -> list[Result]:
    env = cli_env(QUOTES_FAULTS="client_buggify=20")
    return [cli.program("like", quote_id, env=env) for _ in range(LIKES_EACH)]


@pytest.mark.parametrize("engine", ["fdb"], indirect=True)
@pytest.mark.timeout(60 + 3 * WRITERS * LIKES_EACH)
def test_likes_from_four_processes_under_client_buggify_count_exactly(repo: QuoteRepo, cli: Cli) -> None:
    quote = repo.insert("Seneca", "We suffer more in imagination than in reality.")

    with ThreadPoolExecutor(WRITERS) as pool:
        results = [r for rs in pool.map(lambda _: _like_in_turn(cli, quote.id), range(WRITERS)) for r in rs]

    refused = [r for r in results if r.status != 0]
    assert refused == []
    done = repo.get(quote.id)
    assert done is not None
    assert done.likes == WRITERS * LIKES_EACH
