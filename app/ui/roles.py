"""The custom item-data roles of the quote list.

The delegate, the window and the tests read a quote only through these roles,
so the model stays the one place that knows how a ``Quote`` is stored.
"""

from datetime import datetime
from typing import NamedTuple

from PySide6.QtCore import Qt

_USER = int(Qt.ItemDataRole.UserRole)

IdRole = _USER + 1
AuthorRole = _USER + 2
ContentRole = _USER + 3
#: The count to show: the stored likes plus this window's unconfirmed likes.
LikesRole = _USER + 4
#: True while one of this window's likes on the quote is not yet confirmed.
PendingRole = _USER + 5
InsertedAtRole = _USER + 6
#: True for a moment after someone else changed the quote (its card lights up).
FlashRole = _USER + 7
#: Everything a card shows, as one ``Card``: a painted card asks once, not once a field.
#: ``dataChanged`` names the roles it combines that changed, never this one.
CardRole = _USER + 8

ROLE_NAMES = {
    IdRole: b"id",
    AuthorRole: b"author",
    ContentRole: b"content",
    LikesRole: b"likes",
    PendingRole: b"pending",
    InsertedAtRole: b"insertedAt",
    FlashRole: b"flash",
    CardRole: b"card",
}


class Card(NamedTuple):
    """What ``CardRole`` holds; ``likes``, ``pending`` and ``flash`` as their roles give them."""

    id: str
    author: str
    content: str
    inserted_at: datetime
    likes: int
    pending: bool
    flash: bool
