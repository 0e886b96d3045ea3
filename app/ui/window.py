"""The main window: layout and wiring of the live list, its actions and status.

The store, the tasks and the live feed belong to the ``QuoteSession``; what a
command says back belongs to ``Commands``; the actions, menus and toolbar to
``WindowActions``; the sort to ``SortChoice`` and the detail pane to its
``DetailDock``. Closing the window first closes the session (cancelling
and awaiting the live feed and every store call in flight), so nothing
touches a widget after the window is gone; only then does the close go ahead.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QLayout, QMainWindow

from app.client import DEFAULT_COLLECTION, Changes, QuoteSession, Snapshot
from app.ui import icons
from app.ui.actions import WindowActions
from app.ui.collection_box import CollectionSwitcher
from app.ui.commands import Commands
from app.ui.detail_dock import DetailDock
from app.ui.help import ShortcutsDialog, show_about
from app.ui.model import QuoteListModel, Sort
from app.ui.outbox_view import OutboxPanel
from app.ui.quote_lists import QuoteLists
from app.ui.sorting import SortChoice, remember_sort, saved_sort
from app.ui.status import StatusArea
from app.ui.store_menu import StoreOpener
from app.ui.transfer_actions import FileTransfers


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, session: QuoteSession, settings: QSettings) -> None:
        super().__init__()
        self.session = session
        self._settings = settings
        self._closing: asyncio.Task | None = None
        self._closed = False
        self._applying = False
        self._loading_total: int | None = None  # of a collection streaming in

        self.setWindowIcon(icons.app_icon())
        self.model = QuoteListModel(self, sort=saved_sort(settings))
        # The newest page is shown first, the rest once all of it is in, ordered a
        # slice at a time: read in id order (range reads), the rest of a million quotes
        # comes in about five times sooner than newest first from the index's lookups.
        session.stream = "first-page"
        self.lists = QuoteLists(self.model, self)
        self.view, self.delegate = self.lists.view, self.lists.delegate
        self.setCentralWidget(self.lists)

        self.action_set = WindowActions(self, self.model.quotes.sort)
        self.stores = StoreOpener(
            self, session, settings, lambda text: self.status.say(text), self._store_opened
        )
        self.action_set.build_menus(self.stores.recent_menu)
        self.action_set.build_toolbar()
        self.status = StatusArea(self.statusBar(), session.store_description, self.action_set.undo)
        actions = self.action_set
        self.transfers = FileTransfers(
            self,
            session,
            settings,
            (actions.import_quotes, actions.export_quotes, actions.back_up),
            lambda text: self.status.say(text),
        )
        lists = self.lists
        self.commands = Commands(
            self, session, self.model, self.status, lists.selected_index, self.select, lists.move_off
        )
        self.collections = CollectionSwitcher(
            self.action_set.collection_box,
            session,
            self,
            self.status.say,
            self._switched,
            lambda: (
                self.model.rowCount()
                if self.model.quotes.complete and not self.model.quotes.ordering
                else None
            ),
        )
        self.detail_dock = DetailDock(self, session, self.action_set.details, self.selected_id)
        self.detail = self.detail_dock.pane
        self._wire()
        self._show_collection()
        self.view.setFocus()  # keys go to the list from the start

        # The window's minimum is set here, once, not by its layout on every change.
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(480, 360)
        geometry = settings.value("window/geometry")
        if not isinstance(geometry, QByteArray) or not self.restoreGeometry(geometry):
            self.resize(760, 820)

    def _wire(self) -> None:
        actions, session = self.action_set, self.session
        commands = self.commands
        actions.add.triggered.connect(commands.add)
        actions.like.triggered.connect(commands.like_selected)
        actions.edit.triggered.connect(commands.edit_selected)
        actions.delete.triggered.connect(commands.delete_selected)
        actions.copy.triggered.connect(commands.copy_selected)
        actions.undo.triggered.connect(commands.undo)
        actions.redo.triggered.connect(commands.redo)
        actions.quit.triggered.connect(self.close)
        actions.open_store.triggered.connect(self.stores.ask_store)
        actions.connect_cluster.triggered.connect(self.stores.ask_cluster)
        actions.new_collection.triggered.connect(self.collections.ask_new)
        actions.delete_collection.triggered.connect(self.collections.ask_delete)
        self.sorting = SortChoice(self.model, self.lists, actions, self._settings)
        actions.find.triggered.connect(self.lists.search_bar.open_search)
        actions.shortcuts.triggered.connect(self._show_shortcuts)
        actions.about.triggered.connect(lambda: show_about(session.store_description, self))
        self.lists.likeClicked.connect(self.like)
        self.lists.shortcut_letters = actions.single_keys()
        self.lists.shortcutRefused.connect(lambda _: self._refuse_offline())
        self.lists.menuRequested.connect(self._context_menu)
        self.lists.editRequested.connect(self.commands.edit_selected)
        self.lists.detailsRequested.connect(lambda: self.action_set.details.setChecked(True))
        self.lists.selectionChanged.connect(self._update_actions)
        self._update_actions()

        session.subscribe(self._apply)
        session.on_connection = self._show_connection
        gone = self.lists.store_gone
        gone.reopen.connect(self.stores.reopen)
        gone.vanished.connect(session.reconnect)
        gone.watch(session.store_path)
        gone.chosen.connect(lambda path: self.stores.open("file", str(path)))
        session.on_tenants = self.collections.registry_changed
        session.on_undo = self._show_undo
        session.on_failure = lambda exc: self.status.say(f"Something went wrong: {exc}")
        if session.outgoing is not None:
            self.model.quotes.queued = session.outgoing.overlay.ids
            ask = self.commands.resolver.ask
            self.outbox = OutboxPanel(self, session, self.statusBar(), self.status.say, ask)

    # -- running ----------------------------------------------------------------

    def start(self) -> None:
        """Follow the store; call with the asyncio loop running."""
        self.session.start()

    @property
    def connection(self) -> str:
        return self.status.connection

    def _apply(self, event: Snapshot | Changes) -> None:
        """Show one batch of the live collection; never retarget the user's action."""
        chosen = self.selected_id()
        self._applying = True  # the view may move the selection meanwhile: not the user's
        try:
            self.model.apply(event)
        finally:
            self._applying = False
        if chosen is not None and not self.model.index_of(chosen).isValid():
            # Not the next card: a key pressed next must not act on another quote.
            # The detail pane stays on it, saying it was deleted.
            self.detail.deleted_elsewhere(chosen)
            self._applying = True
            try:
                self.lists.clear_selection()
            finally:
                self._applying = False
            self.status.say("That quote was deleted elsewhere.")
        elif chosen is not None and isinstance(event, Snapshot):
            self.select(chosen)
        if isinstance(event, Snapshot):
            self._loading_total = event.total
        if self.model.quotes.complete:
            self.status.show_synced(changed=isinstance(event, Changes) and bool(event))
        else:
            self.status.show_loading(self.model.quotes.loaded, self._loading_total)
        self.lists.place_focus()
        self.commands.batch_shown()
        self._update_actions()

    # -- selection --------------------------------------------------------------

    def selected_id(self) -> str | None:
        return self.lists.selected_id()

    def select(self, quote_id: str) -> bool:
        """Select a quote and bring it into view; False if it is not in the list in sight."""
        return self.lists.select(quote_id)

    def _update_actions(self) -> None:
        """Quote actions need a selected quote; nothing that writes works offline,
        but what waits in the outbox until the store answers again."""
        chosen, offline = self.selected_id(), bool(self.session.connection)
        self.action_set.enable(
            selected=chosen is not None,
            offline=offline,
            queueing=self.session.queues_while_offline,
            history=self.session.undo_labels,
            default_collection=self.session.tenant == DEFAULT_COLLECTION,
        )
        self.transfers.enable(offline=offline)
        self.status.undo_button.setEnabled(self.action_set.undo.isEnabled())
        self.collections.writable = not offline
        if not self._applying:
            self.detail_dock.follow(chosen)

    def _context_menu(self, at: QPoint) -> None:
        menu = self.action_set.context_menu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(at)

    def like(self, quote_id: str) -> None:
        if self.session.connection and not self.session.queues_while_offline:
            self._refuse_offline()
            return
        row = self.lists.index_of(quote_id).row()
        if self.commands.like(quote_id) and self.lists.index_of(quote_id).row() != row:
            self.lists.shown.follow(self.lists.index_of(quote_id))  # the sort moved it

    def _refuse_offline(self) -> None:
        self.status.say("The store is offline: nothing was written. Try again when it is back.")

    def _show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self.action_set.all(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _show_undo(self, undo: str | None, redo: str | None) -> None:
        """Undo and Redo say what they would do ("Undo Delete “Cogito…”")."""
        actions = self.action_set
        for action, label, plain in ((actions.undo, undo, "&Undo"), (actions.redo, redo, "&Redo")):
            # "&" in a quote is text, not a mnemonic; the verb keeps its own.
            action.setText(plain if label is None else "&" + label.replace("&", "&&"))
        self._update_actions()

    # -- sorting ----------------------------------------------------------------

    def set_sort(self, sort: Sort) -> None:
        self.sorting.set(sort)

    # -- collections --------------------------------------------------------------

    def _switched(self) -> None:
        """Another collection: an empty list until its first snapshot arrives."""
        self.commands.forget_pending_selection()
        self.model.quotes.reset(())
        self.detail.clear()
        self._show_collection()

    def _show_collection(self) -> None:
        self.status.show_collection(self.session.tenant)
        self._update_actions()
        self.setWindowTitle(f"Quotes — {self.session.tenant}")

    # -- the store ------------------------------------------------------------------

    def _show_connection(self, problem: str | None) -> None:
        offline = self.session.offline
        self.status.show_connection(problem, None if offline is None else offline.as_of)
        if problem and self.session.store_missing():
            self.lists.store_gone.show_missing(self.session.store_path)
        elif problem == "":
            self.lists.store_gone.hide()
            self.lists.store_gone.watch(self.session.store_path)
        self._update_actions()

    def _store_opened(self) -> None:
        """Another store (or the same file opened again): its collections, from empty."""
        self.status.store_label.setText(self.session.store_description)
        self.collections.fill()
        self._switched()

    # -- closing ----------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed:
            event.accept()
            return
        if self._closing is None:
            self._settings.setValue("window/geometry", self.saveGeometry())
            remember_sort(self._settings, self.model.quotes.sort)
            self._settings.sync()
            self.model.stop_ordering()
            if not self.session.busy:  # never started: nothing to wait for
                self.session.release()
                self._closed = True
                event.accept()
                self.closed.emit()
                return
            self._closing = asyncio.ensure_future(self._shut_down())
        event.ignore()

    async def _shut_down(self) -> None:
        for dialog in self.findChildren(QDialog):
            dialog.reject()
        await self.session.close()
        self._closed = True
        self.close()
        self.closed.emit()

    async def wait_closed(self) -> None:
        """Until the window has closed and everything it started has finished."""
        if self._closed:
            return
        done = asyncio.get_running_loop().create_future()
        self.closed.connect(lambda: done.done() or done.set_result(None))
        await done
