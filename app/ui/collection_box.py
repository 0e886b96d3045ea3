"""The collection box: which collection (tenant) the window shows, New… and Delete….

The list follows the store's tenant registry live (the session watches it):
a collection created elsewhere appears, and if the one shown is deleted
elsewhere the window moves to "default" and says so. The word users see is
"Collection"; the command line keeps ``--tenant``. Names are listed as
people sort them ("default" first, then by the user's locale: case and
accents do not scatter them, "item 9" comes before "item 10").
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCollator, QLocale, Qt
from PySide6.QtWidgets import QComboBox, QMessageBox, QWidget

from app.client import DEFAULT_COLLECTION, InvalidTenant, QuoteSession, StoreError, counted
from app.ui.tenant_dialog import NewTenantDialog

NEW = "New…"
DELETE = "Delete…"


class CollectionSwitcher:
    def __init__(
        self,
        box: QComboBox,
        session: QuoteSession,
        parent: QWidget,
        say: Callable[[str], None],
        switched: Callable[[], None],
        count: Callable[[], int | None],
    ) -> None:
        self._box = box
        self._session = session
        self._parent = parent
        self._say = say
        self._switched = switched
        self._count = count
        #: False while the store is offline: New… and Delete… say so instead.
        self.writable = True
        box.activated.connect(self._chosen)
        self.fill()

    def registry_changed(self, names: list[str]) -> None:
        """The store's collections changed (here or elsewhere)."""
        current = self._session.tenant
        if current != DEFAULT_COLLECTION and current not in names:
            self._say(f"The collection “{current}” was deleted elsewhere: showing “{DEFAULT_COLLECTION}”.")
            self.switch(DEFAULT_COLLECTION)
        else:
            self.fill()

    def fill(self) -> None:
        """Show the store's collections, the current one chosen."""
        current = self._session.tenant
        names = sorted_for_people({*self._session.tenant_names, current})
        self._box.clear()
        self._box.addItems(names)
        self._box.insertSeparator(len(names))
        self._box.addItem(NEW)
        self._box.addItem(DELETE)
        if current == DEFAULT_COLLECTION:  # the default collection always exists
            self._box.model().item(self._box.count() - 1).setEnabled(False)
        self._box.setCurrentIndex(names.index(current))

    def _chosen(self, index: int) -> None:
        name = self._box.itemText(index)
        if name in (NEW, DELETE):
            self._box.setCurrentText(self._session.tenant)
            if not self.writable:
                self._say("The store is offline: collections can be made or deleted once it is back.")
            else:
                self.ask_new() if name == NEW else self.ask_delete()
        elif name != self._session.tenant:
            self.switch(name)

    def switch(self, name: str) -> None:
        self._session.switch_tenant(name)
        self.fill()
        self._switched()

    def ask_new(self) -> None:
        dialog = NewTenantDialog(self._session.tenant_names, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._session.spawn(self._create(dialog.name())))
        dialog.open()

    def ask_delete(self) -> QMessageBox | None:
        """Ask before deleting the collection shown (with every quote in it)."""
        name = self._session.tenant
        if name == DEFAULT_COLLECTION:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Delete Collection",
            f"Delete the collection “{name}” and {_its_quotes(self._count())}?",
            QMessageBox.StandardButton.Cancel,
            self._parent,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("It disappears for everyone who shares this store.")
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: button is delete and self._session.spawn(self._delete(name)))
        box.open()
        return box

    async def _delete(self, name: str) -> None:
        try:
            await self._session.delete_tenant(name)
        except (InvalidTenant, StoreError) as exc:
            self._say(f"The collection was not deleted: {exc}")
            return
        self._say(f"Collection “{name}” deleted.")
        self.fill()
        self._switched()

    async def _create(self, name: str) -> None:
        try:
            await self._session.create_tenant(name)
        except (InvalidTenant, StoreError) as exc:
            self._say(f"No new collection: {exc}")
            return
        self.fill()
        self._switched()


def _its_quotes(count: int | None) -> str:
    """How many quotes a deletion takes (None: not all read yet)."""
    return "every quote in it" if count is None else f"its {counted(count, 'quote')}"


def sorted_for_people(names: set[str]) -> list[str]:
    """The default collection first, then the others in the user's locale's order."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:  # no language chosen: C sorts by code point
        locale = QLocale(QLocale.Language.English)
    collator = QCollator(locale)
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    collator.setNumericMode(True)
    others = sorted(names - {DEFAULT_COLLECTION}, key=collator.sortKey)
    return [DEFAULT_COLLECTION, *others] if DEFAULT_COLLECTION in names else others
