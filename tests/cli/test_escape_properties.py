"""Properties of what a person sees: nothing invisible gets through, and different texts
never look the same (``printable`` can be read back), for any text at all (lone
surrogates included: an argument of bytes that are not UTF-8 holds them)."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from app.cli.escape import printable

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "quotes-tests-hypothesis")
PROPERTY = settings(database=None, max_examples=500, deadline=None)

AWKWARD = "\\\u200b\u200d\u200f\u061c\ufeff\u2028\u2029\u0085\u3164\u034f\ue000\u0378\udcff\U000e0041\nxu"
#: Any code point (lone surrogates included), often the awkward ones.
TEXT = st.lists(st.characters() | st.sampled_from(AWKWARD), max_size=30).map("".join)
HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|[ntr])")


def read_back(shown: str) -> str:
    """The text ``printable`` showed, from what it showed."""

    def one(match: re.Match[str]) -> str:
        code = match[1]
        if code == "\\":
            return "\\"
        if code in "ntr":
            return {"n": "\n", "t": "\t", "r": "\r"}[code]
        return chr(int(code[1:], 16))

    return _ESCAPE.sub(one, shown)


@PROPERTY
@given(TEXT)
def test_nothing_invisible_is_shown_raw(text):
    assert [ch for ch in printable(text) if unicodedata.category(ch) in HIDDEN] == []


@PROPERTY
@given(TEXT)
def test_what_is_shown_reads_back_as_the_text(text):
    assert read_back(printable(text)) == text
