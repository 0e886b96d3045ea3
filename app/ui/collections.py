"""The collection box: which collection (tenant) the window shows, and New….

The list follows the store's tenant registry live (the session watches it);
the word users see is "Collection", the command line keeps ``--tenant``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from app.repo.errors import InvalidTenant
from app.store.errors import StoreError
from app.ui.session import QuoteSession
from app.ui.tenant_dialog import NewTenantDialog

NEW = "New…"


class CollectionSwitcher:
    def __init__(
        self,
        box: QComboBox,
        session: QuoteSession,
        parent: QWidget,
        say: Callable[[str], None],
        switched: Callable[[], None],
    ) -> None:
        self._box = box
        self._session = session
        self._parent = parent
        self._say = say
        self._switched = switched
        box.activated.connect(self._chosen)
        self.fill()

    def fill(self, *_: object) -> None:
        """Show the store's collections, the current one chosen."""
        current = self._session.tenant
        names = sorted({*self._session.tenant_names, current})
        self._box.clear()
        self._box.addItems(names)
        self._box.insertSeparator(len(names))
        self._box.addItem(NEW)
        self._box.setCurrentIndex(names.index(current))

    def _chosen(self, index: int) -> None:
        name = self._box.itemText(index)
        if name == NEW:
            self._box.setCurrentText(self._session.tenant)
            self.ask_new()
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

    async def _create(self, name: str) -> None:
        try:
            await self._session.create_tenant(name)
        except (InvalidTenant, StoreError) as exc:
            self._say(f"No new collection: {exc}")
            return
        self.fill()
        self._switched()
