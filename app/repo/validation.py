"""Validating what a person writes (pydantic): a new quote's author, content and as_of.

Loaded only where input is validated (``app.repo.schema`` hands these names
out on first use), so commands that only read start without pydantic.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationError,
)

from app.repo.schema import MAX_AUTHOR, MAX_CONTENT, InvalidQuote, parse_time


def _no_controls(allowed: str) -> AfterValidator:
    """Refuse control characters (terminal escapes, NUL...) except those ``allowed``:
    categories Cc (U+0000-U+001F, U+007F-U+009F) and Cs (surrogates)."""
    controls = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in allowed)
    found = re.compile(f"[{re.escape(controls)}\ud800-\udfff]").search

    def check(text: str) -> str:
        if found(text):
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


def _optional_time(value: object) -> datetime | None:
    return None if value is None else parse_time(value)


AsOf = Annotated[datetime | None, BeforeValidator(_optional_time)]


class QuoteFields(BaseModel):
    """What a person writes: validated before anything is stored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    author: Author
    content: Content
    as_of: AsOf = None


def validate_fields(**fields: Any) -> QuoteFields:
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
