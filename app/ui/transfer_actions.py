"""File ▸ Import…, Export… and Back Up…: ask for a file, run the job off the GUI thread, show its progress.

The jobs themselves are ``app.client.file_jobs`` (Qt-free, all or nothing);
this module asks for the file (``ask_path``, the one place a file dialog is
made, so a test can answer it), runs the job on the session's pool and shows
a ``JobProgress`` dialog (``job_progress``) while it runs, modal to the window (which goes on
painting; one job at a time). While an import runs the window's list waits
(``QuoteSession.pause``) and is read again when it ends: the file's quotes
show at once, rather than trickle in a slice at a time while holding the
GUI thread the import competes with (a window following its own
20,000-quote import showed 1,654 of them 30 s after it ended, on a busy
2-core machine). Cancel (the button, Esc, or closing the dialog or the
window) asks the job to stop; the dialog stays up, saying so, until it has
stopped and nothing is half-done. A failure is shown in a message box with
the job's own words (which file, which line, what is wrong).

The folder of the last file chosen is remembered in the settings
(``files/folder``). Back Up… copies an embedded store's file; on a
FoundationDB cluster it is disabled, its tooltip pointing to Export… of all
collections.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.client import JobCancelled, JobFailed, QuoteSession, file_jobs
from app.ui.job_progress import JobProgress

_FOLDER_KEY = "files/folder"
_JSON_FILTERS = ["Quotes exports (*.jsonl *.json)", "All files (*)"]
_STORE_FILTERS = ["Quotes stores (*.db)", "All files (*)"]


def ask_path(
    parent: QWidget,
    title: str,
    folder: str,
    filters: list[str],
    chosen: Callable[[Path], None],
    *,
    save_as: str | None = None,
) -> QFileDialog:
    """A file dialog (a file to save, named ``save_as`` at first, or one to open)
    that calls ``chosen`` with the file picked."""
    dialog = QFileDialog(parent, title, folder)
    dialog.setNameFilters(filters)
    if save_as is None:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)  # asks before replacing a file
        dialog.setDefaultSuffix(Path(save_as).suffix.lstrip("."))
        dialog.selectFile(save_as)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda name: chosen(Path(name)))
    dialog.open()
    return dialog


class _Relay(QObject):
    """Steps reported on the job's thread, delivered on the GUI thread (a queued signal)."""

    stepped = Signal(object)


class FileTransfers:
    """File ▸ Import…, Export… and Back Up… of one window."""

    def __init__(
        self,
        parent: QWidget,
        session: QuoteSession,
        settings: QSettings,
        actions: tuple[QAction, QAction, QAction],
        say: Callable[[str], None],
    ) -> None:
        self._parent = parent
        self._session = session
        self._settings = settings
        self._import, self._export, self._back_up = actions
        self._say = say
        self._running: JobProgress | None = None
        self._import.triggered.connect(self.ask_import)
        self._export.triggered.connect(self.ask_export)
        self._back_up.triggered.connect(self.ask_back_up)

    def enable(self, *, offline: bool) -> None:
        """One job at a time; Import… writes, so not offline; Back Up… needs a store file."""
        idle = self._running is None
        self._import.setEnabled(idle and not offline)
        self._export.setEnabled(idle)
        why_not = file_jobs.can_back_up(self._session.repo)
        self._back_up.setEnabled(idle and why_not is None)
        tip = why_not or self._back_up.statusTip()
        if self._back_up.toolTip() != tip:  # called for every batch shown: no change, no signal
            self._back_up.setToolTip(tip)

    # -- asking ---------------------------------------------------------------------

    def ask_import(self) -> None:
        ask_path(self._parent, "Import Quotes", self._folder(), _JSON_FILTERS, self.start_import)

    def ask_export(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question, "Export Quotes", "Export which quotes?", parent=self._parent
        )
        box.setInformativeText(
            f"This collection is “{self._session.tenant}”. All collections, empty ones included, "
            "is what Import… restores whole into another store."
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        this = box.addButton("&This Collection", QMessageBox.ButtonRole.AcceptRole)
        every = box.addButton("&All Collections", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(this)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: Any) -> None:
            if button in (this, every):
                self._ask_export_file(every_collection=button is every)

        box.buttonClicked.connect(answered)
        box.open()

    def _ask_export_file(self, *, every_collection: bool) -> None:
        name = "all" if every_collection else self._session.tenant
        ask_path(
            self._parent,
            "Export Quotes",
            self._folder(),
            _JSON_FILTERS,
            lambda path: self.start_export(path, every_collection=every_collection),
            save_as=f"quotes-{name}-{datetime.date.today()}.jsonl",
        )

    def ask_back_up(self) -> None:
        ask_path(
            self._parent,
            "Back Up the Store",
            self._folder(),
            _STORE_FILTERS,
            self.start_back_up,
            save_as=f"quotes-backup-{datetime.date.today()}.db",
        )

    # -- running --------------------------------------------------------------------

    def start_import(self, path: Path) -> None:
        self._start("Import", path, file_jobs.import_file)

    def start_export(self, path: Path, *, every_collection: bool) -> None:
        self._start("Export", path, file_jobs.export_file, every_collection=every_collection)

    def start_back_up(self, path: Path) -> None:
        self._start("Back Up", path, file_jobs.back_up_file)

    def _start(self, what: str, path: Path, job: Callable[..., str], **options: object) -> None:
        if self._running is not None:
            return
        self._settings.setValue(_FOLDER_KEY, str(path.parent))
        dialog = JobProgress(f"{what} {path.name}", self._parent)
        stop = threading.Event()
        dialog.cancel_asked.connect(stop.set)
        relay = _Relay(dialog)
        relay.stepped.connect(dialog.show_step)
        repo = self._session.repo
        running = self._session.run_job(job, repo, path, relay.stepped.emit, stop.is_set, **options)
        if self._session.spawn(self._finish(what, dialog, running)) is None:  # the window is closing
            running.close()
            dialog.finish()
            return
        self._running = dialog
        if what == "Import":
            self._session.pause()
        self._enable_now()

    async def _finish(self, what: str, dialog: JobProgress, running: Any) -> None:
        try:
            said = await running
        except JobCancelled as exc:
            said = str(exc)
        except JobFailed as exc:
            self._failed(what, str(exc))
            said = f"{what} failed: nothing was written."
        finally:
            dialog.finish()
            self._running = None
            self._enable_now()
            if what == "Import":  # the list waited (``QuoteSession.pause``): read it again
                self._session.reconnect()
        self._say(said)

    def _enable_now(self) -> None:
        self.enable(offline=bool(self._session.connection))

    def _failed(self, what: str, message: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            f"Could Not {what}",
            message,
            QMessageBox.StandardButton.Close,
            self._parent,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # a path or a line of the file is not markup
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _folder(self) -> str:
        saved = self._settings.value(_FOLDER_KEY, "")
        if isinstance(saved, str) and saved and Path(saved).is_dir():
            return saved
        return str(Path.home())
