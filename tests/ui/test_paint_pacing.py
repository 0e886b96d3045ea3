"""The card list paints at most once a frame while changes stream in, and at once after a quiet spell."""

from time import monotonic

from PySide6.QtCore import QEvent, QObject
from support.card_views import all_measured_soon, make_view
from support.quotes import make_quote
from support.waiting import WAIT_MS

from app.sync.events import Changes
from app.ui.paint_pacing import FRAME_S
from app.ui.roles import IdRole


class Paints(QObject):
    """Counts the paints of a widget (and those while its repaints were held), and
    notes when the last one came."""

    def __init__(self, widget) -> None:
        super().__init__(widget)
        self.count = self.held = 0
        self.last = float("-inf")
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
            self.held += not obj.updatesEnabled()
            self.last = monotonic()
        return False


def settled_view(qtbot):
    """A view of 50 cards, every row measured (so nothing repaints by itself), just painted."""
    view, _ = make_view(qtbot, 50)
    qtbot.waitUntil(all_measured_soon(view), timeout=WAIT_MS)
    paints = Paints(view.viewport())
    view.viewport().update()
    qtbot.waitUntil(lambda: paints.count > 0, timeout=WAIT_MS)
    return view, view.viewport(), paints


def insert(view, n: int) -> None:
    view.model().apply(Changes(inserted=(make_quote(f"new{n}", 0, 10_000 + n),)))


def test_changes_within_a_frame_of_a_paint_are_painted_once_when_the_frame_ends(qtbot, monkeypatch):
    view, viewport, paints = settled_view(qtbot)
    # A long frame: the changes below come "within a frame of the paint" however
    # long this machine takes to get to them.
    monkeypatch.setattr(view._pacer, "_frame_s", 1.0)
    painted = paints.count

    for n in range(10):
        insert(view, n)
    assert not viewport.updatesEnabled(), "held: a paint came less than a frame ago"
    assert paints.count == painted

    qtbot.waitUntil(lambda: paints.count == painted + 1, timeout=WAIT_MS)
    assert paints.held == 0, "no paint while held"
    assert viewport.updatesEnabled()
    assert view.model().index(0).data(IdRole) == "new9" and view.rowAt(0) == 0


def test_a_change_after_a_quiet_spell_paints_at_once(qtbot):
    view, viewport, paints = settled_view(qtbot)
    # A frame from the last paint's start, and as long again for the paint itself.
    qtbot.waitUntil(lambda: monotonic() - paints.last > 2 * FRAME_S, timeout=WAIT_MS)
    painted = paints.count

    insert(view, 1)

    assert viewport.updatesEnabled()
    qtbot.waitUntil(lambda: paints.count > painted, timeout=WAIT_MS)
