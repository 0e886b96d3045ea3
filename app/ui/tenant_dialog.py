"""Asks for a new collection's name (a tenant in the store), checking it as you type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.client import InvalidTenant, same_collection_name, validate_collection_name


class NewTenantDialog(QDialog):
    def __init__(self, existing: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Collection")
        self.setMinimumWidth(360)
        self._existing = list(existing)
        self._name: str | None = None

        label = QLabel("A collection is a separate set of quotes in the same store.")
        label.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Name, e.g. work")
        self.hint = QLabel()
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("C&reate")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Cancel")

        layout = QVBoxLayout(self)
        # No layout-imposed minimum on the window: size hints are set once, before it shows.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        name_label = QLabel("&Name:")
        name_label.setBuddy(self.name_edit)
        layout.addWidget(label)
        layout.addWidget(name_label)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)

        self.name_edit.textChanged.connect(self._typed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._touched = False
        self._validate()

    def name(self) -> str | None:
        """The valid new name, or None while it is not."""
        return self._name

    def accept(self) -> None:
        if self._name is not None:
            super().accept()

    def _typed(self) -> None:
        self._touched = True
        self._validate()

    def _validate(self) -> None:
        try:
            name = validate_collection_name(self.name_edit.text())
        except InvalidTenant as exc:
            self._name, message = None, str(exc).replace("tenant name", "the name")
        else:
            taken = same_collection_name(name, self._existing)
            self._name = None if taken else name
            message = f"{taken} already exists" if taken else "Ready to create"
        shown = self._touched or self._name is not None
        self.hint.setText(message[0].upper() + message[1:] + "." if shown else "")
        self.ok.setEnabled(self._name is not None)
