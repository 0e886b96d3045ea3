"""The main window: a live list of quote cards and what you can do to them.

Store calls block, so every one runs on the window's own bounded thread pool
(never the loop's default executor, which qasync joins at close) and the GUI
thread only awaits it. The live collection runs as one asyncio task that feeds
the model; switching tenant replaces that task. Closing the window first
cancels and awaits the live task and every store call in flight, so nothing
touches a widget after the window is gone; only then does the close go ahead.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import sys
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLayout,
    QMainWindow,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from app.repo import tenants
from app.repo.errors import InvalidTenant, NotFound
from app.repo.quotes import QuoteRepo
from app.repo.schema import InvalidQuote, QuoteFields
from app.store.errors import StoreError, StoreUnavailable
from app.sync.events import Changes, Offline, Snapshot
from app.sync.live import LiveCollection
from app.ui import icons
from app.ui.add_dialog import AddQuoteDialog
from app.ui.confirm_dialog import ConfirmDeleteDialog
from app.ui.delegate import QuoteDelegate
from app.ui.elided_label import ElidedLabel
from app.ui.model import QuoteListModel, Sort
from app.ui.roles import AuthorRole, ContentRole, IdRole
from app.ui.tenant_dialog import NewTenantDialog
from app.ui.view import QuoteListView

#: Store calls in flight at once; more wait their turn in the pool's queue.
WORKERS = 4
NEW_TENANT = "New tenant…"
MESSAGE_MS = 10_000


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, repo: QuoteRepo, settings: QSettings, mode: str = "incremental") -> None:
        super().__init__()
        self._root = repo  # the repo we were opened with; other tenants derive from it
        self._repo = repo
        self._settings = settings
        self._mode = mode
        self._executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="quotes-ui")
        self._tasks: set[asyncio.Task] = set()
        self._live: LiveCollection | None = None
        self._live_task: asyncio.Task | None = None
        self._closing: asyncio.Task | None = None
        self._closed = False
        self._select_when_seen: str | None = None
        self._tenant_names = [repo.tenant]
        self.connection = ""

        self.setWindowIcon(icons.app_icon())
        self.model = QuoteListModel(self, sort=self._saved_sort())
        self.view = QuoteListView(self)
        self.view.setModel(self.model)
        self.view.setPlaceholderText("No quotes yet. Add the first one with Ctrl+N.")
        self.delegate = QuoteDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.setCentralWidget(self.view)

        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self._make_status_bar()

        self.delegate.likeClicked.connect(self.like)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self.model.rowsRemoved.connect(self._update_actions)
        self._update_actions()

        # The window's minimum is set here, once, not by its layout on every change.
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(480, 360)
        geometry = settings.value("window/geometry")
        if not isinstance(geometry, QByteArray) or not self.restoreGeometry(geometry):
            self.resize(760, 820)

    # -- building ---------------------------------------------------------------

    def _action(
        self, text: str, icon: str, shortcut: QKeySequence, tip: str, slot: Callable
    ) -> QAction:
        action = QAction(icons.themed(icon), text, self)
        action.setShortcut(shortcut)
        action.setToolTip(f"{tip} ({shortcut.toString(QKeySequence.SequenceFormat.NativeText)})")
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        self.add_action = self._action(
            "&Add…", "add", QKeySequence(QKeySequence.StandardKey.New), "Add a quote", self.add
        )
        self.like_action = self._action(
            "&Like",
            "like",
            QKeySequence(Qt.Key.Key_L),
            "Like the selected quote",
            self.like_selected,
        )
        self.delete_action = self._action(
            "&Delete…",
            "delete",
            QKeySequence(QKeySequence.StandardKey.Delete),
            "Delete the selected quote",
            self.delete_selected,
        )
        self.quit_action = self._action(
            "&Quit", "quit", QKeySequence("Ctrl+Q"), "Close the window", self.close
        )
        self.sort_actions = QActionGroup(self)
        for sort in Sort:
            action = self.sort_actions.addAction(sort.label)
            action.setCheckable(True)
            action.setChecked(sort is self.model.sort)
            action.setData(sort.value)
            action.setStatusTip(f"Show the quotes {sort.label.lower()}")
        self.sort_actions.triggered.connect(lambda action: self.set_sort(Sort(action.data())))
        self.new_tenant_action = QAction("New &Tenant…", self)
        self.new_tenant_action.setStatusTip("Start an empty collection in this store")
        self.new_tenant_action.triggered.connect(self.ask_new_tenant)

    def _make_menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.new_tenant_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        menu = self.menuBar().addMenu("&Quote")
        menu.addActions([self.add_action, self.like_action, self.delete_action])
        menu = self.menuBar().addMenu("&View")
        menu.addActions(self.sort_actions.actions())

    def _make_toolbar(self) -> None:
        toolbar = QToolBar("Actions", self)
        toolbar.setObjectName("actions")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.add_action, self.like_action, self.delete_action])
        toolbar.addSeparator()

        self.sort_box = QComboBox()
        self.sort_box.setToolTip("Order of the quotes")
        for sort in Sort:
            self.sort_box.addItem(sort.label, sort.value)
        self.sort_box.setCurrentIndex(list(Sort).index(self.model.sort))
        self.sort_box.activated.connect(lambda i: self.set_sort(Sort(self.sort_box.itemData(i))))
        toolbar.addWidget(_caption("Sort:"))
        toolbar.addWidget(self.sort_box)
        toolbar.addSeparator()

        self.tenant_box = QComboBox()
        self.tenant_box.setToolTip("Collection (tenant) shown in this window")
        self.tenant_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.tenant_box.activated.connect(self._tenant_chosen)
        self._fill_tenants()
        toolbar.addWidget(_caption("Tenant:"))
        toolbar.addWidget(self.tenant_box)

        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addAction(self.quit_action)
        self.addToolBar(toolbar)

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.store_label = ElidedLabel(self._repo.store.description)
        self.tenant_label = QLabel()
        self.connection_label = QLabel()
        self.sync_label = QLabel("Not synced yet")
        bar.addWidget(self.store_label, 1)
        for label in (self.tenant_label, self.connection_label, self.sync_label):
            bar.addPermanentWidget(label)
        self._show_tenant()
        self._show_connection(None)

    # -- running ----------------------------------------------------------------

    def start(self) -> None:
        """Follow the store; call with the asyncio loop running."""
        self._follow(self._repo)
        self._spawn(self._load_tenants())

    @property
    def is_closed(self) -> bool:
        return self._closed

    def _spawn(self, coro: Coroutine) -> asyncio.Task | None:
        """Run ``coro`` as a task the window awaits before it closes (none once closing)."""
        if self._closing is not None or self._closed:
            coro.close()
            return None
        return self._track(coro)

    def _track(self, coro: Coroutine) -> asyncio.Task:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if task.cancelled() or task.exception() is None:
            return
        exc = task.exception()
        self._say(f"Something went wrong: {exc}")
        sys.excepthook(type(exc), exc, exc.__traceback__)

    async def _run(self, fn: Callable, *args: object):
        """Run a blocking store call on the window's pool and await its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args))

    def _follow(self, repo: QuoteRepo) -> None:
        self._stop_following()
        self._live = LiveCollection(repo, mode=self._mode)
        self._live_task = self._spawn(self._feed(self._live))

    def _stop_following(self) -> None:
        if self._live_task is None:
            return
        self._live_task.cancel()
        # Also close the collection: it then ends by itself even if the cancellation
        # is lost (asyncio.wait_for on Python 3.11 can swallow one).
        self._track(self._live.aclose())
        self._live_task = self._live = None

    async def _feed(self, live: LiveCollection) -> None:
        """Apply the live collection's events until it ends or the task is cancelled."""
        try:
            async for event in live:
                self.apply(event)
        finally:
            await live.aclose()

    def apply(self, event: Snapshot | Changes | Offline) -> None:
        """Show one event of the live collection."""
        if isinstance(event, Offline):
            self._show_connection(event.reason)
            return
        if isinstance(event, Snapshot):
            keep = self.selected_id()
            self.model.apply(event)
            if keep is not None:
                self.select(keep)
            # The snapshot's quotes live as long as the window: move them out of the
            # cyclic collector's way, so a full collection does not stall a frame.
            gc.freeze()
        else:
            self.model.apply(event)
        self._show_connection("")
        self.sync_label.setText(f"Last sync {datetime.now():%H:%M:%S}")
        if self._select_when_seen is not None and self.select(self._select_when_seen):
            self._select_when_seen = None

    # -- selection --------------------------------------------------------------

    def selected_id(self) -> str | None:
        indexes = self.view.selectionModel().selectedIndexes()
        return indexes[0].data(IdRole) if indexes else None

    def select(self, quote_id: str) -> bool:
        """Select a quote and bring it into view; False if it is not shown."""
        index = self.model.index_of(quote_id)
        if not index.isValid():
            return False
        self.view.setCurrentIndex(index)
        self.view.follow(index)
        return True

    def _update_actions(self) -> None:
        chosen = self.selected_id() is not None
        self.like_action.setEnabled(chosen)
        self.delete_action.setEnabled(chosen)

    # -- likes ------------------------------------------------------------------

    def like_selected(self) -> None:
        quote_id = self.selected_id()
        if quote_id is not None:
            self.like(quote_id)

    def like(self, quote_id: str) -> None:
        """Show the like at once; save it; take it back if it cannot be saved."""
        row = self.model.index_of(quote_id).row()
        if not self.model.like_pending(quote_id):
            return
        if self.model.index_of(quote_id).row() != row:  # the sort moved it: keep it in view
            self.view.follow(self.model.index_of(quote_id))
        self._spawn(self._save_like(self._repo, quote_id))

    async def _save_like(self, repo: QuoteRepo, quote_id: str) -> None:
        try:
            await self._run(repo.like, quote_id)
        except NotFound:
            self.model.like_failed(quote_id)
            self._say("Your like was not saved: someone deleted that quote first.")
        except StoreError as exc:
            self.model.like_failed(quote_id)
            self._store_failed(exc)
            self._say(f"Your like was not saved: {exc}")

    # -- adding -----------------------------------------------------------------

    def add(self) -> None:
        dialog = AddQuoteDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        repo = self._repo
        dialog.submitted.connect(lambda fields: self._spawn(self._insert(repo, fields, dialog)))
        dialog.open()

    async def _insert(self, repo: QuoteRepo, fields: QuoteFields, dialog: AddQuoteDialog) -> None:
        try:
            quote = await self._run(repo.insert, fields.author, fields.content, fields.as_of)
        except (InvalidQuote, StoreError) as exc:
            self._store_failed(exc)
            self._say(f"The quote was not added: {exc}")
            if _still_open(dialog):
                dialog.not_saved(str(exc))
            return
        if _still_open(dialog):
            dialog.saved()
        self._say("Quote added.")
        if repo is self._repo and not self.select(quote.id):
            self._select_when_seen = quote.id

    # -- deleting ---------------------------------------------------------------

    def delete_selected(self) -> None:
        quote_id = self.selected_id()
        if quote_id is None:
            return
        index = self.model.index_of(quote_id)
        dialog = ConfirmDeleteDialog(index.data(AuthorRole), index.data(ContentRole), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        repo = self._repo

        def confirmed() -> None:
            self._select_neighbour(quote_id)
            self._spawn(self._delete(repo, quote_id))

        dialog.accepted.connect(confirmed)
        dialog.open()

    def _select_neighbour(self, quote_id: str) -> None:
        """Move the selection off a quote about to go, to the one below (or above) it."""
        row = self.model.index_of(quote_id).row()
        for neighbour in (row + 1, row - 1):
            if 0 <= neighbour < self.model.rowCount():
                self.select(self.model.index(neighbour).data(IdRole))
                return

    async def _delete(self, repo: QuoteRepo, quote_id: str) -> None:
        try:
            await self._run(repo.delete, quote_id)
        except NotFound:
            self._say("That quote was already deleted.")
        except StoreError as exc:
            self._store_failed(exc)
            self._say(f"The quote was not deleted: {exc}")
        else:
            self._say("Quote deleted.")

    # -- sorting ----------------------------------------------------------------

    def set_sort(self, sort: Sort) -> None:
        self.model.set_sort(sort)
        self._settings.setValue("view/sort", sort.value)
        self.sort_box.setCurrentIndex(list(Sort).index(sort))
        for action in self.sort_actions.actions():
            action.setChecked(action.data() == sort.value)
        chosen = self.selected_id()
        if chosen is not None:
            self.view.scrollTo(self.model.index_of(chosen))
        else:
            self.view.scrollToTop()

    def _saved_sort(self) -> Sort:
        try:
            return Sort(self._settings.value("view/sort", Sort.NEWEST.value))
        except ValueError:
            return Sort.NEWEST

    # -- tenants ----------------------------------------------------------------

    async def _load_tenants(self) -> None:
        try:
            names = await self._run(tenants.names, self._root.store)
        except StoreError as exc:
            self._say(f"Could not list the tenants: {exc}")
            return
        self._tenant_names = names
        self._fill_tenants()

    def _fill_tenants(self) -> None:
        names = sorted({*self._tenant_names, self._repo.tenant})
        self.tenant_box.clear()
        self.tenant_box.addItems(names)
        self.tenant_box.insertSeparator(len(names))
        self.tenant_box.addItem(NEW_TENANT)
        self.tenant_box.setCurrentIndex(names.index(self._repo.tenant))

    def _tenant_chosen(self, index: int) -> None:
        name = self.tenant_box.itemText(index)
        if name == NEW_TENANT:
            self.tenant_box.setCurrentText(self._repo.tenant)
            self.ask_new_tenant()
        elif name != self._repo.tenant:
            self.switch_tenant(QuoteRepo(self._root.store, name))

    def ask_new_tenant(self) -> None:
        dialog = NewTenantDialog(self._tenant_names, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._spawn(self._create_tenant(dialog.name())))
        dialog.open()

    async def _create_tenant(self, name: str) -> None:
        try:
            await self._run(tenants.create, self._root.store, name)
            repo = QuoteRepo(self._root.store, name)
        except (InvalidTenant, StoreError) as exc:
            self._say(f"No new tenant: {exc}")
            return
        self.switch_tenant(repo)
        await self._load_tenants()

    def switch_tenant(self, repo: QuoteRepo) -> None:
        """Show another tenant: an empty list until its first snapshot arrives."""
        self._repo = repo
        self._select_when_seen = None
        self.model.reset(())
        self._fill_tenants()
        self._show_tenant()
        self._show_connection(None)
        self._follow(repo)

    # -- status -----------------------------------------------------------------

    def _store_failed(self, exc: Exception) -> None:
        """An action found the store unreachable: show it as offline until it answers."""
        if isinstance(exc, StoreUnavailable):
            self._show_connection(str(exc))

    def _say(self, message: str) -> None:
        self.statusBar().showMessage(message, MESSAGE_MS)

    def _show_tenant(self) -> None:
        self.tenant_label.setText(f"Tenant: {self._repo.tenant}")
        self.setWindowTitle(f"Quotes — {self._repo.tenant}")

    def _show_connection(self, problem: str | None) -> None:
        """None: connecting; "": connected; else offline, for that reason."""
        if problem is None:
            text, colour, tip = "Connecting…", "#b58a00", "Reading the store"
        elif problem:
            text, colour, tip = "Offline", "#d64545", f"Offline, retrying: {problem}"
        else:
            text, colour, tip = "Connected", "#2f9e63", "Live: changes show as they happen"
        self.connection = text
        self.connection_label.setText(f"<span style='color:{colour}'>●</span> {text}")
        self.connection_label.setToolTip(tip)

    # -- closing ----------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed:
            event.accept()
            return
        if self._closing is None:
            self._settings.setValue("window/geometry", self.saveGeometry())
            self._settings.setValue("view/sort", self.model.sort.value)
            self._settings.sync()
            if not self._tasks:  # never started: nothing to wait for
                self._executor.shutdown()
                self._closed = True
                event.accept()
                self.closed.emit()
                return
            self._closing = asyncio.ensure_future(self._shut_down())
        event.ignore()

    async def _shut_down(self) -> None:
        for dialog in self.findChildren(QDialog):
            dialog.reject()
        self._stop_following()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._executor.shutdown(wait=True)  # nothing is left running on it
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


def _still_open(dialog: QDialog) -> bool:
    """False once the user closed it (it deletes itself on close)."""
    return shiboken6.isValid(dialog) and dialog.isVisible()


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setContentsMargins(8, 0, 4, 0)
    return label
