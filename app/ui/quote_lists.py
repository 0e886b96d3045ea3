"""The list of quote cards, and the list of those matching a search, one shown at a time.

Each list is a ``QuoteListView`` with its own card delegate. The search list
shows a ``SearchModel`` over the same quote model, which follows it from the
first search on; the full list keeps its scroll position meanwhile, and the
selected quote stays selected across the switch, and across a new answer,
when it is in both. An answer with no quote says so ("No quotes match
“…”"), in the list and to assistive tools.
Everything the window asks about "the selected quote" is answered for the
list in sight.

Keys in a list: Up or Down with no card selected selects the card that has
the focus (the first one at start) rather than the one after it. A
printable key that is no shortcut opens the search with that key typed
(GNOME's type-to-search) instead of Qt's type-ahead jump: the single-key
shortcuts (L likes) act only while a card is selected, so with none selected
(say, someone deleted it) L starts a search and never acts on another quote.
With a card selected and its action unavailable (the store is offline), such
a key starts no search either: ``shortcutRefused`` lets the window say why.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from app.ui import dates
from app.ui.delegate import QuoteDelegate
from app.ui.model import QuoteListModel
from app.ui.new_pill import NewQuotesPill
from app.ui.roles import IdRole
from app.ui.search_bar import SearchBar
from app.ui.search_model import SearchModel
from app.ui.store_gone import StoreGoneBar
from app.ui.view import QuoteListView


class QuoteLists(QWidget):
    #: The selection (or what can be done to it) may have changed.
    selectionChanged = Signal()
    #: The Like button of a card was clicked: the quote's id.
    likeClicked = Signal(str)
    #: A card was double-clicked (not on its Like button): it is selected now.
    editRequested = Signal()
    #: Enter on a card: show it whole.
    detailsRequested = Signal()
    #: A card's context menu, at this global position: the card is selected now.
    menuRequested = Signal(QPoint)
    #: A single-key shortcut pressed on a selected card while its action is disabled.
    shortcutRefused = Signal(str)

    def __init__(self, model: QuoteListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        #: The letters (lower case) that are single-key shortcuts of the window.
        self.shortcut_letters: set[str] = set()
        self.search = SearchModel(self)
        self.search_bar = SearchBar()
        self.store_gone = StoreGoneBar()
        self.view = self._list(model, "No quotes yet. Add the first one with Ctrl+N.")
        self.delegate = self.view.itemDelegate()
        self.pill = NewQuotesPill(self.view)
        self.search_view = self._list(self.search, "")
        self.search_view.itemDelegate().share_pictures(self.delegate)
        self.search_view.setAccessibleName("Matching quotes")
        self._search_description = self.search_view.accessibleDescription()
        #: What the search list says while it is empty ("" when it is not).
        self._message = ""
        #: The quote selected in the search list before a new answer replaced it.
        self._kept: str | None = None
        self._stack = QStackedWidget()
        self._stack.addWidget(self.view)
        self._stack.addWidget(self.search_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.store_gone)
        layout.addWidget(self.search_bar)
        layout.addWidget(self._stack, 1)
        self.search_bar.changed.connect(self.set_search)
        self.search_bar.down.connect(self._into_list)
        # Cards say "5 minutes ago": paint them again at each tick of the clock the
        # detail pane reads too, so both say the same.
        # (A method, not a lambda: Qt drops the connection when this widget goes.)
        dates.clock().ticked.connect(self._repaint_cards)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._count)
        for signal in (self.search.rowsInserted, self.search.rowsRemoved):
            signal.connect(self._count)
        self.search.modelAboutToBeReset.connect(self._keep_selection)
        self.search.modelReset.connect(self._answer_shown)
        self.search.answerComplete.connect(self._answer_complete)
        # From the start: the search folds the rows' texts while the window is
        # idle once the collection is whole, so the first search finds them ready.
        self.search.setSourceModel(model)

    def _list(self, model, placeholder: str) -> QuoteListView:
        view = QuoteListView(self)
        view.setModel(model)
        view.setPlaceholderText(placeholder)
        delegate = QuoteDelegate(view)
        view.setItemDelegate(delegate)
        delegate.likeClicked.connect(self.likeClicked)
        view.selectionModel().selectionChanged.connect(self.selectionChanged)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        view.viewport().installEventFilter(self)
        view.installEventFilter(self)
        view.activated.connect(self.detailsRequested)
        for signal in (model.modelReset, model.rowsRemoved):
            signal.connect(self.selectionChanged)
        return view

    def _repaint_cards(self) -> None:
        self.shown.viewport().update()

    def _context_menu(self, pos: QPoint) -> None:
        view = self.shown
        index = view.indexAt(pos)
        if index.isValid():
            view.setCurrentIndex(index)
            self.menuRequested.emit(view.viewport().mapToGlobal(pos))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A double click on a card (not on its Like button) asks to edit the quote;
        keys in a list as the module's docstring says."""
        if isinstance(watched, QuoteListView) and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(watched, event)
        if (
            event.type() == QEvent.Type.MouseButtonDblClick
            and event.button() == Qt.MouseButton.LeftButton
            and isinstance(view := watched.parent(), QuoteListView)
        ):
            at = event.position().toPoint()
            index = view.indexAt(at)
            if index.isValid() and not view.itemDelegate().like_button_rect(index).contains(at):
                view.setCurrentIndex(index)
                self.editRequested.emit()
                return True
        return super().eventFilter(watched, event)

    def _key(self, view: QuoteListView, event: QKeyEvent) -> bool:
        """Handle a key pressed in a list; False to let the list have it."""
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and modifiers == Qt.KeyboardModifier.NoModifier:
            if not view.selectionModel().hasSelection():
                self._select_focused(view)
                return True
            return False
        text = event.text()
        typing = modifiers & ~Qt.KeyboardModifier.ShiftModifier == Qt.KeyboardModifier.NoModifier
        if typing and text.isprintable() and text.strip():
            if text.lower() in self.shortcut_letters and view.selectionModel().hasSelection():
                self.shortcutRefused.emit(text.lower())
            else:
                self.search_bar.type_to_search(text)
            return True
        return False

    def _select_focused(self, view: QuoteListView) -> None:
        """Select the card with the focus, else the first one in sight."""
        index = view.currentIndex()
        if not index.isValid():
            index = view.indexAt(QPoint(view.viewport().width() // 2, 0))
        if not index.isValid() and view.model().rowCount() > 0:
            index = view.model().index(0, 0)
        if index.isValid():
            view.setCurrentIndex(index)

    def place_focus(self) -> None:
        """Put the keyboard's place (the focus ring) on the first card while there is none."""
        view = self.shown
        if not view.currentIndex().isValid() and view.model().rowCount() > 0:
            view.selectionModel().setCurrentIndex(
                view.model().index(0, 0), view.selectionModel().SelectionFlag.NoUpdate
            )

    def _into_list(self) -> None:
        """Down in the search field: into the list, on the selected card or the first."""
        view = self.shown
        view.setFocus()
        if not view.selectionModel().hasSelection():
            self._select_focused(view)

    # -- the list in sight ------------------------------------------------------------

    @property
    def shown(self) -> QuoteListView:
        return self._stack.currentWidget()

    @property
    def searching(self) -> bool:
        return self.shown is self.search_view

    def index_of(self, quote_id: str) -> QModelIndex:
        """Where ``quote_id`` is in the list in sight (invalid if it is not there)."""
        return self.search.index_of(quote_id) if self.searching else self.model.index_of(quote_id)

    def selected_index(self) -> QModelIndex:
        indexes = self.shown.selectionModel().selectedIndexes()
        return indexes[0] if indexes else QModelIndex()

    def selected_id(self) -> str | None:
        index = self.selected_index()
        return index.data(IdRole) if index.isValid() else None

    def select(self, quote_id: str) -> bool:
        """Select a quote and bring it into view; False if it is not in the list in sight."""
        index = self.index_of(quote_id)
        if not index.isValid():
            return False
        self.shown.setCurrentIndex(index)
        self.shown.follow(index)
        return True

    def clear_selection(self) -> None:
        """No card selected; the keyboard's place stays where it was."""
        self.shown.selectionModel().clearSelection()

    def move_off(self, quote_id: str) -> None:
        """Move the selection off a quote about to go, to the one below (or above) it."""
        row = self.index_of(quote_id).row()
        model = self.shown.model()
        for neighbour in (row + 1, row - 1):
            if 0 <= neighbour < model.rowCount():
                self.select(model.index(neighbour, 0).data(IdRole))
                return
        self.clear_selection()

    # -- searching ----------------------------------------------------------------------

    def set_search(self, text: str) -> None:
        """Show only the quotes matching ``text`` (all of them for blank text)."""
        chosen = self.selected_id()
        if text.strip():
            self._stack.setCurrentWidget(self.search_view)
        else:
            self._stack.setCurrentWidget(self.view)
        self.search.set_text(text)  # may answer at once: a small list
        if chosen is not None and not self.select(chosen):
            self.clear_selection()
            # Not in the answer shown yet: perhaps in the one coming (a large list).
            self._kept = chosen if self.searching and self.search.busy else None
        self._count()
        self.selectionChanged.emit()

    def _keep_selection(self) -> None:
        if not self.searching:
            self._kept = None
        elif (selected := self.selected_id()) is not None:
            self._kept = selected

    def _answer_shown(self) -> None:
        """A new answer replaced the search list: the same quote stays selected, if it is
        there (or, while the rest of the answer comes in, once it comes)."""
        kept = self._kept
        if kept is not None and self.select(kept):
            self._kept = None
        elif not self.search.busy:
            self._kept = None
        self._count()
        if self.searching:
            self.selectionChanged.emit()

    def _answer_complete(self) -> None:
        if self._kept is not None and not self.selected_index().isValid():
            self._answer_shown()
        self._kept = None
        self._count()

    def _count(self, *_: object) -> None:
        """The counter ("12 of 3,400") and what the search list says when it is empty."""
        total = self.model.rowCount()
        shown = self.search.rowCount() if self.searching else total
        self.search_bar.show_count(shown, total, more=self.searching and self.search.busy)
        if self.search.busy and not shown:
            message = "Searching…"
        elif shown or not self.searching:
            message = ""
        else:
            message = f"No quotes match “{self.search.shown_text.strip()}”"
        if message != self._message:
            self._message = message
            self.search_view.setPlaceholderText(message)
            self.search_view.setAccessibleDescription(message or self._search_description)
