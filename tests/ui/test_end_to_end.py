"""A window in this process; another process edits the store through the command line."""

import subprocess
import sys
from pathlib import Path

import pytest
from support.waiting import WAIT_MS
from support.window import shown_ids, shown_likes

from app.ui.model import Sort

ROOT = Path(__file__).resolve().parents[2]


def quotes_command(qtbot, db, *args) -> str:
    """Run ``python -m app --db DB ARGS`` while the window keeps running; its output."""
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=WAIT_MS)
    out, err = process.communicate()
    assert process.returncode == 0, err
    return out.strip()


@pytest.mark.e2e
def test_another_process_likes_adds_and_deletes_while_the_selection_stays(qtbot, open_window, repo, db):
    repo.seed()
    doomed = repo.insert("Ephemeral", "Here today, gone tomorrow.")
    window = open_window(repo)
    window.set_sort(Sort.MOST_LIKED)
    heraclitus = next(q.id for q in repo.read_all() if q.author == "Heraclitus")
    window.select(heraclitus)

    def still_selected():
        assert window.selected_id() == heraclitus
        assert window.view.currentIndex() == window.model.index_of(heraclitus)

    quotes_command(qtbot, db, "like", heraclitus)
    qtbot.waitUntil(lambda: shown_likes(window, heraclitus) == 1, timeout=WAIT_MS)
    assert shown_ids(window)[0] == heraclitus  # the like moved it to the top
    still_selected()

    new_id = quotes_command(
        qtbot,
        db,
        "add",
        "--author",
        "Lao Tzu",
        "--content",
        "A journey of a thousand miles begins with one step.",
    )
    qtbot.waitUntil(lambda: window.model.index_of(new_id).isValid(), timeout=WAIT_MS)
    still_selected()

    quotes_command(qtbot, db, "delete", doomed.id)
    qtbot.waitUntil(lambda: not window.model.index_of(doomed.id).isValid(), timeout=WAIT_MS)
    still_selected()
    assert window.model.rowCount() == 3
