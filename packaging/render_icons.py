"""Render the application icon's PNG sizes from resources/icons/quotes.svg.

Run after changing the SVG: ``QT_QPA_PLATFORM=offscreen python packaging/render_icons.py``.
The PNGs land in resources/icons/hicolor/, laid out as a freedesktop icon theme.
"""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

APP_ID = "org.quotesapp.Quotes"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def main() -> None:
    QGuiApplication([])
    renderer = QSvgRenderer(str(ICONS / "quotes.svg"))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        target = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(str(target))
    scalable = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes((ICONS / "quotes.svg").read_bytes())


if __name__ == "__main__":
    main()
