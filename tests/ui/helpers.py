"""Test helpers: made-up quotes, and reading the window through the model's roles."""

from datetime import UTC, datetime, timedelta

from app.repo.schema import Quote
from app.ui.roles import IdRole, LikesRole, PendingRole

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def make_quote(quote_id: str, likes: int = 0, minute: int = 0, **fields) -> Quote:
    """A quote inserted ``minute`` minutes after T0 (later minutes are newer)."""
    at = T0 + timedelta(minutes=minute)
    return Quote(
        id=quote_id,
        author=fields.get("author", f"Author {quote_id}"),
        content=fields.get("content", f"Quote {quote_id}"),
        likes=likes,
        inserted_at=at,
        updated_at=at,
    )


def shown_ids(window):
    model = window.model
    return [model.index(row).data(IdRole) for row in range(model.rowCount())]


def shown_likes(window, quote_id):
    return window.model.index_of(quote_id).data(LikesRole)


def is_pending(window, quote_id):
    return window.model.index_of(quote_id).data(PendingRole)


def visible_dialog(window, kind):
    """The open dialog of ``kind`` the window started."""
    dialogs = [d for d in window.findChildren(kind) if d.isVisible()]
    assert len(dialogs) == 1, dialogs
    return dialogs[0]


def notice(window):
    """The status bar's notice (the one with an Undo button), "" while none shows."""
    status = window.status
    return status.notice_label.text() if status.notice_box.isVisible() else ""
