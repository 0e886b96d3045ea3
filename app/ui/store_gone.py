"""The bar shown when the embedded store's file is gone: where it was, Reopen, Open Another….

The file is watched (the platform's file-system events, no polling), so a
store deleted or moved while the window rests is noticed at once: ``vanished``
asks the window to read the store again, which then reports it offline.
Reopen reads the store again at once (say, the file was moved back); Open
Another… lets the user pick a different store file for this window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QWidget

from app.ui import plain_text


class StoreGoneBar(QWidget):
    reopen = Signal()
    #: The watched store file was deleted or moved.
    vanished = Signal()
    #: The store file the user chose instead.
    chosen = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = plain_text.label()
        self.message.setWordWrap(True)
        self.reopen_button = QPushButton("Reopen")
        self.reopen_button.setToolTip("Read the store again, now")
        self.other_button = QPushButton("Open Another…")
        self.other_button.setToolTip("Choose another store file for this window")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.reopen_button)
        layout.addWidget(self.other_button)
        self.reopen_button.clicked.connect(self.reopen)
        self.other_button.clicked.connect(self._choose)
        self._path: Path | None = None
        self._files = QFileSystemWatcher(self)
        self._files.fileChanged.connect(self._changed)
        self._files.directoryChanged.connect(self._changed)
        self.hide()

    def watch(self, path: Path | None) -> None:
        """Notice when the store file at ``path`` goes (None: nothing to watch)."""
        watched = self._files.files() + self._files.directories()
        if watched:
            self._files.removePaths(watched)
        self._path = path
        if path is not None and path.exists():
            # Its folder and the folder's folder too: deleting or renaming a folder is
            # not an event of the file, and a rename is an event only of the one above.
            self._files.addPaths(sorted({str(path), str(path.parent), str(path.parent.parent)}))

    def _changed(self, _name: str) -> None:
        if self._path is not None and not self._path.exists():
            self.watch(None)  # once: the window watches again when the store is back
            self.vanished.emit()

    def show_missing(self, path: Path) -> None:
        self.message.setText(f"The store {path} is gone: it was deleted or moved.")
        self._folder = path.parent
        self.show()

    def _choose(self) -> QFileDialog:
        dialog = QFileDialog(self, "Open a Quotes store", str(self._folder))
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.fileSelected.connect(lambda name: self.chosen.emit(Path(name)))
        dialog.open()
        return dialog
