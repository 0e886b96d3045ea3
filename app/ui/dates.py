"""Moments as people say them: "just now", "5 minutes ago", "3 days ago", "12 Mar 2024"."""

from __future__ import annotations

from datetime import UTC, datetime


def relative(moment: datetime, now: datetime | None = None) -> str:
    """How long ago ``moment`` was, in words (a date once it is a month or more ago)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    for unit, size in (("minute", 60), ("hour", 3600), ("day", 86400)):
        limit = {"minute": 3600, "hour": 86400, "day": 30 * 86400}[unit]
        if seconds < limit:
            count = int(seconds // size)
            if unit == "day" and count == 1:
                return "yesterday"
            return f"{count} {unit}{'s' * (count != 1)} ago"
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y}"


def exact(moment: datetime) -> str:
    """The moment in local time, to the minute."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"
