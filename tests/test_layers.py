"""The layers hold: Qt stays in app.ui, and each layer imports only those below it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def test_import_linter_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency"
    result = subprocess.run([lint], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Qt stays in app.ui KEPT" in result.stdout
    assert "Layers: ui | cli > client > sync > repo > store KEPT" in result.stdout


def test_core_client_and_cli_import_no_qt():
    code = (
        "import sys, app.store, app.store.sqlite, app.store.fdb, app.repo, app.sync.live, app.client,"
        " app.client.runtime, app.cli\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync', 'shiboken6'))\n"
        "assert not leaked, leaked"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
