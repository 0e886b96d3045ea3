"""The quotes that match a search, as a live proxy over the quote list.

A quote enters or leaves as it starts or stops matching, whoever changed it:
the list model reports a changed text with ``dataChanged`` and the proxy
filters that row again. Matching is ``app.sync.search.Search`` (author or
content, case- and accent-insensitive), the same as ``quotes list --search``.
The window attaches the proxy to the list only while a search is open, so an
unfiltered window pays nothing for it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from app.client import Search
from app.ui.model import QuoteListModel


class SearchModel(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._search = Search("")
        self.setDynamicSortFilter(True)

    @property
    def text(self) -> str:
        return self._search.text

    def set_text(self, text: str) -> None:
        # Qt 6.10's way (``invalidateFilter`` is deprecated there): filter the rows again.
        self.beginFilterChange()
        self._search = Search(text)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        return not isinstance(model, QuoteListModel) or self._search.matches(model.quotes[row])

    def index_of(self, quote_id: str) -> QModelIndex:
        """The index showing ``quote_id``, or an invalid index if it does not match."""
        model = self.sourceModel()
        if not isinstance(model, QuoteListModel):
            return QModelIndex()
        return self.mapFromSource(model.index_of(quote_id))
