"""The desktop entry and AppStream metainfo pass the freedesktop validators."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[1] / "packaging"
APP_ID = "org.quotesapp.Quotes"


def validator(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (scripts/setup installs it)")
    return path


def test_desktop_entry_is_valid():
    result = subprocess.run(
        [validator("desktop-file-validate"), str(PACKAGING / f"{APP_ID}.desktop")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


def test_appstream_metainfo_is_valid():
    result = subprocess.run(
        [validator("appstreamcli"), "validate", "--no-net", str(PACKAGING / f"{APP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_icon_size_is_rendered():
    hicolor = PACKAGING.parent / "resources" / "icons" / "hicolor"
    sizes = sorted(int(p.parent.parent.name.split("x")[0]) for p in hicolor.glob(f"*x*/apps/{APP_ID}.png"))
    assert sizes == [16, 24, 32, 48, 64, 128, 256, 512]
    assert (hicolor / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
