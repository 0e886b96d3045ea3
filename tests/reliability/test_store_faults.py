"""A store that is locked, read-only, full or gone: a clear error in seconds, nothing lost."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys

import pytest
from support.cli import Cli, one_line_error, run_unprivileged

pytestmark = pytest.mark.e2e


HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


def test_a_store_locked_longer_than_the_busy_timeout_is_refused(db, file_cli, processes):
    file_cli.ok("seed")
    holder = processes.start([sys.executable, "-c", HOLD_LOCK, str(db)], stdin=subprocess.PIPE)
    assert holder.stdout.readline().strip() == "locked"
    # The lock is held until the command has ended: it gave up waiting, it did not outlast it.
    line = one_line_error(file_cli.run("add", "--author", "A", "--content", "waiting"))
    assert "locked by another program" in line
    assert len(file_cli.listed()) == 2, "readers are not blocked by the writer's lock"
    holder.communicate("release\n")
    assert [q["content"] for q in file_cli.listed()].count("waiting") == 0


def test_the_disk_filling_up_mid_import_says_so_and_takes_back_what_committed(db, file_cli, tmp_path):
    file_cli.ok("seed")
    records = tmp_path / "big.jsonl"
    records.write_text("\n".join(json.dumps({"author": f"A{n}", "content": "x" * 4000}) for n in range(2000)))
    size_now = db.stat().st_size

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        limit = size_now + 1_500_000
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    line = one_line_error(file_cli.program("import", str(records), preexec_fn=small_disk))
    assert "disk is full" in line
    quotes = file_cli.listed()
    if "could not be taken back" in line:  # the take-back needs a little disk too
        # The count is in the last clause (a commit with an unknown result adds one before it).
        imported = int(line.rsplit("; ", 1)[1].split()[0].replace(",", ""))
        assert len(quotes) == 2 + imported
    else:
        assert line.endswith("; nothing was imported")
        assert len(quotes) == 2
    assert {"René Descartes", "Heraclitus"} <= {q["author"] for q in quotes}


@pytest.mark.parametrize("what", ["file", "folder and file"])
def test_a_read_only_store_is_refused_with_a_clear_error(tmp_path, what):
    folder = tmp_path / "store"
    folder.mkdir()
    cli = Cli.on_file(folder / "quotes.db")
    cli.ok("seed")
    for path in folder.iterdir():
        path.chmod(0o444)
    if what == "folder and file":
        folder.chmod(0o555)
    try:
        line = one_line_error(run_unprivileged(cli, "add", "--author", "A", "--content", "C"))
        assert "read-only" in line or "cannot open" in line, line
    finally:
        folder.chmod(0o755)
        for path in folder.iterdir():
            path.chmod(0o644)
    assert len(cli.listed()) == 2


def test_a_new_store_in_a_read_only_folder_is_a_clear_error(tmp_path):
    tmp_path.chmod(0o555)
    try:
        line = one_line_error(run_unprivileged(Cli.on_file(tmp_path / "new.db"), "list"))
        assert str(tmp_path / "new.db") in line
    finally:
        tmp_path.chmod(0o755)
