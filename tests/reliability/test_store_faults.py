"""A store that is locked, read-only, full or gone: a clear error in seconds, nothing lost."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.conftest import cli_env, listed, ok, run_cli


def one_line_error(result, status: int = 1) -> str:
    assert result.returncode == status, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


def test_a_store_locked_longer_than_the_busy_timeout_is_refused_within_seconds(db):
    ok(db, "seed")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        line = one_line_error(run_cli(db, "add", "--author", "A", "--content", "waiting"))
        assert time.monotonic() - started < 5
        assert "locked by another program" in line
        assert len(listed(db)) == 2, "readers are not blocked by the writer's lock"
    finally:
        holder.communicate("release\n", timeout=10)
    assert [q["content"] for q in listed(db)].count("waiting") == 0


def test_the_disk_filling_up_mid_import_says_so_and_keeps_what_committed(db, tmp_path):
    ok(db, "seed")
    records = tmp_path / "big.jsonl"
    records.write_text(
        "\n".join(json.dumps({"author": f"A{n}", "content": "x" * 4000}) for n in range(2000))
    )
    size_now = db.stat().st_size

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        limit = size_now + 1_500_000
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), "import", str(records)],
        capture_output=True, text=True, timeout=60, env=cli_env(), preexec_fn=small_disk,
    )
    line = one_line_error(result)
    assert "disk is full" in line
    imported = int(line.split("(imported ")[1].split()[0])
    quotes = listed(db)
    assert len(quotes) == 2 + imported
    assert {"René Descartes", "Heraclitus"} <= {q["author"] for q in quotes}


#: Root ignores file permissions; without these capabilities it obeys them.
_DROP = "-dac_override,-dac_read_search,-fowner"


def run_unprivileged(db: Path, *args: str):
    """Run the CLI so that file permissions apply to it, even under root."""
    command = [sys.executable, "-m", "app", "--db", str(db), *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root and setpriv (util-linux) is not installed")
        command = [setpriv, f"--inh-caps={_DROP}", f"--bounding-set={_DROP}", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=30, env=cli_env())


@pytest.mark.parametrize("what", ["file", "folder and file"])
def test_a_read_only_store_is_refused_with_a_clear_error(tmp_path, what):
    folder = tmp_path / "store"
    folder.mkdir()
    db = folder / "quotes.db"
    ok(db, "seed")
    for path in folder.iterdir():
        path.chmod(0o444)
    if what == "folder and file":
        folder.chmod(0o555)
    try:
        line = one_line_error(run_unprivileged(db, "add", "--author", "A", "--content", "C"))
        assert "read-only" in line or "cannot open" in line, line
    finally:
        folder.chmod(0o755)
        for path in folder.iterdir():
            path.chmod(0o644)
    assert len(listed(db)) == 2


def test_a_new_store_in_a_read_only_folder_is_a_clear_error(tmp_path):
    tmp_path.chmod(0o555)
    try:
        line = one_line_error(run_unprivileged(tmp_path / "new.db", "list"))
        assert str(tmp_path / "new.db") in line
    finally:
        tmp_path.chmod(0o755)
