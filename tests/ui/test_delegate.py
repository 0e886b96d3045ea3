"""The card delegate: geometry that matches painting, the Like button, palettes, DPI,
and what a change costs the list: remembered heights, and no relayout for a like."""

import pytest
from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem
from support.card_views import MeasuringDelegate, all_measured_soon
from support.quotes import make_quote
from support.waiting import WAIT_MS

from app.sync.events import Changes, Snapshot
from app.ui import delegate as delegate_module
from app.ui.delegate import MARGIN_Y, QuoteDelegate, _HeightCache
from app.ui.model import QuoteListModel, Sort
from app.ui.roles import ContentRole, IdRole, LikesRole
from app.ui.view import QuoteListView

LONG = "All work and no play makes Jack a dull boy. " * 120


@pytest.fixture
def view(qtbot):
    model = QuoteListModel()
    model.apply(
        Snapshot(
            (
                make_quote("short", 3, 3, content="Brevity.", author="Anon"),
                make_quote("multi", 0, 2, content="First line\nsecond line\nthird line"),
                make_quote("long", 12345, 1, content=LONG, author="Jack " * 80),
            )
        )
    )
    view = QuoteListView()
    view.setModel(model)
    view.setItemDelegate(QuoteDelegate(view))
    view.resize(520, 700)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.doItemsLayout()
    return view


def index(view, quote_id):
    return view.model().index_of(quote_id)


def grab(view, rect: QRect) -> QImage:
    view.viewport().repaint()
    return view.viewport().grab(rect).toImage()


def test_size_hint_matches_the_painted_card(view):
    delegate = view.itemDelegate()
    heights = {}
    for quote_id in ("short", "multi", "long"):
        rect = view.visualRect(index(view, quote_id))
        heights[quote_id] = rect.height()
        assert rect.contains(delegate.like_button_rect(index(view, quote_id)))
    assert heights["short"] < heights["multi"] < heights["long"]


def test_long_quotes_are_cut_at_a_fixed_number_of_lines(view):
    view.scrollTo(index(view, "long"))
    long_height = view.visualRect(index(view, "long")).height()
    view.resize(360, 700)
    QApplication.processEvents()
    view.doItemsLayout()
    assert view.visualRect(index(view, "long")).height() == long_height  # still MAX_LINES lines


def test_narrower_views_give_taller_cards(view):
    medium = make_quote("medium", content="word " * 60)
    view.model().apply(Snapshot((medium,)))
    view.doItemsLayout()
    wide = view.visualRect(index(view, "medium")).height()
    view.resize(300, 700)
    QApplication.processEvents()
    view.doItemsLayout()
    assert view.visualRect(index(view, "medium")).height() > wide


def test_a_click_on_the_button_emits_the_id_under_it(qtbot, view):
    delegate = view.itemDelegate()
    button = delegate.like_button_rect(index(view, "multi"))
    with qtbot.waitSignal(delegate.likeClicked, timeout=1000) as signal:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=button.center())
    assert signal.args == ["multi"]


def test_clicks_beside_the_button_or_released_elsewhere_do_not_like(qtbot, view):
    delegate = view.itemDelegate()
    clicks = []
    delegate.likeClicked.connect(clicks.append)
    card = view.visualRect(index(view, "short"))
    button = delegate.like_button_rect(index(view, "short"))

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=card.center() - QPoint(150, 0))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=button.center())
    qtbot.mouseMove(view.viewport(), card.center() - QPoint(150, 0))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=card.center() - QPoint(150, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, pos=button.center())

    assert clicks == []


def test_the_button_shows_hover_and_pressed_states(qtbot, view):
    button = view.itemDelegate().like_button_rect(index(view, "short"))
    far = view.visualRect(index(view, "long")).center()
    qtbot.mouseMove(view.viewport(), far)
    normal = grab(view, button)

    qtbot.mouseMove(view.viewport(), button.center())
    hovered = grab(view, button)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=button.center())
    pressed = grab(view, button)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=button.center())

    assert normal != hovered
    assert pressed not in (normal, hovered)


