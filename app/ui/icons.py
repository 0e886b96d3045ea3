"""Icons: the desktop theme's when it has one, else the bundled SVG.

SVG icons are drawn by Qt's SVG icon engine at whatever size and device
pixel ratio they are painted at, so they stay sharp on high-DPI screens.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

import app


def _resources() -> Path:
    """Installed, the resources ship inside the package; in a checkout (and a
    PyInstaller build) they sit beside it."""
    package = Path(app.__file__).parent
    inside = package / "resources"
    return inside if inside.is_dir() else package.parent / "resources"


ICONS = _resources() / "icons"

#: Bundled icon name -> freedesktop icon-theme name.
_THEME_NAMES = {
    "add": "list-add",
    "delete": "edit-delete",
    "like": "emblem-favorite",
    "quit": "application-exit",
}


def bundled(name: str) -> QIcon:
    """The bundled SVG ``resources/icons/<name>.svg``, whatever the theme."""
    path = ICONS / f"{name}.svg"
    if not path.is_file():
        raise FileNotFoundError(f"missing icon {path}")
    return QIcon(str(path))


def themed(name: str) -> QIcon:
    """The theme's icon for an action, falling back to the bundled one."""
    return QIcon.fromTheme(_THEME_NAMES[name], bundled(name))


def app_icon() -> QIcon:
    return bundled("quotes")
