"""Odd ``--db`` paths: one line, the right exit status, nothing created or changed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support.cli import Cli, Result, cli_env, one_line_error, run_unprivileged


def files_in(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def test_dev_null_is_refused_before_sqlite_writes_beside_it():
    before = sorted(p for p in os.listdir("/dev") if p.startswith("null"))
    line = one_line_error(Cli.on_file(Path("/dev/null")).run("list"), 2)
    assert "/dev/null is not a regular file" in line
    assert sorted(p for p in os.listdir("/dev") if p.startswith("null")) == before


@pytest.mark.parametrize("kind", ["fifo", "symlink to /dev/null"])
def test_other_files_that_are_not_regular_are_refused(tmp_path, kind):
    path = tmp_path / "store.db"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/null")
    before = files_in(tmp_path)
    line = one_line_error(Cli.on_file(path).run("add", "--author", "A", "--content", "C"), 2)
    assert "is not a regular file" in line
    assert files_in(tmp_path) == before


@pytest.mark.e2e
@pytest.mark.parametrize("command", [["list"], ["add", "--author", "A", "--content", "C"]])
def test_a_store_in_a_folder_you_cannot_enter_is_one_line(tmp_path, command):
    locked = tmp_path / "locked"
    locked.mkdir()
    cli = Cli.on_file(locked / "q.db")
    cli.ok("seed")
    before = files_in(locked)
    locked.chmod(0)
    try:
        line = one_line_error(run_unprivileged(cli, *command))
    finally:
        locked.chmod(0o755)
    assert "Permission denied" in line and str(locked / "q.db") in line
    assert files_in(locked) == before


def _read_only_mount(folder: Path) -> list[str]:
    """A command prefix that runs with ``folder`` mounted read-only (a private mount)."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-m", "true"], capture_output=True).returncode:
        pytest.skip("needs unshare -m (root, or a user namespace) for a read-only mount")
    mount = f'mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && exec "$@"'
    return [unshare, "-m", "sh", "-c", mount, "sh"]


@pytest.mark.e2e
@pytest.mark.parametrize("command", [["list"], ["export"], ["add", "--author", "A", "--content", "C"]])
def test_a_store_on_a_read_only_mount_says_so(tmp_path, command):
    folder = tmp_path / "mounted"
    folder.mkdir()
    db = folder / "q.db"
    cli = Cli.on_file(db)
    cli.ok("seed")
    before = files_in(folder)
    done = subprocess.run(
        [*_read_only_mount(folder), *cli.argv(*command)],
        capture_output=True,
        text=True,
        timeout=60,
        env=cli_env(),
    )
    line = one_line_error(Result(done.returncode, done.stdout, done.stderr))
    assert line == f"quotes: cannot open store {db} (it is on a read-only file system)"
    assert files_in(folder) == before
    assert len(cli.listed()) == 2
