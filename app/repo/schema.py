"""The Quote schema: what a stored quote is and which values are allowed."""

from __future__ import annotations

from datetime import datetime, timezone
import unicodedata
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

MAX_AUTHOR = 200
MAX_CONTENT = 5000
#: Likes are whole numbers from 0 to this: exact in JSON everywhere (JavaScript's
#: largest safe integer) and far inside the store's 64-bit counters.
MAX_LIKES = 2**53 - 1



def _no_controls(allowed: str):
    """Refuse control characters (terminal escapes, NUL...) except those ``allowed``."""

    def check(text: str) -> str:
        for ch in text:
            if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cs"):
                raise ValueError("must not contain control characters")
        return text

    return AfterValidator(check)


Author = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_AUTHOR),
    _no_controls(""),
]
Content = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_CONTENT),
    _no_controls("\n\t"),
]


class InvalidQuote(ValueError):
    """A quote's fields break the schema; the message names the field and why."""


class QuoteFields(BaseModel):
    """What a person writes: validated before anything is stored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    author: Author
    content: Content
    as_of: datetime | None = None


class Quote(BaseModel):
    """A stored quote, as the repository returns it."""

    model_config = ConfigDict(frozen=True)

    id: str
    author: str
    content: str
    likes: int = Field(ge=0, le=MAX_LIKES)
    as_of: datetime | None = None
    inserted_at: datetime
    updated_at: datetime

    def to_json(self) -> dict:
        """The command line's JSON form (times in ISO 8601)."""
        return self.model_dump(mode="json")


def now() -> datetime:
    return datetime.now(timezone.utc)


def validate_fields(**fields: object) -> QuoteFields:
    """Validate a new quote's fields, raising ``InvalidQuote`` with one clear line."""
    try:
        return QuoteFields(**fields)
    except ValidationError as exc:
        raise InvalidQuote(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """One line a person can act on, from pydantic's first error."""
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or "quote"
    kind = error["type"]
    if kind == "missing":
        return f"{field} is required"
    if kind == "string_too_short":
        return f"{field} must not be blank"
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return f"{field} is too long (at most {limit} characters)"
    if kind == "value_error":
        return f"{field} {error['ctx']['error']}"
    if kind == "extra_forbidden":
        return f"unknown field {field!r}"
    return f"{field}: {error['msg']}"
