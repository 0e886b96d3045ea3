"""The screenshot command renders the window; here into a temporary folder, never docs/."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "screenshots.py"


@pytest.mark.e2e
def test_the_screenshot_command_renders_every_shot_into_the_folder_given(tmp_path):
    docs = {p: p.stat().st_mtime_ns for p in (ROOT / "docs").glob("*.png")}
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    shots = {p.name: QImage(str(p)) for p in tmp_path.glob("*.png")}
    names = ("light", "dark", "narrow", "scaled", "detail", "search", "delete", "pill", "import")
    assert set(shots) == {f"screenshot-{name}.png" for name in names}
    assert shots["screenshot-narrow.png"].width() == 480
    light, scaled = shots["screenshot-light.png"], shots["screenshot-scaled.png"]
    assert scaled.width() == 2 * light.width()
    assert shots["screenshot-detail.png"].width() > light.width()  # the pane beside the list
    # Cards are drawn in the palette's base colour: white in light, dark grey in dark.
    assert light.pixelColor(300, 72).name() == "#ffffff"
    assert shots["screenshot-dark.png"].pixelColor(300, 72).name() == "#272a30"
    assert docs == {p: p.stat().st_mtime_ns for p in (ROOT / "docs").glob("*.png")}
