from datetime import UTC, datetime

import pytest
from support.folding import FINDS, MISSES

from app.repo.schema import Quote
from app.sync.search import Search, fold

AT = datetime(2024, 1, 1, tzinfo=UTC)


def quote(author: str, content: str) -> Quote:
    return Quote(id="q", author=author, content=content, likes=0, inserted_at=AT, updated_at=AT)


@pytest.mark.parametrize(
    ("term", "author", "content", "expected"),
    [
        ("rene", "René Descartes", "Cogito, ergo sum.", True),
        ("COGITO", "René Descartes", "Cogito, ergo sum.", True),
        ("strasse", "x", "Die Straße", True),
        ("river", "Heraclitus", "One cannot step twice in the same river.", True),
        ("ocean", "Heraclitus", "One cannot step twice in the same river.", False),
        ("twice  in", "Heraclitus", "One cannot step twice in the same river.", True),
        ("", "anyone", "anything", True),
        ("é", "x", "cafe", True),
        ("naïve", "x", "a naive idea " + "y" * 600, True),
        ("descartes cogito", "René Descartes", "Cogito, ergo sum.", False),  # never across fields
    ],
)
def test_matches_author_or_content_ignoring_case_and_accents(term, author, content, expected):
    assert Search(term).matches(quote(author, content)) is expected


@pytest.mark.parametrize(("typed", "author", "content"), FINDS)
def test_finds_what_people_type(typed, author, content):
    assert Search(typed).matches(quote(author, content))


@pytest.mark.parametrize(("typed", "author", "content"), MISSES)
def test_other_scripts_are_not_transliterated(typed, author, content):
    assert not Search(typed).matches(quote(author, content))


@pytest.mark.parametrize("text", [author for _, author, _ in FINDS] + [content for *_, content in FINDS])
def test_any_text_finds_itself(text):
    assert Search(text).matches(quote(text, "x"))
    assert Search(text).matches(quote("x", text))


def test_blank_search_is_false_and_matches_everything():
    assert not Search("   ")
    assert Search(" x ")


def test_fold():
    assert fold("Ångström") == "angstrom"
    assert fold("Œuvre, Straße, Søren, Æon, Łódź, Þór") == "oeuvre, strasse, soren, aeon, lodz, thor"
    assert fold("ΣΩΚΡΆΤΗΣ") == fold("σωκράτης") == "σωκρατησ"
    assert fold("ｶﾀｶﾅ") == fold("カタカナ")  # half-width forms are the same letters
