"""The progress of a file job (Import…, Export…, Back Up…), with a Cancel that waits for the job.

Qt's ``QProgressDialog`` hides itself the moment Cancel is pressed; a job
that must take back what it wrote (a cancelled import) is not done then. So
this one stays up, saying "Cancelling…" (with the take-back's own progress),
Cancel disabled, until the job has stopped (``finish``). Esc, closing it and
the window closing all ask the same.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from app.client import Step

#: A job that ends sooner shows no dialog (no flash for a small file).
SHOW_AFTER_MS = 300


class JobProgress(QProgressDialog):
    """A job's progress; Cancel (the button, Esc, closing it) asks the job to stop
    and the dialog stays, saying so, until the job has stopped (``finish``)."""

    cancel_asked = Signal()

    def __init__(self, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setLabelText(f"{title}…")
        self.setCancelButtonText("&Cancel")
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setRange(0, 0)
        self.setMinimumWidth(380)
        self.canceled.disconnect(self.cancel)  # Qt would hide it at once: it stays until stopped
        self.canceled.connect(self._cancel_asked)
        self.setMinimumDuration(SHOW_AFTER_MS)
        self._cancelling = False
        self._finished = False

    def show_step(self, step: Step) -> None:
        if self._finished or (self._cancelling and step.can_cancel):
            return
        if self.maximum() != step.total:
            self.setRange(0, step.total)
        self.setValue(min(step.done, step.total) if step.total else 0)
        self.setLabelText(step.text)
        self._cancel_button().setEnabled(step.can_cancel and not self._cancelling)

    def finish(self) -> None:
        """The job has ended: close for good."""
        self._finished = True
        self.reset()
        self.hide()
        self.deleteLater()

    def reject(self) -> None:  # Esc, and the window closing
        self.canceled.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._finished:
            event.accept()
            return
        event.ignore()
        self.canceled.emit()

    def _cancel_asked(self) -> None:
        if self._cancelling or self._finished:
            return
        self._cancelling = True
        self.setLabelText("Cancelling…")
        self._cancel_button().setEnabled(False)
        self.cancel_asked.emit()

    def _cancel_button(self) -> QPushButton:
        return self.findChild(QPushButton)
