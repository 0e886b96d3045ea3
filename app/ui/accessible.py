"""What assistive tools see of the card list: a list of quotes, each with a Like action.

The list view is a one-column table underneath (see ``view.py``), which Qt
would announce as a table of cells. This factory gives it a List interface
whose children are ListItems named by the card's accessible text (content,
author, likes), with "Like" as an action, so a screen reader user can like
the card they are on.

Child interfaces are made once per row and kept for the view's lifetime (Qt
may hold on to them; they read the row's current data each time, so they
never go stale, only refer to whatever quote is at that row now).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface
from PySide6.QtWidgets import QAbstractItemView, QAccessibleWidget

from app.ui.roles import IdRole

LIKE = "Like"
_installed = False


def install() -> None:
    """Make every card list announce itself as a list (once per process)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


def _factory(class_name: str, obj: QObject) -> QAccessibleInterface | None:
    if getattr(obj, "announced_as_list", False) and isinstance(obj, QAbstractItemView):
        return _ListAccessible(obj)
    return None


class _ListAccessible(QAccessibleWidget):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view, QAccessible.Role.List, view.accessibleName())
        self._view = view
        self._cards: dict[int, _CardAccessible] = {}

    def childCount(self) -> int:
        model = self._view.model()
        return model.rowCount() if model is not None else 0

    def child(self, row: int) -> QAccessibleInterface | None:
        if not 0 <= row < self.childCount():
            return None
        if row not in self._cards:
            self._cards[row] = _CardAccessible(self, self._view, row)
        return self._cards[row]

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return child.row if isinstance(child, _CardAccessible) else -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:
        at = self._view.viewport().mapFromGlobal(QPoint(x, y))
        index = self._view.indexAt(at)
        return self.child(index.row()) if index.isValid() else None


class _CardAccessible(QAccessibleInterface, QAccessibleActionInterface):
    def __init__(self, parent: _ListAccessible, view: QAbstractItemView, row: int) -> None:
        QAccessibleInterface.__init__(self)
        QAccessibleActionInterface.__init__(self)
        self._parent = parent
        self._view = view
        self.row = row

    def _index(self):
        return self._view.model().index(self.row, 0)

    def isValid(self) -> bool:
        return self.row < self._parent.childCount()

    def object(self):
        return None

    def window(self):
        return self._parent.window()

    def parent(self) -> QAccessibleInterface:
        return self._parent

    def child(self, _index: int):
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, _child) -> int:
        return -1

    def childAt(self, _x: int, _y: int):
        return None

    def focusChild(self):
        return None

    def relations(self, _match=None):
        return []

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name and self.isValid():
            return self._index().data(Qt.ItemDataRole.AccessibleTextRole) or ""
        return ""

    def setText(self, _kind, _text) -> None:
        pass

    def rect(self) -> QRect:
        if not self.isValid():
            return QRect()
        rect = self._view.visualRect(self._index())
        return rect.translated(self._view.viewport().mapToGlobal(QPoint(0, 0)))

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.ListItem

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        state.selectable = True
        state.focusable = True
        if self.isValid():
            state.selected = self._view.selectionModel().isSelected(self._index())
            state.focused = self._view.currentIndex() == self._index()
        return state

    def interface_cast(self, kind):
        return self if kind == QAccessible.InterfaceType.ActionInterface else None

    def actionNames(self) -> list[str]:
        return [LIKE]

    def localizedActionDescription(self, _name: str) -> str:
        return "Like this quote"

    def keyBindingsForAction(self, _name: str) -> list[str]:
        return ["L"]

    def doAction(self, name: str) -> None:
        if name == LIKE and self.isValid():
            self._view.itemDelegate().likeClicked.emit(self._index().data(IdRole))