def test_the_card_follows_the_palette(qtbot, view):
    card = view.visualRect(index(view, "short"))
    probe = QRect(card.left() + 40, card.top() + 12, 4, 4)  # card background, above the text
    qtbot.mouseMove(view.viewport(), view.visualRect(index(view, "long")).center())  # not hovering it
    for base in ("#ffffff", "#1e2127"):
        palette = QPalette(view.palette())
        palette.setColor(QPalette.ColorRole.Base, QColor(base))
        view.setPalette(palette)
        pixel = grab(view, probe).pixelColor(1, 1)
        assert pixel.name() == base


def heart_pixels(view, ratio: int) -> int:
    """Device pixels of the Like heart when a card is painted at ``ratio``."""
    delegate = view.itemDelegate()
    idx = index(view, "short")
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.widget = view
    option.rect = QRect(0, 0, view.viewport().width(), delegate.sizeHint(option, idx).height())
    image = QImage(option.rect.size() * ratio, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    delegate.paint(painter, option, idx)
    painter.end()
    return sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).red() > 200 and image.pixelColor(x, y).green() < 80
    )


def test_paints_at_twice_the_pixel_density_at_the_same_logical_size(view):
    # The heart covers the same logical area, so four times the device pixels.
    assert heart_pixels(view, 2) > 3.5 * heart_pixels(view, 1) > 0


# -- what a change costs the list ------------------------------------------------------


@pytest.fixture
def long_view(qtbot):
    """300 cards of different heights, most of them out of sight."""
    model = QuoteListModel()
    model.apply(
        Snapshot(
            tuple(
                make_quote(f"q{n:03d}", n % 5, n, content=f"Quote {n} " + "words " * (n % 9 * 5))
                for n in range(300)
            )
        )
    )
    view = QuoteListView()
    view.setModel(model)
    view.setItemDelegate(MeasuringDelegate(view))
    view.resize(520, 700)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.doItemsLayout()
    qtbot.waitUntil(all_measured_soon(view), timeout=WAIT_MS)  # the rows out of sight are measured while idle
    for _ in range(3):  # the paint the layout asked for comes a turn later
        QApplication.processEvents()
    view.itemDelegate().sized.clear()
    return view


def updated(view, quote_id, **fields):
    """A fresh copy of a shown quote with ``fields`` changed, as a live collection sends it."""
    assert view.model().index_of(quote_id).isValid()
    quote = view.model().quotes[view.model().index_of(quote_id).row()]
    return Changes(updated=(quote.replace(**fields),))


def test_a_like_does_not_measure_the_other_cards(long_view):
    row = long_view.model().index_of("q150").row()
    long_view.model().apply(updated(long_view, "q150", likes=10**9))
    QApplication.processEvents()
    assert set(long_view.itemDelegate().sized) <= {row}


