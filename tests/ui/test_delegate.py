"""The card delegate: geometry that matches painting, the Like button, palettes, DPI."""

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from app.sync.events import Snapshot
from app.ui.delegate import QuoteDelegate
from app.ui.model import QuoteListModel
from app.ui.view import QuoteListView
from tests.ui.helpers import make_quote

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
    qtbot.mouseRelease(
        view.viewport(), Qt.MouseButton.LeftButton, pos=card.center() - QPoint(150, 0)
    )
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
    qtbot.mouseMove(
        view.viewport(), view.visualRect(index(view, "long")).center()
    )  # not hovering it
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
