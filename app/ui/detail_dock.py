"""The detail pane's dock: right of the list, hidden at first.

View ▸ Details (its checkable action) shows and hides it, and the action
follows it when it is closed or floated by hand. While shown, the pane
follows the selected quote; hidden, it follows none.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow

from app.client import QuoteSession
from app.ui.detail import DetailPane


class DetailDock(QDockWidget):
    """The dock that holds the window's ``DetailPane`` (see the module's docstring)."""

    def __init__(
        self,
        window: QMainWindow,
        session: QuoteSession,
        toggle: QAction,
        selected_id: Callable[[], str | None],
    ) -> None:
        """``toggle``: View ▸ Details; ``selected_id``: the quote selected in the list."""
        pane = DetailPane(session)
        super().__init__("Quote", window)
        self.pane = pane
        self.setObjectName("detail")
        self.setWidget(pane)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        self.hide()
        self._toggle = toggle
        self._selected_id = selected_id
        toggle.toggled.connect(self.setVisible)
        self.visibilityChanged.connect(self._shown)

    def follow(self, quote_id: str | None) -> None:
        """The selection changed: the pane shows ``quote_id`` (None: none), if shown."""
        if self.isVisible():
            self.pane.follow(quote_id)

    def _shown(self, visible: bool) -> None:
        self._toggle.setChecked(visible)
        if visible:
            self.pane.follow(self._selected_id())
        else:
            self.pane.stop()
