"""The list's sort: Sort in the toolbar or the View menu, remembered in the
window's settings (``view/sort``). Once the rows are in the new order, the
selected card is brought into view, else the top of the list."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from app.ui.actions import WindowActions
from app.ui.model import QuoteListModel, Sort
from app.ui.quote_lists import QuoteLists

_KEY = "view/sort"


def saved_sort(settings: QSettings) -> Sort:
    """The sort the window had when it was last closed (newest first at first)."""
    try:
        return Sort(settings.value(_KEY, Sort.NEWEST.value))
    except ValueError:
        return Sort.NEWEST


def remember_sort(settings: QSettings, sort: Sort) -> None:
    settings.setValue(_KEY, sort.value)


class SortChoice:
    """Sorts the list as the user chooses (see the module's docstring)."""

    def __init__(
        self, model: QuoteListModel, lists: QuoteLists, actions: WindowActions, settings: QSettings
    ) -> None:
        self._model = model
        self._lists = lists
        self._actions = actions
        self._settings = settings
        actions.sorts.triggered.connect(lambda action: self.set(Sort(action.data())))
        box = actions.sort_box
        box.activated.connect(lambda i: self.set(Sort(box.itemData(i))))
        model.sort_shown.connect(self._shown)

    def set(self, sort: Sort) -> None:
        self._model.set_sort(sort)
        remember_sort(self._settings, sort)
        self._actions.show_sort(sort)

    def _shown(self) -> None:
        """The rows are in the new order: the selected card in view, else the top."""
        chosen = self._lists.selected_id()
        if chosen is not None:
            self._lists.shown.scrollTo(self._lists.index_of(chosen))
        else:
            self._lists.shown.scrollToTop()
