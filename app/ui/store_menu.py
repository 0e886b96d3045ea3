"""File ▸ Open Store…, Connect to Cluster…, Open Recent and Reopen: which store a window shows.

An embedded store is a file (Open Store… picks one that exists: a mistyped
path never makes a new empty store); a FoundationDB cluster is reached
through its cluster file (Connect to Cluster…). A store that opens is put
first in the recent list, remembered in the window's settings
(``stores/recent``, at most ``RECENT``). A file that is not a store, or a
cluster that does not answer, is said in a message box that names it, and
the window stays on the store it showed.

Reopen opens the store's file again (``QuoteSession.reopen``), so a store put
back at its path (a backup copied there) is read, not the file that was
deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from app.client import InvalidTenant, QuoteSession, StoreError, UnknownTenant

#: How many stores Open Recent lists.
RECENT = 8
_KEY = "stores/recent"
#: How a recent entry says which kind of store it is.
_EMBEDDED, _CLUSTER = "file", "cluster"


class StoreOpener:
    """Opens another store in a window and keeps the recent list."""

    def __init__(
        self,
        parent: QWidget,
        session: QuoteSession,
        settings: QSettings,
        say: Callable[[str], None],
        opened: Callable[[], None],
    ) -> None:
        self._parent = parent
        self._session = session
        self._settings = settings
        self._say = say
        self._opened = opened
        self.recent_menu = QMenu("Open &Recent", parent)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        if session.store_path is not None:
            self._remember(_EMBEDDED, str(session.store_path))

    # -- asking -----------------------------------------------------------------

    def ask_store(self) -> QFileDialog:
        """File ▸ Open Store…: pick an embedded store file."""
        start = self._session.store_path
        dialog = QFileDialog(self._parent, "Open a Quotes Store", str(start.parent) if start else "")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(["Quotes stores (*.db)", "All files (*)"])
        dialog.fileSelected.connect(lambda name: self.open(_EMBEDDED, name))
        dialog.open()
        return dialog

    def ask_cluster(self) -> QFileDialog:
        """File ▸ Connect to Cluster…: pick a FoundationDB cluster file."""
        dialog = QFileDialog(self._parent, "Connect to a FoundationDB Cluster", "/etc/foundationdb")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(["Cluster files (*.cluster)", "All files (*)"])
        dialog.fileSelected.connect(lambda name: self.open(_CLUSTER, name))
        dialog.open()
        return dialog

    def reopen(self) -> None:
        """Open the store shown again (its file may have been put back)."""
        self._session.spawn(self._reopen())

    # -- opening ----------------------------------------------------------------

    def open(self, kind: str, where: str) -> None:
        self._session.spawn(self._open(kind, where))

    async def _open(self, kind: str, where: str) -> None:
        try:
            if kind == _CLUSTER:
                await self._session.open_store(cluster_file=where)
            else:
                await self._session.open_store(Path(where))
        except (StoreError, InvalidTenant, UnknownTenant) as exc:
            self._refused(kind, where, exc)
            return
        self._remember(kind, where)
        self._opened()
        self._say(f"Opened {self._session.store_description}.")

    async def _reopen(self) -> None:
        try:
            await self._session.reopen()
        except (StoreError, InvalidTenant, UnknownTenant) as exc:
            self._say(f"Could not reopen the store: {exc}")
            return
        self._opened()

    def _refused(self, kind: str, where: str, exc: Exception) -> None:
        what = "cluster file" if kind == _CLUSTER else "store"
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Could Not Open",
            f"Quotes could not open the {what} {where}.\n\n{exc}\n\nThe window still shows the same store.",
            QMessageBox.StandardButton.Close,
            self._parent,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # a path is not markup
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._say(f"Could not open {where}: {exc}")

    # -- the recent list ----------------------------------------------------------

    def recent(self) -> list[tuple[str, str]]:
        """The stores opened lately, newest first: (kind, path)."""
        saved = self._settings.value(_KEY, [])
        entries = [saved] if isinstance(saved, str) else list(saved or [])
        pairs = [entry.split(":", 1) for entry in entries if isinstance(entry, str) and ":" in entry]
        return [(kind, where) for kind, where in pairs if kind in (_EMBEDDED, _CLUSTER)]

    def _remember(self, kind: str, where: str) -> None:
        entries = [(kind, where), *[entry for entry in self.recent() if entry != (kind, where)]]
        self._settings.setValue(_KEY, [f"{k}:{w}" for k, w in entries[:RECENT]])

    def _fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        for n, (kind, where) in enumerate(self.recent(), start=1):
            label = where.replace("&", "&&") + (" (cluster)" if kind == _CLUSTER else "")
            action = menu.addAction(f"&{n} {label}" if n < 10 else label)
            action.triggered.connect(lambda _=False, k=kind, w=where: self.open(k, w))
        if menu.isEmpty():
            menu.addAction(_disabled(menu, "No recent stores"))
            return
        menu.addSeparator()
        menu.addAction("&Clear List").triggered.connect(lambda: self._settings.remove(_KEY))


def _disabled(parent: QWidget, text: str) -> QAction:
    action = QAction(text, parent)
    action.setEnabled(False)
    return action
