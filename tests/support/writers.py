"""Writer processes started together: several real programs on one store at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support.cli import cli_env
from support.engines import ROOT
from support.waiting import WAIT_S

#: A writer: likes one quote, or adds quotes, COUNT times once told to start.
_WRITER = """
import sys
from app.repo import open_repo
db, action, arg, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
repo = open_repo(db)
sys.stdin.readline()  # start together
for n in range(count):
    if action == "like":
        repo.add_likes(arg)
    else:
        repo.insert(arg, f"quote {n} from {arg}")
repo.close()
"""


def run_together(db: Path, jobs: list[tuple[str, str, int]], **env: str) -> None:
    """Start one writer per (action, argument, count), all at once; each must exit 0."""
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(db), action, arg, str(count)],
            stdin=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=cli_env(**env),
        )
        for action, arg, count in jobs
    ]
    try:
        for writer in writers:
            writer.stdin.write("go\n")  # type: ignore[union-attr]
            writer.stdin.flush()  # type: ignore[union-attr]
        for writer in writers:
            writer.stdin.close()  # type: ignore[union-attr]
            assert writer.wait(timeout=4 * WAIT_S) == 0
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
