"""Screenshots of the window in a light and a dark palette, saved under docs/."""

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette

from app.ui.model import Sort
from app.repo.snapshot import read_all

DOCS = Path(__file__).resolve().parents[2] / "docs"

QUOTES = [
    ("Heraclitus", "One cannot step twice in the same river.", 12),
    ("Descartes", "Cogito, ergo sum.", 7),
    (
        "Ada Lovelace",
        "The Analytical Engine weaves algebraic patterns "
        "just as the Jacquard loom weaves flowers and leaves.",
        31,
    ),
    (
        "Marcus Aurelius",
        "The impediment to action advances action. What stands in the way becomes the way.",
        18,
    ),
    (
        "Grace Hopper",
        "The most dangerous phrase in the language is: we've always done it this way.",
        4,
    ),
    (
        "Antoine de Saint-Exupéry",
        "Perfection is achieved, not when there is nothing more to add, "
        "but when there is nothing left to take away.",
        9,
    ),
]

LIGHT = {
    "Window": "#eef0f3",
    "WindowText": "#1d2026",
    "Base": "#ffffff",
    "AlternateBase": "#f6f7f9",
    "Text": "#1d2026",
    "Button": "#f7f8fa",
    "ButtonText": "#1d2026",
    "Highlight": "#3b73d9",
    "HighlightedText": "#ffffff",
    "PlaceholderText": "#7a808a",
    "ToolTipBase": "#ffffff",
    "ToolTipText": "#1d2026",
    "Light": "#ffffff",
    "Midlight": "#e3e6ea",
    "Mid": "#c5cad1",
    "Dark": "#9aa1ab",
    "Shadow": "#5c636e",
    "BrightText": "#ffffff",
    "Link": "#2f64c8",
}
DARK = {
    "Window": "#1c1e22",
    "WindowText": "#e4e6ea",
    "Base": "#272a30",
    "AlternateBase": "#2d3037",
    "Text": "#e8eaee",
    "Button": "#2b2e34",
    "ButtonText": "#e4e6ea",
    "Highlight": "#5b8def",
    "HighlightedText": "#ffffff",
    "PlaceholderText": "#8d939d",
    "ToolTipBase": "#2b2e34",
    "ToolTipText": "#e4e6ea",
    "Light": "#3a3e46",
    "Midlight": "#33363d",
    "Mid": "#4a4f58",
    "Dark": "#15171a",
    "Shadow": "#000000",
    "BrightText": "#ffffff",
    "Link": "#7ea6f5",
}


def palette(colours: dict[str, str]) -> QPalette:
    result = QPalette()
    for role, colour in colours.items():
        result.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for role in ("WindowText", "Text", "ButtonText"):
        disabled = QColor(colours[role])
        disabled.setAlphaF(0.45)
        result.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role), disabled)
    return result


@pytest.fixture
def app_palette(qapp):
    saved = qapp.palette()
    yield lambda colours: qapp.setPalette(palette(colours))
    qapp.setPalette(saved)


@pytest.mark.parametrize(("name", "colours"), [("light", LIGHT), ("dark", DARK)])
def test_screenshot(qtbot, open_window, repo, app_palette, name, colours):
    app_palette(colours)
    for author, content, likes in QUOTES:
        quote = repo.insert(author, content)
        repo.like(quote.id, likes)
    window = open_window(repo)
    window.set_sort(Sort.MOST_LIKED)
    window.resize(780, 760)
    window.select(next(q.id for q in read_all(repo) if q.author == "Marcus Aurelius"))
    window.view.scrollToTop()
    qtbot.waitUntil(lambda: window.model.rowCount() == len(QUOTES), timeout=10_000)

    DOCS.mkdir(exist_ok=True)
    image = window.grab().toImage()
    assert image.save(str(DOCS / f"screenshot-{name}.png"))
    card = window.view.visualRect(window.model.index(0))
    inside = window.view.viewport().mapTo(window, card.topLeft() + QPoint(40, 12))
    assert (
        image.pixelColor(inside).name() == colours["Base"]
    )  # cards are drawn in the palette's colours
