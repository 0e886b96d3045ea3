"""Counts in words: "1 quote", "2 quotes", "1,000 quotes". The one place the
window (and anything else that counts things for people) makes a plural."""

from __future__ import annotations

#: Plurals that are not the noun and an "s".
_IRREGULAR: dict[str, str] = {}


def counted(count: int, noun: str, plural: str | None = None, *, shown: str | None = None) -> str:
    """``count`` and the noun in the number it takes; ``shown`` writes the count
    another way (say "1.2k") while the plural still follows ``count``."""
    word = noun if count == 1 else plural or _IRREGULAR.get(noun, noun + "s")
    return f"{shown if shown is not None else f'{count:,}'} {word}"
