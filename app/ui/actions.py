"""The window's actions, and the menus and toolbar that offer them.

Each action has its icon (where there is one), shortcut, tooltip and status
tip here; the window connects what they do. Quit lives in the File menu only:
the toolbar holds what you do to quotes, and captions stay with their boxes
when the toolbar overflows (each caption and its box are one widget).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QToolBar,
    QWidget,
)

from app.ui import icons
from app.ui.model import Sort

_Key = QKeySequence.StandardKey


class WindowActions:
    """Every action of the main window, with its menus and toolbar."""

    def __init__(self, window: QMainWindow, sort: Sort) -> None:
        self._window = window
        self.add = self._action("&Add…", "Add a quote", QKeySequence(_Key.New), "add")
        self.edit = self._action("&Edit…", "Edit the selected quote", QKeySequence(Qt.Key.Key_F2))
        self.like = self._action("&Like", "Like the selected quote", QKeySequence(Qt.Key.Key_L), "like")
        self.delete = self._action(
            "&Delete…", "Delete the selected quote", QKeySequence(_Key.Delete), "delete"
        )
        self.copy = self._action("&Copy", "Copy the selected quote", QKeySequence(_Key.Copy))
        self.undo = self._action("&Undo", "Undo your last delete or edit", QKeySequence(_Key.Undo))
        self.undo.setEnabled(False)
        self.redo = self._action("&Redo", "Do again what you last undid", QKeySequence(_Key.Redo))
        self.redo.setShortcuts(_Key.Redo)  # every binding of the platform: Ctrl+Shift+Z and Ctrl+Y
        self.redo.setEnabled(False)
        self.find = self._action("&Find…", "Show only quotes that match", QKeySequence(_Key.Find))
        self.details = self._action(
            "&Details", "Show the whole quote beside the list", QKeySequence(Qt.Key.Key_F9)
        )
        self.details.setCheckable(True)
        self.quit = self._action("&Quit", "Close the window", QKeySequence("Ctrl+Q"), "quit")
        self.open_store = self._action(
            "&Open Store…", "Show another Quotes store file", QKeySequence(_Key.Open)
        )
        self.connect_cluster = self._action(
            "Connect to &Cluster…", "Show the quotes of a FoundationDB cluster"
        )
        self.import_quotes = self._action(
            "&Import…", "Add the quotes of an exported file (a whole-store export with its collections)"
        )
        self.export_quotes = self._action(
            "E&xport…", "Write this collection, or every collection, to a file Import… reads"
        )
        self.back_up = self._action("&Back Up…", "Copy the whole store to a store file, while it is in use")
        self.new_collection = self._action("&New Collection…", "Start an empty collection")
        self.delete_collection = self._action("D&elete Collection…", "Delete this collection and its quotes")
        self.shortcuts = self._action(
            "&Keyboard Shortcuts", "What each key does", QKeySequence(_Key.HelpContents)
        )
        self.about = self._action("&About Quotes", "Version, store and links")

        self.sorts = QActionGroup(window)
        for each in Sort:
            action = self.sorts.addAction(each.label)
            action.setCheckable(True)
            action.setChecked(each is sort)
            action.setData(each.value)
            action.setStatusTip(f"Show the quotes {each.label.lower()}")

        self.sort_box = QComboBox()
        self.sort_box.setAccessibleName("Sort")
        self.sort_box.setToolTip("Order of the quotes")
        for each in Sort:
            self.sort_box.addItem(each.label, each.value)
        self.collection_box = QComboBox()
        self.collection_box.setAccessibleName("Collection")
        self.collection_box.setToolTip("Collection shown in this window")
        self.collection_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.show_sort(sort)

    def _action(self, text: str, tip: str, keys: QKeySequence | None = None, icon: str = "") -> QAction:
        action = QAction(text, self._window)
        if icon:
            action.setIcon(icons.themed(icon))
        if keys is not None:
            action.setShortcut(keys)
            action.setToolTip(f"{tip} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})")
        else:
            action.setToolTip(tip)
        action.setStatusTip(tip)
        self._window.addAction(action)
        return action

    def show_sort(self, sort: Sort) -> None:
        self.sort_box.setCurrentIndex(list(Sort).index(sort))
        for action in self.sorts.actions():
            action.setChecked(action.data() == sort.value)

    def all(self) -> list[QAction]:
        """Every action with a shortcut worth listing, in menu order."""
        return [
            self.add,
            self.edit,
            self.like,
            self.delete,
            self.copy,
            self.undo,
            self.redo,
            self.find,
            self.details,
            self.shortcuts,
            self.quit,
        ]

    def single_keys(self) -> set[str]:
        """The letters that are shortcuts on their own (L), in lower case."""
        return {
            keys.toString().lower()
            for action in self.all()
            for keys in action.shortcuts()
            if keys.count() == 1 and len(keys.toString()) == 1
        }

    def quote_actions(self) -> list[QAction]:
        """What the context menu of a card offers."""
        return [self.copy, self.like, self.edit, self.delete]

    def enable(
        self,
        *,
        selected: bool,
        offline: bool,
        queueing: bool,
        history: tuple[str | None, str | None],
        default_collection: bool,
    ) -> None:
        """Enable what can be done now: quote actions on a selected quote, Undo and
        Redo when there is something to undo or redo, nothing that writes offline
        (``queueing``: but add, like, edit and delete, which wait in the outbox)."""
        for action in self.quote_actions():
            action.setEnabled(selected)
        self.undo.setEnabled(history[0] is not None)
        self.redo.setEnabled(history[1] is not None)
        self.add.setEnabled(True)
        self.new_collection.setEnabled(True)
        self.delete_collection.setEnabled(not default_collection)
        if offline:
            queued = (self.add, self.like, self.edit, self.delete) if queueing else ()
            for action in self.writing_actions():
                if action not in queued:
                    action.setEnabled(False)

    def writing_actions(self) -> list[QAction]:
        """What writes to the store: disabled while it is offline."""
        return [
            self.add,
            self.like,
            self.edit,
            self.delete,
            self.undo,
            self.redo,
            self.new_collection,
            self.delete_collection,
            self.import_quotes,
        ]

    def build_menus(self, recent: QMenu) -> None:
        bar = self._window.menuBar()
        # Kept: PySide 6.10 may hand back a stale wrapper for a menu made in C++
        # and found again through ``QAction.menu()``.
        self.file_menu = menu = bar.addMenu("&File")
        menu.addActions([self.open_store, self.connect_cluster])
        menu.addMenu(recent)
        menu.addSeparator()
        menu.addActions([self.import_quotes, self.export_quotes, self.back_up])
        menu.addSeparator()
        menu.addActions([self.new_collection, self.delete_collection])
        menu.addSeparator()
        menu.addAction(self.quit)
        menu = bar.addMenu("&Edit")
        menu.addActions([self.undo, self.redo])
        menu.addSeparator()
        menu.addActions([self.copy, self.find])
        menu = bar.addMenu("&Quote")
        menu.addActions([self.add, self.edit, self.like, self.delete])
        menu = bar.addMenu("&View")
        menu.addActions(self.sorts.actions())
        menu.addSeparator()
        menu.addAction(self.details)
        menu = bar.addMenu("&Help")
        menu.addActions([self.shortcuts, self.about])

    def build_toolbar(self) -> QToolBar:
        toolbar = QToolBar("Actions", self._window)
        toolbar.setObjectName("actions")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.add, self.like, self.delete])
        toolbar.addSeparator()
        toolbar.addWidget(_captioned("Sort:", self.sort_box))
        toolbar.addSeparator()
        toolbar.addWidget(_captioned("Collection:", self.collection_box))
        self._window.addToolBar(toolbar)
        return toolbar

    def context_menu(self, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        menu.addActions(self.quote_actions())
        return menu


def _captioned(caption: str, box: QComboBox) -> QWidget:
    """A caption and its box as one toolbar item, so an overflow moves them together."""
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(8, 0, 4, 0)
    label = QLabel(caption)
    label.setBuddy(box)
    layout.addWidget(label)
    layout.addWidget(box)
    return holder