def test_a_pending_like_on_a_shown_card_repaints_it_without_a_relayout(long_view):
    top = long_view.indexAt(QPoint(long_view.viewport().width() // 2, 5))
    before = long_view.visualRect(top)
    long_view.model().quotes.like_pending(top.data(IdRole))
    QApplication.processEvents()
    sized = long_view.itemDelegate().sized
    assert len(sized) < 30  # the cards in sight, when they are repainted
    assert long_view.visualRect(top) == before


def test_a_like_widens_the_button_but_keeps_the_card_height(long_view):
    index = long_view.indexAt(QPoint(long_view.viewport().width() // 2, 5))
    card = long_view.visualRect(index)
    delegate = long_view.itemDelegate()
    button = delegate.like_button_rect(index)
    long_view.model().apply(updated(long_view, index.data(IdRole), likes=123_456_789))
    QApplication.processEvents()
    wider = delegate.like_button_rect(index)
    assert wider.width() > button.width() and wider.height() == button.height()
    assert long_view.visualRect(index) == card
    assert card.contains(wider)


def test_a_content_update_measures_that_card_again_and_moves_the_ones_below(long_view):
    index = long_view.model().index_of("q100")
    below = long_view.model().index(index.row() + 1, 0)
    short = long_view.visualRect(index).height()
    long_view.model().apply(updated(long_view, "q100", content="words " * 150))
    QApplication.processEvents()
    long_view.executeDelayedItemsLayout()
    taller = long_view.visualRect(index)
    assert taller.height() > short
    assert long_view.visualRect(below).top() == taller.bottom() + 1  # the cards below make room
    assert set(long_view.itemDelegate().sized) == {index.row()}  # only the changed card


def test_heights_are_remembered_between_layouts(qtbot, long_view, monkeypatch):
    delegate = long_view.itemDelegate()
    wrapped = []  # texts laid out to measure a card (painting one lays it out too)
    original = delegate_module._wrap
    monkeypatch.setattr(
        delegate_module,
        "_wrap",
        lambda *a: (delegate.measuring and wrapped.append(a)) or original(*a),
    )
    model = long_view.model()

    def heights():
        return {model.index(r).data(IdRole): long_view.rowHeight(r) for r in range(300)}

    before = heights()
    long_view.doItemsLayout()
    assert delegate.sized == []  # a layout measures no row twice

    # A re-sort, then a resync: every row is measured again, while idle, from the cache.
    for change in (lambda: model.set_sort(Sort.MOST_LIKED), lambda: model.quotes.reset(list(model.quotes))):
        change()
        qtbot.waitUntil(all_measured_soon(long_view), timeout=WAIT_MS)
        assert sorted(delegate.sized) == list(range(300))
        assert not wrapped  # no text laid out again to size the rows
        assert len(delegate._heights) == 300
        assert heights() == before
        delegate.sized.clear()


def test_size_hint_matches_the_card_laid_out_for_painting(view):
    delegate = view.itemDelegate()
    width = view.viewport().width()
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.widget = view
    for quote_id in ("short", "multi", "long"):
        idx = index(view, quote_id)
        layout = delegate._layout(
            QRectF(0, 0, width, 0), option.font, idx.data(ContentRole), idx.data(LikesRole)
        )
        height = delegate.sizeHint(option, idx).height()
        assert 0 <= height - (layout.card.bottom() + MARGIN_Y) <= 1.5


def test_a_new_width_or_font_empties_the_height_cache(qapp):
    cache = _HeightCache()
    text = "word " * 80
    font = QFont(qapp.font())
    wide = cache.height(text, font, 800)
    assert cache.height(text, font, 800) == wide and len(cache) == 1
    narrow = cache.height(text, font, 300)
    assert narrow > wide and len(cache) == 1
    big = QFont(font)
    big.setPointSizeF(font.pointSizeF() * 2)
    assert cache.height(text, big, 300) > narrow and len(cache) == 1
    assert cache.height(text, font, 800) == wide


def test_the_height_cache_is_bounded(qapp):
    cache = _HeightCache(limit=4)
    font = QFont(qapp.font())
    heights = [cache.height("word " * n, font, 400) for n in range(1, 60, 6)]
    assert len(cache) <= 4
    assert [cache.height("word " * n, font, 400) for n in range(1, 60, 6)] == heights
    assert heights[-1] > heights[0]


def _card_height(delegate, option, idx) -> float:
    layout = delegate._layout(QRectF(0, 0, 400, 0), option.font, idx.data(ContentRole), idx.data(LikesRole))
    return layout.card.height()


def test_likes_pending_marks_and_authors_do_not_change_a_card_height(view):
    delegate = view.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.widget = view
    model = view.model()
    model.apply(Snapshot((make_quote("x", 0, content="Same words.", author="A"),)))
    plain = _card_height(delegate, option, index(view, "x"))
    model.apply(Snapshot((make_quote("x", 10**12, content="Same words.", author="Jack " * 80),)))
    model.quotes.like_pending("x")
    busy = _card_height(delegate, option, index(view, "x"))
    assert busy == plain


def test_a_card_is_drawn_once_and_drawn_again_when_what_it_shows_changes(view):
    """Cards are kept as pixmaps: a repaint copies them, a change draws anew."""
    delegate = view.itemDelegate()
    drawn = []
    original = delegate._paint_card
    delegate._paint_card = lambda *args: (drawn.append(args[2].data(IdRole)), original(*args))
    card = view.visualRect(index(view, "short"))
    before = grab(view, card)
    drawn.clear()
    assert grab(view, card) == before and drawn == [], "nothing changed: copied, not drawn"

    view.model().apply(Changes(updated=(make_quote("short", 4, 3, content="Brevity.", author="Anon"),)))
    after = grab(view, card)

    assert drawn == ["short"] and after != before
    view.model().apply(Changes(updated=(make_quote("short", 4, 3, content="Brevity!", author="Anon"),)))
    assert grab(view, card) != after


def test_a_paint_past_its_budget_shows_moment_old_cards_and_paints_again(view, monkeypatch):
    """Under a burst, one paint draws a card anew (the budget here is that small); the
    others show their last picture for a frame, and the next paints catch up."""
    monkeypatch.setattr(delegate_module, "RENDER_BUDGET_S", 1e-9)
    delegate = view.itemDelegate()
    drawn = []
    original = delegate._paint_card
    delegate._paint_card = lambda *args: (drawn.append(args[2].data(IdRole)), original(*args))
    cards = [view.visualRect(index(view, quote_id)) for quote_id in ("short", "multi", "long")]

    def shots():
        """One paint of the whole list, cut into its cards."""
        image = view.viewport().grab().toImage()
        return [image.copy(card) for card in cards]

    before = shots()
    drawn.clear()
    model = view.model()
    quotes = [model.quotes[row] for row in range(model.rowCount())]
    model.apply(Changes(updated=tuple(q.replace(likes=q.likes + 1) for q in quotes)))

    first = shots()
    assert len(drawn) == 1 and delegate.owes_paint
    assert sum(a != b for a, b in zip(first, before, strict=True)) == 1, "the others as they were"
    shots()
    last = shots()
    assert sorted(drawn) == ["long", "multi", "short"] and not delegate.owes_paint
    assert all(a != b for a, b in zip(last, before, strict=True))


def test_a_changed_card_is_drawn_between_paints_and_the_paint_copies_it(view, qtbot, monkeypatch):
    drawn = []  # (quote id, drawn inside a paint?)
    painting = []
    original_card, original_paint = QuoteDelegate._paint_card, QuoteDelegate.paint

    def paint_card(self, painter, option, index, card):
        drawn.append((index.data(IdRole), bool(painting)))
        original_card(self, painter, option, index, card)

    def paint(self, *args):
        painting.append(True)
        try:
            original_paint(self, *args)
        finally:
            painting.pop()

    monkeypatch.setattr(QuoteDelegate, "_paint_card", paint_card)
    monkeypatch.setattr(QuoteDelegate, "paint", paint)
    view.viewport().grab()
    drawn.clear()

    # No paint until the card is drawn: whether a paint or the event loop's next
    # turn comes first is up to Qt and the machine, and is not what is tested.
    view.setUpdatesEnabled(False)
    view.model().apply(Changes(updated=(make_quote("short", 4, 3, content="Brevity.", author="Anon"),)))
    qtbot.waitUntil(lambda: bool(drawn), timeout=WAIT_MS)
    assert set(drawn) == {("short", False)}, "drawn ahead, outside a paint"
    view.setUpdatesEnabled(True)
    view.viewport().grab()
    assert set(drawn) == {("short", False)}, "the paint copied it"
