"""Under commit faults, every ``quotes like`` tells the truth: exit 0 is one like, anything else none.

A commit that times out (1031) or whose result is unknown (1021) may have
happened; the store settles it by running the write's token again, so while
the store is up no command says "may have been made", and the likes counted
equal the commands that exited 0.
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
from support.cli import Result, cli_env
from support.engines import ROOT
from support.waiting import WAIT_S

#: Interpreter starts are slow on a busy machine: the budget is per command
#: (``WAIT_S``), the whole test gets room for every command to be slow.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(10 * 60)]

LOOPS = 4
#: ``quotes like`` commands per loop. 4 x 200 takes about 6 minutes on a busy
#: 2-core machine (one interpreter start a like): run it by hand with LIKES=200.
LIKES = 50
FAULTS = "commit_timed_out=0.3,commit_unknown_result=0.2"


def _likes_in_a_row(file_cli, quote_id: str, loop: int) -> list[Result]:
    """``LIKES`` real ``quotes like`` commands one after another, each with its own
    fault seed (one seed for all would make every command fail alike)."""
    results = []
    for n in range(LIKES):
        env = cli_env(QUOTES_FAULTS=f"seed={loop * LIKES + n},{FAULTS}")
        done = subprocess.run(
            file_cli.argv("like", quote_id), capture_output=True, text=True, cwd=ROOT, env=env, timeout=WAIT_S
        )
        results.append(Result(done.returncode, done.stdout, done.stderr))
    return results


def test_likes_under_commit_faults_count_exactly_the_commands_that_succeeded(file_cli) -> None:
    quote_id = file_cli.ok("add", "--author", "A", "--content", "Liked under faults.").strip()
    with ThreadPoolExecutor(LOOPS) as pool:
        loops = list(pool.map(lambda loop: _likes_in_a_row(file_cli, quote_id, loop), range(LOOPS)))
    results = [result for loop in loops for result in loop]
    failed = [result for result in results if result.status != 0]
    assert not [r for r in results if "may have been made" in r.stderr], "the store was up: settle it"
    assert failed == [], failed
    assert file_cli.listed()[0]["likes"] == LOOPS * LIKES
