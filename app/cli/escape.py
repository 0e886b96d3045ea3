"""Text from the store shown to a person: every character that is invisible, or that
changes how the text around it is shown, is written visibly as an escape.

Human output (``list``, ``watch``, ``tenants``, error lines) escapes control
characters (Cc), format characters (Cf: zero-width spaces and joiners, the
bidirectional marks, embeddings, overrides and isolates, U+FEFF, tag
characters), line and paragraph separators (Zl, Zp), private-use (Co),
unassigned code points (Cn), lone surrogates (Cs) and the other characters
Unicode says are ignorable when displayed (Hangul fillers, the combining
grapheme joiner, Mongolian variation selectors). They are written as Python
writes them: ``\\x1b``, ``\\u200b``, ``\\U000e0041``. In quotes and names a
backslash is shown doubled, so ``\\u200b`` on screen always stands for the escaped character and
never for those six characters typed in a quote: two different texts never
look the same. Variation selectors (U+FE00 to U+FE0F) are shown as they are:
they choose how the character before them is drawn (emoji or text), so they
are visible where they matter.

JSON output is never escaped this way: it keeps every character as stored
(``app.client.transfer.exporting.json_line``).
"""

from __future__ import annotations

import re
import unicodedata

_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
#: Default_Ignorable_Code_Point characters outside those categories (apart from
#: variation selectors): drawn as nothing at all.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\uffa0")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = re.compile("[ \t\r\n]+")
#: What ``str.isprintable`` lets through that is still shown escaped (or doubled).
_PRINTABLE_BUT_SHOWN = re.compile("[\\\\" + "".join(sorted(_INVISIBLE)) + "]")


def _escaped(ch: str) -> str:
    if ch in _INVISIBLE or unicodedata.category(ch) in _ESCAPED_CATEGORIES:
        return ch.encode("unicode_escape", "backslashreplace").decode("ascii")
    return ch


def _shown(ch: str) -> str:
    return "\\\\" if ch == "\\" else _escaped(ch)


def printable(text: str) -> str:
    """Text from the store as a person should see it: every invisible or format
    character escaped, and every backslash doubled."""
    if text.isprintable() and _PRINTABLE_BUT_SHOWN.search(text) is None:
        return text  # the usual case, at C speed
    return "".join(map(_shown, text))


def message(text: str) -> str:
    """An error line: the characters ``printable`` escapes are escaped, but a backslash
    stays one (the names in messages are mostly quoted with ``repr``, escaped already)."""
    return "".join(map(_escaped, text))


def one_line(text: str) -> str:
    """``text`` on one line: runs of spaces, tabs and line ends become one space (other
    separators, such as U+2028, are escaped), then escaped as ``printable``."""
    return printable(_LINE_BREAKS.sub(" ", text.strip(" \t\r\n")))


def is_text(value: str) -> bool:
    """False for a string holding bytes that were not UTF-8 (the surrogates Python
    decodes them to): a command-line argument that is not text."""
    return _SURROGATE.search(value) is None
