"""Colours derived from the palette, with the contrast text needs (WCAG 2: 4.5:1).

Secondary text (authors, dates, counts, notes) recedes by moving the text
colour towards the background, but only as far as it still reads: 4.5:1
against that background, in light and dark palettes alike.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

#: The least contrast secondary text keeps against its background.
MIN_CONTRAST = 4.5


def blend(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def secondary(text: QColor, background: QColor, amount: float = 0.42) -> QColor:
    """``text`` receded up to ``amount`` towards ``background``, keeping MIN_CONTRAST."""
    while amount > 0:
        colour = blend(text, background, amount)
        if contrast(colour, background) >= MIN_CONTRAST:
            return colour
        amount -= 0.02
    return QColor(text)


def recede(widget: QWidget, background: QPalette.ColorRole = QPalette.ColorRole.Window) -> None:
    """Show ``widget``'s text as secondary text over the ``background`` role."""
    palette = widget.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        colour = secondary(
            palette.color(group, QPalette.ColorRole.WindowText), palette.color(group, background)
        )
        palette.setColor(group, QPalette.ColorRole.WindowText, colour)
    widget.setPalette(palette)
