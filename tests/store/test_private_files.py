"""A store holds someone's quotes: new ones are private, and a full disk says so (issue 24, class 7).

A new embedded store is created readable by its owner only (0600, its
``-wal`` and ``-shm`` files too), the default store's folder 0700; a store
that exists keeps the mode it has. A disk that fills up is "the disk is
full", never "input/output error".
"""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from support.cli import Cli, Result, cli_env, one_line_error
from support.engines import ROOT


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _store_files(db: Path) -> list[Path]:
    return [path for path in db.parent.iterdir() if path.name.startswith(db.name)]


def test_a_new_store_is_readable_by_its_owner_only(tmp_path):
    db = tmp_path / "new.db"
    Cli.on_file(db).ok("add", "--author", "A", "--content", "C")
    assert {path.name: _mode(path) for path in _store_files(db)} == {
        path.name: 0o600 for path in _store_files(db)
    }
    assert _mode(db) == 0o600


def test_a_store_that_exists_keeps_its_mode(tmp_path):
    db = tmp_path / "shared.db"
    Cli.on_file(db).ok("seed")
    db.chmod(0o640)
    Cli.on_file(db).ok("add", "--author", "A", "--content", "C")
    assert _mode(db) == 0o640


@pytest.mark.e2e
def test_the_default_store_and_its_folder_are_private(tmp_path):
    data = tmp_path / "data"
    done = subprocess.run(
        [*Cli().argv("add", "--author", "A", "--content", "C")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=cli_env(XDG_DATA_HOME=str(data)),
    )
    assert done.returncode == 0, done.stderr
    assert _mode(data / "quotes") == 0o700
    assert _mode(data / "quotes" / "quotes.db") == 0o600


def _small_disk(folder: Path) -> list[str]:
    """A command prefix that runs with a 2 MiB file system mounted on ``folder``."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-m", "true"], capture_output=True).returncode:
        pytest.skip("needs unshare -m (root, or a user namespace) to mount a small file system")
    mount = f'mount -t tmpfs -o size=2m tmpfs {folder} && exec "$@"'
    return [unshare, "-m", "sh", "-c", mount, "sh"]


@pytest.mark.e2e
def test_a_full_disk_says_the_disk_is_full(tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    records = tmp_path / "big.jsonl"
    records.write_text("\n".join(json.dumps({"author": f"A{n}", "content": "x" * 4000}) for n in range(2000)))
    argv = Cli.on_file(folder / "q.db").argv("import", str(records))
    done = subprocess.run(
        [*_small_disk(folder), *argv], capture_output=True, text=True, timeout=120, cwd=ROOT, env=cli_env()
    )
    line = one_line_error(Result(done.returncode, done.stdout, done.stderr))
    assert "the disk is full" in line, line
    assert "input/output" not in line
