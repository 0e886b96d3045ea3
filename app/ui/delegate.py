"""The card delegate: paints one quote as a card with a Like button.

It follows qutebrowser's completion-delegate discipline: ``paint`` saves and
restores the painter around small ``_draw_*`` helpers, ``sizeHint`` and
``paint`` share the same wrapping and metrics so they always agree, and the
delegate reads a quote only through the model's roles. Colours come from the
palette, so the card follows light and dark themes; geometry is in
device-independent pixels and text is laid out by Qt, so it stays sharp at any
device pixel ratio.

The view asks ``sizeHint`` for the rows it shows, and for the others while
the window is idle and again after a resize, so card heights are remembered
by content for the current font and width (``_HeightCache``): measuring a
card lays its text out, remembering it is a dictionary look-up.
``typical_height`` is the view's guess for a card it has not measured yet.

The Like button is not a widget: hover and pressed states are tracked from
the mouse events the view forwards to ``editorEvent``, and a click on it
emits ``likeClicked`` with the quote's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from PySide6.QtCore import (
    QEvent,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPen,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from app.ui import icons, plain_text
from app.ui.card_pixmaps import CardPixmaps
from app.ui.colours import blend as _blend
from app.ui.colours import secondary
from app.ui.dates import relative
from app.ui.roles import (
    Card,
    CardRole,
    ContentRole,
    FlashRole,
    IdRole,
    LikesRole,
    PendingRole,
)

MARGIN_X, MARGIN_Y = 12.0, 6.0  # around the card
PADDING = 16.0  # inside the card
GAP = 12.0  # between the quote and its footer
RADIUS = 10.0
SHADOW_Y = 1.5  # how far the card's shadow shows below it
#: Card frames kept (one per card height and state in sight, see ``CardPixmaps``).
FRAME_LIMIT = 16
#: How long one paint may spend drawing cards anew before moment-old ones stand in.
RENDER_BUDGET_S = 0.003
BUTTON_PAD_X, BUTTON_PAD_Y = 10.0, 5.0
ICON_SIZE, ICON_GAP = 16.0, 6.0
MAX_LINES = 12  # longer quotes are elided; the detail pane (Enter) shows them whole
MIN_WIDTH = 200

#: Roles a card's size does not depend on, so a change to them needs a repaint
#: but no relayout: the likes pill has a fixed height (its width follows the
#: count, the card's does not) and the pending mark is only painted.
REPAINT_ONLY_ROLES = frozenset({LikesRole, PendingRole, FlashRole, Qt.ItemDataRole.AccessibleTextRole})
#: Card heights remembered at most (a few dozen bytes each; the text is shared with the model).
HEIGHT_CACHE_LIMIT = 200_000

LIKE_COLOUR = QColor("#e0245e")
FLASH_COLOUR = QColor("#f2c94c")
LIKE_TOOLTIP = "Like this quote (L)"
WHOLE_QUOTE_HINT = "<p><i>Enter shows the whole quote.</i></p>"
_LINE_BREAK = "\u2028"  # what QTextLayout breaks a line at


@dataclass(frozen=True)
class _Layout:
    card: QRectF
    content: QRectF
    lines: tuple[tuple[QPointF, str], ...]  # where each shown line of the quote starts
    truncated: bool
    author: QRectF
    button: QRectF
    icon: QRectF
    count: QRectF


def _derived(kind: str, font: QFont, pending: bool = False) -> tuple[QFont, QFontMetricsF]:
    """A font made from the view's ``font`` for a part of the card, and its metrics:
    made once per font (a card is drawn with several; making them anew took a tenth
    of a card's time)."""
    key = (kind, pending, font.key())
    made = _FONTS.get(key)
    if made is None:
        derived = QFont(font)
        if kind == "content":
            if derived.pointSizeF() > 0:
                derived.setPointSizeF(derived.pointSizeF() * 1.15)
            else:
                derived.setPixelSize(round(derived.pixelSize() * 1.15))
        elif kind == "author":
            derived.setItalic(True)
        else:
            derived.setWeight(QFont.Weight.DemiBold)
            derived.setItalic(pending)
        if len(_FONTS) >= 64:  # fonts of long ago (zoomed, another screen)
            _FONTS.clear()
        made = _FONTS[key] = (derived, QFontMetricsF(derived))
    return made


_FONTS: dict[tuple[str, bool, str], tuple[QFont, QFontMetricsF]] = {}


def _wrap(text: str, font: QFont, width: float) -> tuple[tuple[tuple[float, str], ...], float, bool]:
    """Word-wrap ``text``: (line top, line text) pairs, total height, truncated?"""
    text = text.replace("\r\n", "\n").replace("\n", _LINE_BREAK)
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    lines, y = [], 0.0
    layout.beginLayout()
    while len(lines) <= MAX_LINES:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append((y, text[line.textStart() : line.textStart() + line.textLength()]))
        y += line.height()
    layout.endLayout()
    truncated = len(lines) > MAX_LINES
    if truncated:
        lines = lines[:MAX_LINES]
        start = sum(len(t) for _, t in lines[:-1])
        rest = " ".join(text[start:].split())
        last = QFontMetricsF(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
        lines[-1] = (lines[-1][0], last)
        y = lines[-1][0] + QFontMetricsF(font).height()
    return tuple((top, t.rstrip(_LINE_BREAK)) for top, t in lines), y, truncated


def _inner_width(width: float) -> float:
    """The width the quote's text wraps at, in a row ``width`` wide."""
    return max(width, MIN_WIDTH) - 2 * MARGIN_X - 2 * PADDING


def _button_height(font: QFont) -> float:
    """The Like button's height: one line of the count, or the icon, padded."""
    line = _derived("count", font, pending=True)[1].height()
    return max(line, ICON_SIZE) + 2 * BUTTON_PAD_Y


def _row_height(text_height: float, button_height: float) -> int:
    """A row's height in the list: the card (text, footer, padding) and its margins."""
    card_bottom = MARGIN_Y + PADDING + text_height + GAP + button_height + PADDING
    return round(card_bottom + MARGIN_Y + 0.5)


class _HeightCache:
    """Row heights by quote content, for the one font and width they were measured at.

    Why: the view measures the rows in sight before every paint and all the
    others while idle (again after a sort or a resize). Measuring lays the text out (tens of
    microseconds); a look-up costs well under one. A row's height depends only
    on the content, the font and the width: the author is one elided line and
    the Like button has a fixed height. So content is the key, and another
    font or width (a resize) empties the cache: every height is stale then.
    Bounded: when full, the older half goes (a dict keeps insertion order).
    """

    def __init__(self, limit: int = HEIGHT_CACHE_LIMIT) -> None:
        self._limit = limit
        self._font = QFont()
        self._width = -1.0  # no width yet: the first look-up sets the font and width
        self._content_font = QFont()
        self._button_height = 0.0
        self._heights: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._heights)

    def height(self, content: str, font: QFont, width: float) -> int:
        """The height of a row ``width`` wide showing ``content`` in ``font``."""
        if width != self._width or font != self._font:
            self._measure_with(font, width)
        height = self._heights.get(content)
        if height is None:
            if len(self._heights) >= self._limit:
                for stale in list(islice(self._heights, max(1, self._limit // 2))):
                    del self._heights[stale]
            _, text_height, _ = _wrap(content, self._content_font, _inner_width(width))
            height = self._heights[content] = _row_height(text_height, self._button_height)
        return height

    def _measure_with(self, font: QFont, width: float) -> None:
        self._heights.clear()
        self._font, self._width = QFont(font), width
        self._content_font = _derived("content", font)[0]
        self._button_height = _button_height(font)


class QuoteDelegate(QStyledItemDelegate):
    likeClicked = Signal(str)

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._like_icon = icons.bundled("like")
        self._hover = QPersistentModelIndex()  # the card whose Like button is under the mouse
        self._pressed = QPersistentModelIndex()  # the card whose Like button is held down
        self._heights = _HeightCache()
        self._cards = CardPixmaps()
        self._frames = CardPixmaps(limit=FRAME_LIMIT)
        # Hover states need mouse moves without a button held, and hover leave events.
        view.setMouseTracking(True)
        view.viewport().setAttribute(Qt.WidgetAttribute.WA_Hover)

    # -- geometry -------------------------------------------------------------

    def _layout(self, rect: QRect | QRectF, font: QFont, content_text: str, likes: int) -> _Layout:
        """Where everything goes for a card in ``rect`` (its height is ignored)."""
        card_left = rect.left() + MARGIN_X
        card_top = rect.top() + MARGIN_Y
        card_width = max(rect.width(), MIN_WIDTH) - 2 * MARGIN_X
        inner_left = card_left + PADDING
        inner_width = _inner_width(rect.width())

        lines, text_height, truncated = _wrap(content_text, _derived("content", font)[0], inner_width)
        content = QRectF(inner_left, card_top + PADDING, inner_width, text_height)

        count_width = _derived("count", font, pending=True)[1].horizontalAdvance(format_count(likes))
        button_height = _button_height(font)
        button_width = 2 * BUTTON_PAD_X + ICON_SIZE + ICON_GAP + count_width
        footer_top = content.bottom() + GAP
        button = QRectF(inner_left + inner_width - button_width, footer_top, button_width, button_height)
        icon = QRectF(button.left() + BUTTON_PAD_X, button.center().y() - ICON_SIZE / 2, ICON_SIZE, ICON_SIZE)
        count = QRectF(icon.right() + ICON_GAP, button.top(), count_width + 1, button_height)
        author = QRectF(inner_left, footer_top, max(0.0, button.left() - GAP - inner_left), button_height)

        card = QRectF(card_left, card_top, card_width, button.bottom() + PADDING - card_top)
        shown = tuple((QPointF(content.left(), content.top() + top), text) for top, text in lines)
        return _Layout(card, content, shown, truncated, author, button, icon, count)

    def like_button_rect(self, index: QModelIndex) -> QRect:
        """Where the Like button of ``index`` is, in the view's viewport."""
        view = self.parent()
        layout = self._layout(view.visualRect(index), view.font(), _content(index), _likes(index))
        return layout.button.toAlignedRect()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        # The view gives sizeHint no reliable rect; cards are as wide as the viewport.
        view = option.widget
        width = view.viewport().width() if isinstance(view, QAbstractItemView) else option.rect.width()
        height = self._heights.height(index.data(ContentRole) or "", option.font, width)
        return QSize(MIN_WIDTH, height)

    def typical_height(self, option: QStyleOptionViewItem) -> int:
        """The height of a typical card (a quote of two lines), for rows not measured yet."""
        line = _derived("content", option.font)[1].height()
        return _row_height(2 * line, _button_height(option.font))

    # -- painting -------------------------------------------------------------

    def begin_paint(self) -> None:
        """The view starts a paint: drawing cards anew may take ``RENDER_BUDGET_S`` of it."""
        self._cards.begin(RENDER_BUDGET_S)

    def share_pictures(self, other: QuoteDelegate) -> None:
        """Keep the pictures of cards in ``other``'s caches: for a second view of the
        same cards, never shown at the same time (the search list), one set of
        pictures instead of two (each holds up to ``card_pixmaps.LIMIT`` cards)."""
        self._cards, self._frames = other._cards, other._frames

    @property
    def owes_paint(self) -> bool:
        """A card of the last paint showed a moment-old count or flash: paint again."""
        return self._cards.owed

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        key, family, render = self._card(option, index)
        rect = option.rect
        self._cards.draw(painter, QPointF(rect.topLeft()), QSizeF(rect.size()), key, render, family)

    def prepare(self, option: QStyleOptionViewItem, index: QModelIndex, ratio: float) -> bool:
        """Draw the card ``paint`` would draw with ``option`` now, unless it is kept;
        True if it was drawn (the view prepares cards between paints)."""
        key, family, render = self._card(option, index)
        return self._cards.prepare(QSizeF(option.rect.size()), ratio, key, render, family)

    def _card(self, option: QStyleOptionViewItem, index: QModelIndex):
        """The card's key, its family (``CardPixmaps``) and how to draw it."""

        card = index.data(CardRole)

        def render(card_painter: QPainter) -> None:
            local = QStyleOptionViewItem(option)
            local.rect = QRect(QPoint(0, 0), option.rect.size())
            self._paint_card(card_painter, local, index, card)

        # Everything a card shows but its size and pixel density: first what makes it
        # this card, then what changes while it stays in sight.
        family = (
            card.id,
            card.author,
            card.content,
            bool(option.state & QStyle.StateFlag.State_Selected),
            bool(option.state & QStyle.StateFlag.State_HasFocus),
            bool(option.state & QStyle.StateFlag.State_MouseOver),
            _group(option).value,
            self._hover == index,
            self._pressed == index,
            option.font.key(),
            option.palette.cacheKey(),
        )
        key = (
            family,
            card.likes,
            card.pending,
            card.flash,
            relative(card.inserted_at),
            format_count(card.likes),
        )
        return key, family, render

    def _paint_card(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex, card: Card
    ) -> None:
        layout = self._layout(option.rect, option.font, card.content or "", card.likes or 0)
        group = _group(option)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self._draw_card(painter, option, group, layout, card.flash)
        self._draw_content(painter, option, group, layout)
        self._draw_author(painter, option, group, layout, card)
        self._draw_like_button(painter, option, group, layout, index, card)

    def _draw_card(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        group: QPalette.ColorGroup,
        layout: _Layout,
        flash: bool,
    ) -> None:
        palette = option.palette
        base = palette.color(group, QPalette.ColorRole.Base)
        text = palette.color(group, QPalette.ColorRole.Text)
        highlight = palette.color(group, QPalette.ColorRole.Highlight)
        window = palette.color(group, QPalette.ColorRole.Window)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        # The keyboard's place in the list, before a card is selected: a ring, no fill.
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)

        shadow = _blend(window, QColor("black"), 0.10)
        fill = base
        if flash:  # someone else just changed it
            fill = _blend(base, FLASH_COLOUR, 0.22)
        elif selected:
            fill = _blend(base, highlight, 0.14)
        elif hovered:
            fill = _blend(base, text, 0.03)
        border = highlight if selected or focused else _blend(base, text, 0.16)
        width = 2.0 if selected or focused else 1.0
        card = layout.card
        size = QSizeF(card.width(), card.height() + SHADOW_Y)
        key = (shadow.rgba(), fill.rgba(), border.rgba(), width)
        self._frames.draw(
            painter,
            card.topLeft(),
            size,
            key,
            lambda frame_painter: _draw_frame(frame_painter, card.size(), shadow, fill, border, width),
        )

    def _draw_content(
        self, painter: QPainter, option: QStyleOptionViewItem, group: QPalette.ColorGroup, layout: _Layout
    ) -> None:
        font, metrics = _derived("content", option.font)
        painter.setFont(font)
        painter.setPen(option.palette.color(group, QPalette.ColorRole.Text))
        ascent = metrics.ascent()
        for start, text in layout.lines:
            painter.drawText(QPointF(start.x(), start.y() + ascent), text)

    def _draw_author(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        group: QPalette.ColorGroup,
        layout: _Layout,
        card: Card,
    ) -> None:
        """ "— Author · 3 days ago": the author gives way first when space runs out."""
        font, metrics = _derived("author", option.font)
        added = card.inserted_at
        when = f" · {relative(added)}" if added is not None else ""
        room = layout.author.width() - metrics.horizontalAdvance(when)
        if room < metrics.horizontalAdvance("— M…"):
            room, when = layout.author.width(), ""
        text = metrics.elidedText(f"— {card.author}", Qt.TextElideMode.ElideRight, room)
        painter.setFont(font)
        painter.setPen(_secondary(option.palette, group))
        painter.drawText(
            layout.author, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text + when
        )

    def _draw_like_button(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        group: QPalette.ColorGroup,
        layout: _Layout,
        index: QModelIndex,
        card: Card,
    ) -> None:
        base = option.palette.color(group, QPalette.ColorRole.Base)
        hovered = self._hover == index and bool(option.state & QStyle.StateFlag.State_MouseOver)
        pressed = hovered and self._pressed == index
        pending = bool(card.pending)

        tint = 0.30 if pressed else 0.18 if hovered else 0.08
        painter.setBrush(_blend(base, LIKE_COLOUR, tint))
        painter.setPen(QPen(_blend(base, LIKE_COLOUR, 0.55 if hovered else 0.35), 1.0))
        radius = layout.button.height() / 2
        painter.drawRoundedRect(layout.button.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)

        painter.setOpacity(0.55 if pending else 1.0)
        icon_rect = layout.icon.translated(0, 1) if pressed else layout.icon
        self._like_icon.paint(painter, icon_rect.toAlignedRect())
        painter.setOpacity(1.0)

        painter.setFont(_derived("count", option.font, pending)[0])
        colour = (
            _secondary(option.palette, group)
            if pending
            else option.palette.color(group, QPalette.ColorRole.Text)
        )
        painter.setPen(colour)
        painter.drawText(
            layout.count,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            format_count(card.likes or 0),
        )

    # -- interaction ----------------------------------------------------------

    def editorEvent(self, event: QEvent, model, option: QStyleOptionViewItem, index: QModelIndex) -> bool:
        kind = event.type()
        if kind not in (
            QEvent.Type.MouseMove,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonDblClick,
            QEvent.Type.MouseButtonRelease,
        ):
            return super().editorEvent(event, model, option, index)
        view = option.widget
        layout = self._layout(option.rect, option.font, _content(index), _likes(index))
        on_button = layout.button.contains(event.position())
        left = event.button() == Qt.MouseButton.LeftButton

        if kind == QEvent.Type.MouseMove:
            self._set_hover(view, index if on_button else QModelIndex())
            if not event.buttons() & Qt.MouseButton.LeftButton:
                self._set_pressed(view, QModelIndex())
            return False
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            if left and on_button:
                self._set_hover(view, index)
                self._set_pressed(view, index)
            return False  # the view still selects the card
        clicked = left and on_button and self._pressed == index
        self._set_pressed(view, QModelIndex())
        if clicked:
            self.likeClicked.emit(index.data(IdRole))
        return clicked

    def helpEvent(self, event, view, option: QStyleOptionViewItem, index: QModelIndex) -> bool:
        if event.type() == QEvent.Type.ToolTip and index.isValid():
            layout = self._layout(option.rect, option.font, _content(index), _likes(index))
            if layout.button.contains(QPointF(event.pos())):
                QToolTip.showText(event.globalPos(), LIKE_TOOLTIP, view)
                return True
            if layout.truncated and layout.content.contains(QPointF(event.pos())):
                text = plain_text.tooltip(index.data(ContentRole)) + WHOLE_QUOTE_HINT
                QToolTip.showText(event.globalPos(), text, view)
                return True
        return super().helpEvent(event, view, option, index)

    def _set_hover(self, view, index: QModelIndex) -> None:
        if self._hover != index:
            self._repaint(view, self._hover, index)
            self._hover = QPersistentModelIndex(index)

    def _set_pressed(self, view, index: QModelIndex) -> None:
        if self._pressed != index:
            self._repaint(view, self._pressed, index)
            self._pressed = QPersistentModelIndex(index)

    @staticmethod
    def _repaint(view, *indexes) -> None:
        if isinstance(view, QAbstractItemView):
            for index in indexes:
                if index.isValid():
                    view.update(QModelIndex(index))


def _content(index: QModelIndex) -> str:
    return index.data(ContentRole) or ""


def _likes(index: QModelIndex) -> int:
    return index.data(LikesRole) or 0


def format_count(count: int | float) -> str:
    """The count with the locale's digit grouping, whatever its size (QLocale's is int64)."""
    grouped = f"{int(count):,}"
    separator = QLocale().groupSeparator()
    return grouped if separator == "," else grouped.replace(",", separator)


def _draw_frame(
    painter: QPainter, size: QSizeF, shadow: QColor, fill: QColor, border: QColor, width: float
) -> None:
    """A card's frame, its top left at the origin: the shadow below it, the filled
    rounded rectangle and its border."""
    card = QRectF(QPointF(0, 0), size)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(shadow)
    painter.drawRoundedRect(card.translated(0, SHADOW_Y), RADIUS, RADIUS)
    painter.setBrush(fill)
    painter.setPen(QPen(border, width))
    inset = width / 2
    painter.drawRoundedRect(card.adjusted(inset, inset, -inset, -inset), RADIUS, RADIUS)


def _group(option: QStyleOptionViewItem) -> QPalette.ColorGroup:
    if not option.state & QStyle.StateFlag.State_Enabled:
        return QPalette.ColorGroup.Disabled
    if option.state & QStyle.StateFlag.State_Active:
        return QPalette.ColorGroup.Active
    return QPalette.ColorGroup.Inactive


def _secondary(palette: QPalette, group: QPalette.ColorGroup) -> QColor:
    """Text that should recede, still readable (4.5:1) on the card."""
    return secondary(
        palette.color(group, QPalette.ColorRole.Text), palette.color(group, QPalette.ColorRole.Base)
    )
