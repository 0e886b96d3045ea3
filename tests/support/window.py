"""Reading a window as a user sees it: the rows it shows, the dialogs it opened."""

from __future__ import annotations

from typing import Any

from app.ui.roles import IdRole, LikesRole, PendingRole


def shown_ids(window: Any) -> list[str]:
    model = window.model
    return [model.index(row).data(IdRole) for row in range(model.rowCount())]


def shown_likes(window: Any, quote_id: str) -> int | None:
    return window.model.index_of(quote_id).data(LikesRole)


def is_pending(window: Any, quote_id: str) -> bool | None:
    return window.model.index_of(quote_id).data(PendingRole)


def visible_dialog(window: Any, kind: type) -> Any:
    """The open dialog of ``kind`` the window started."""
    dialogs = [d for d in window.findChildren(kind) if d.isVisible()]
    assert len(dialogs) == 1, dialogs
    return dialogs[0]


def notice(window: Any) -> str:
    """The status bar's notice (the one with an Undo button), "" while none shows."""
    status = window.status
    return status.notice_label.text() if status.notice_box.isVisible() else ""
