"""A card and the detail pane say the same "N minutes ago" for one quote: one clock."""

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from support.quotes import make_quote
from support.waiting import WAIT_MS

from app.ui import dates


def card_says(window, quote_id: str) -> str:
    """When the card says the quote was added (what it reads out to assistive tools)."""
    text = window.model.index_of(quote_id).data(Qt.ItemDataRole.AccessibleTextRole)
    return text.rsplit(", added ", 1)[1]


def pane_says(window) -> str:
    return window.detail.times.text().split("\n")[0].removeprefix("Added ").split(" (")[0]


def test_a_card_and_the_detail_pane_agree_across_a_minute(qtbot, open_window, repo, other_writer):
    dates.clock().tick()
    # Added a moment before it turns five minutes old, by the clock.
    added = dates.clock().now - timedelta(minutes=5) + timedelta(milliseconds=400)
    quote = make_quote(author="Heraclitus", content="Everything flows.", inserted_at=added)
    repo.restore(quote)
    window = open_window(repo)
    window.select(quote.id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(window.view, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: window.detail.quote is not None, timeout=WAIT_MS)
    assert pane_says(window) == card_says(window, quote.id) == "4 minutes ago"

    # Five minutes have passed by the wall clock; a like elsewhere shows the quote
    # again in both places: neither reads the time for itself.
    qtbot.waitUntil(lambda: datetime.now(UTC) > added + timedelta(minutes=5), timeout=WAIT_MS)
    other_writer.like(quote.id)
    qtbot.waitUntil(lambda: window.detail.likes.text() == "1 like", timeout=WAIT_MS)
    assert pane_says(window) == card_says(window, quote.id) == "4 minutes ago"

    dates.clock().tick()  # the clock's minute: both move on together
    assert pane_says(window) == card_says(window, quote.id) == "5 minutes ago"
