"""Properties of the import parser and the export format, over generated input.

- whatever text an import file holds, the parser returns valid quotes or
  refuses with ``InvalidQuote`` in one line: no other exception, no likes out of
  range;
- every quote the validator accepts, written as ``export`` writes it, reads
  back the same, alone on its line (U+2028, U+2029, tabs, right-to-left text,
  astral emoji included); then the same through the real ``quotes export`` and
  ``quotes import``.
"""

from __future__ import annotations

import json
import random
import tempfile
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from support.import_files import parse_quotes

from app.cli.output import printable
from app.client.transfer import json_line
from app.repo.schema import MAX_LIKES, InvalidQuote, Quote, validate_fields

# Hypothesis keeps caches in the working folder: tests write only to temp folders.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "quotes-tests-hypothesis")
PROPERTY = settings(
    database=None, max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

SPECIALS = '\u2028\u2029\u0085\t\n\r\ufeff\u200d\u202e\u00a0 "\\/{}[]'


def _text(characters: st.SearchStrategy[str], awkward: str, **size: int) -> st.SearchStrategy[str]:
    """Text drawn half from ``characters``, half from the ``awkward`` few."""
    return st.lists(characters | st.sampled_from(awkward), **size).map("".join)


TEXT = _text(st.characters(codec="utf-8"), SPECIALS, max_size=40)
#: Characters the validator accepts in an author; content also takes \n and \t.
_ACCEPTED = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))
_AWKWARD = '\u2028\u2029\u202e\u200d\ufeff\u00a0\U0001f989\u05d0\u0627 "\\'
AUTHORS = _text(_ACCEPTED, _AWKWARD, min_size=1, max_size=40)
CONTENTS = _text(_ACCEPTED, _AWKWARD + "\n\t", min_size=1, max_size=80)

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=True)
    | st.integers(min_value=-(2**80), max_value=2**80)
    | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
FIELD_VALUES = st.dictionaries(
    st.sampled_from(["author", "content", "likes", "as_of", "id", "other"]), JSON_VALUES, max_size=5
)
RECORDS = st.one_of(FIELD_VALUES, JSON_VALUES)


def _as_file(records: list[object], as_array: bool, crlf: bool) -> str:
    if as_array:
        return json.dumps(records, ensure_ascii=False)
    end = "\r\n" if crlf else "\n"
    return end.join(json.dumps(r, ensure_ascii=False) for r in records)


@PROPERTY
@given(
    st.one_of(
        TEXT,
        st.builds(_as_file, st.lists(RECORDS, max_size=5), st.booleans(), st.booleans()),
    )
)
def test_any_file_gives_valid_quotes_or_one_clear_line(text):
    try:
        records = parse_quotes(text)
    except InvalidQuote as exc:
        assert "\n" not in printable(str(exc))
        return
    for record in records:
        assert type(record.likes) is int and 0 <= record.likes <= MAX_LIKES
        assert record.fields is None or validate_fields(**record.fields.model_dump()) == record.fields


def _accepted(author: str, content: str):
    try:
        return validate_fields(author=author, content=content)
    except InvalidQuote:
        return None


@PROPERTY
@given(AUTHORS, CONTENTS, st.integers(min_value=0, max_value=MAX_LIKES))
def test_every_accepted_quote_reads_back_from_its_export_line(author, content, likes):
    fields = _accepted(author, content)
    if fields is None:
        return
    at = datetime.now(UTC)
    quote = Quote(id="x", likes=likes, inserted_at=at, updated_at=at, **fields.model_dump())
    exported = json_line(quote.to_json())
    assert exported.split("\n") == [exported], "one record, one line"
    assert exported.splitlines() == [exported], "even for readers that split on U+2028"
    [read] = parse_quotes(exported + "\n")
    assert read.to_quote("unused", at) == quote


def _generated_quotes(count: int) -> list[tuple[str, str]]:
    """Author and content pairs the validator accepts, built from awkward pieces."""
    pieces = [
        "\u2028",
        "\u2029",
        "\t",
        "\n",
        "ابن سينا",
        "עברית",
        "\u202b",
        "🦉",
        "👩‍👩‍👧",
        "𝔘𝔫𝔦",
        "e\u0301",
        "\ufeff",
        "\u00a0",
        '"',
        "\\",
        "'",
        "{",
        "]",
        "\U0010fffd",
        "x",
        " ",
    ]
    chooser = random.Random(12)
    pairs = []
    while len(pairs) < count:
        author = "".join(chooser.choice(pieces) for _ in range(chooser.randint(1, 6)))
        content = "".join(chooser.choice(pieces) for _ in range(chooser.randint(1, 30)))
        fields = _accepted(author, content)
        if fields is not None:
            pairs.append((fields.author, fields.content))
    return pairs


def test_export_then_import_round_trips_generated_awkward_text(file_cli, tmp_path):
    pairs = _generated_quotes(300)
    assert any("\u2028" in c for _, c in pairs) and any("\u2029" in a for a, _ in pairs)
    assert all(unicodedata.category(ch) != "Cc" or ch in "\n\t" for _, c in pairs for ch in c)
    lines = [
        json.dumps({"author": a, "content": c, "likes": n}, ensure_ascii=False)
        for n, (a, c) in enumerate(pairs)
    ]
    lines[0] = json.dumps({"author": "A", "content": "C", "likes": MAX_LIKES})
    assert file_cli.ok("import", "-", stdin="\n".join(lines)).strip() == "300"
    exported = tmp_path / "export.jsonl"
    exported.write_bytes(file_cli.ok("export").encode("utf-8"))
    file_cli.ok("tenants", "create", "copy")
    assert file_cli.ok("--tenant", "copy", "import", str(exported)).strip() == "300"
    copy = json.loads(file_cli.ok("--tenant", "copy", "list", "--json"))

    def kept(quotes):
        return sorted((q["author"], q["content"], q["likes"]) for q in quotes)

    assert kept(copy) == kept(file_cli.listed())
    assert len(exported.read_text(encoding="utf-8").splitlines()) == 300, "one line a quote, to any reader"
    assert len({(a, c) for a, c, _ in kept(copy)}) > 250
