"""Search: which quotes match what the user typed (author or content).

Both sides are *folded* the same way before a plain substring test, by
``fold``: ``casefold``, then NFKD with the combining marks dropped (accents:
"rene" finds "René"), then Latin letters and punctuation that still are not
ASCII transliterated with ``anyascii`` ("coeur" finds "cœur", "soren"
"Søren", "aeon" "Æon", "strasse" "Straße"; a typed ' or " finds ’ and “).

Letters of other scripts (Greek, Cyrillic, Japanese, ...) are kept as they
are, only casefolded and without their combining marks: transliterating
them too would make a query find unrelated text ("京" would become "jing",
found in "jingle"), while a Greek or Japanese query finds itself either way.

Why ``anyascii``: ISC licence (Unidecode is GPL, unfit for an MIT app), pure
Python without dependencies, 2.6 MB installed (compressed tables per block
of 256 code points, read on first use), and its speed hardly matters: each
character's folding is asked once and kept in ``_FOLDING``.

The window's search (``app.client.search_index``) and ``quotes list/watch
--search`` share ``fold_quote``. Text that is all ASCII folds with one
``lower()``: the common case costs a few hundred nanoseconds.
"""

from __future__ import annotations

import unicodedata

from anyascii import anyascii

from app.repo.schema import Quote

#: Between the author and the content in a folded quote: a query never holds it
#: (whitespace is collapsed to single spaces), so no match spans both.
SEPARATOR = "\n"


class _Folding(dict[int, str | None]):
    """``str.translate``'s table for what NFKD leaves that is not ASCII, filled as characters come."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        folded: str | None
        if unicodedata.combining(char):
            folded = None  # an accent: dropped
        elif _latin_or_punctuation(char):
            folded = anyascii(char).casefold() or char
        else:
            folded = char
        self[code] = folded
        return folded


def _latin_or_punctuation(char: str) -> bool:
    category = unicodedata.category(char)
    if category[0] in "PZ":  # punctuation and spaces: ’ “ « — and the like
        return True
    return category[0] == "L" and unicodedata.name(char, "").startswith("LATIN ")


_FOLDING = _Folding()


def fold(text: str) -> str:
    """``text`` without case, accents or Latin letters outside ASCII, for comparing."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text.casefold()).translate(_FOLDING)


def fold_quote(quote: Quote) -> str:
    """What a search looks in: the quote's author and content, folded."""
    return fold(quote.author) + SEPARATOR + fold(quote.content)


def fold_query(text: str) -> str:
    """What a search looks for: ``text`` folded, its whitespace collapsed to single spaces."""
    return fold(" ".join(text.split()))


class Search:
    """A search term; ``matches(quote)`` says whether a quote is shown."""

    def __init__(self, text: str) -> None:
        self.text = text
        #: What is looked for in each folded quote ("" matches every quote).
        self.folded = fold_query(text)

    def __bool__(self) -> bool:
        return bool(self.folded)

    def matches(self, quote: Quote) -> bool:
        return not self.folded or self.folded in fold_quote(quote)
