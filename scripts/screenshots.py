"""Regenerate the README's screenshots of the window: ``scripts/screenshots [--out DIR]``.

Each shot opens the real window (offscreen) on a fresh temporary store with
the same six quotes, in a fixed light or dark palette, and saves
``screenshot-NAME.png`` into DIR (docs/ by default):

- light, dark: the window in each palette;
- narrow: 480 px wide (the window's minimum);
- scaled: QT_SCALE_FACTOR=2 (run in a child process: the factor is read at start-up);
- detail: the detail pane open on a long quote;
- search: a search in progress;
- delete: the Delete question (the dialog alone);
- pill: quotes added above the part being read, and the "N new ↑" pill;
- import: File ▸ Import…'s progress dialog (the dialog alone), at a step
  the import reports.

Nothing here runs in the test suite's checkout: the suite only renders into
a temporary folder (tests/ui/test_screenshots.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.client import QuoteSession, Step  # noqa: E402
from app.repo import open_repo  # noqa: E402
from app.ui.app import application  # noqa: E402
from app.ui.job_progress import JobProgress  # noqa: E402
from app.ui.model import Sort  # noqa: E402
from app.ui.window import MainWindow  # noqa: E402

QUOTES = [
    ("Heraclitus", "One cannot step twice in the same river.", 12),
    ("René Descartes", "Cogito, ergo sum.", 7),
    (
        "Ada Lovelace",
        "The Analytical Engine weaves algebraic patterns "
        "just as the Jacquard loom weaves flowers and leaves.",
        31,
    ),
    (
        "Marcus Aurelius",
        "The impediment to action advances action. What stands in the way becomes the way. "
        "Our actions may be impeded, but there can be no impeding our intentions or "
        "dispositions, because we can accommodate and adapt.",
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
    "PlaceholderText": "#5f6570",
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
    "PlaceholderText": "#a3a9b3",
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

#: name -> (palette, window width, height)
SHOTS = {
    "light": (LIGHT, 780, 760),
    "dark": (DARK, 780, 760),
    "narrow": (LIGHT, 480, 700),
    "scaled": (LIGHT, 780, 760),
    "detail": (LIGHT, 1000, 700),
    "search": (DARK, 780, 600),
    "delete": (LIGHT, 780, 600),
    "pill": (LIGHT, 600, 420),
    "import": (LIGHT, 780, 600),
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


async def _until(condition, timeout: float = 20.0) -> None:
    """A script, not a test: poll until the window shows what the shot needs."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError("the window did not get ready")
        await asyncio.sleep(0.02)


async def shoot(name: str, out: Path, scratch: Path) -> Path:
    colours, width, height = SHOTS[name]
    QApplication.instance().setPalette(palette(colours))
    repo = open_repo(scratch / f"{name}.db", create=True)
    by_author = {}
    for author, content, likes in QUOTES:
        quote = repo.insert(author, content)
        repo.like(quote.id, likes)
        by_author[author] = quote.id
    settings = QSettings(str(scratch / f"{name}.ini"), QSettings.Format.IniFormat)
    window = MainWindow(QuoteSession(repo), settings)
    try:
        window.show()
        window.start()
        await _until(lambda: window.model.rowCount() == len(QUOTES))
        window.set_sort(Sort.MOST_LIKED)
        window.resize(width, height)
        window.select(by_author["Marcus Aurelius"])
        if name == "detail":
            window.action_set.details.setChecked(True)
            await _until(lambda: window.detail.author.text() == "— Marcus Aurelius")
        if name == "search":
            window.action_set.find.trigger()
            window.lists.search_bar.field.setText("way")
            window.select(by_author["Marcus Aurelius"])
        window.lists.shown.scrollToTop()
        await asyncio.sleep(0.2)  # the layout settles
        shown = window
        if name == "delete":
            shown = window.commands.delete_selected()
            await asyncio.sleep(0.2)
        if name == "import":
            shown = JobProgress("Import quotes-all.jsonl", window)
            shown.show_step(Step("Importing 40,000 of 100,000 quotes…", 40_000, 100_000))
            shown.show()
            await asyncio.sleep(0.2)
        if name == "pill":  # newest first: the new quotes go above
            window.set_sort(Sort.NEWEST)
            window.lists.clear_selection()
            await asyncio.sleep(0.2)
            bar = window.view.verticalScrollBar()
            bar.setValue(bar.maximum() // 2)
            for n in range(3):
                repo.insert("Newcomer", f"Added elsewhere while you read, number {n + 1}.")
            await _until(lambda: window.lists.pill.count == 3)
            await asyncio.sleep(0.2)
        path = out / f"screenshot-{name}.png"
        if not shown.grab().toImage().save(str(path)):
            raise OSError(f"could not write {path}")
        return path
    finally:
        window.close()
        await window.wait_closed()
        repo.close()


async def _shoot_all(names: list[str], out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="quotes-shots-") as scratch:
        for name in names:
            print(await shoot(name, out, Path(scratch)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--only", choices=list(SHOTS), action="append")
    args = parser.parse_args(argv)
    names = args.only or list(SHOTS)
    args.out.mkdir(parents=True, exist_ok=True)
    if "scaled" in names and os.environ.get("QT_SCALE_FACTOR") != "2":
        names.remove("scaled")
        env = {**os.environ, "QT_SCALE_FACTOR": "2"}
        command = [sys.executable, __file__, "--out", str(args.out), "--only", "scaled"]
        subprocess.run(command, env=env, check=True)
    if not names:
        return 0
    loop = qasync.QEventLoop(application(sys.argv[:1]))
    with loop:
        loop.run_until_complete(_shoot_all(names, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
