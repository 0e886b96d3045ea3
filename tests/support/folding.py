"""What a search must find, as people type it: one table for the window and ``--search``.

Each row: what is typed, and an author and content holding it in another
spelling. ``MISSES``: what must not be found (a transliteration that would
make a query match unrelated text).
"""

from __future__ import annotations

#: (typed, author, content): the quote must be found.
FINDS = [
    ("coeur", "Blaise Pascal", "Le cœur a ses raisons que la raison ne connaît point."),
    ("soren", "Søren Kierkegaard", "Life can only be understood backwards."),
    ("strasse", "Anon", "Die Straße ist lang."),
    ("aeon", "Æon Flux", "A show."),
    ("rene", "René Descartes", "Cogito, ergo sum."),
    ("RENÉ", "René Descartes", "Cogito, ergo sum."),
    ("lodz", "Anon", "Łódź is a city."),
    ("don't", "Anon", "I don’t know."),
    ("σωκράτης", "Σωκράτης", "Ἓν οἶδα ὅτι οὐδὲν οἶδα."),
    ("ΣΩΚΡΑΤΗΣ", "Σωκράτης", "Ἓν οἶδα ὅτι οὐδὲν οἶδα."),
    ("οιδα", "Σωκράτης", "Ἓν οἶδα ὅτι οὐδὲν οἶδα."),
    ("東京", "松尾芭蕉", "東京の古池や蛙飛び込む水の音"),
    ("古池や", "松尾芭蕉", "東京の古池や蛙飛び込む水の音"),
    ("толстой", "Лев Толстой", "Все счастливые семьи похожи друг на друга."),
]

#: (typed, author, content): the quote must not be found.
MISSES = [
    ("jing", "松尾芭蕉", "東京の古池"),  # 京 is not transliterated to "jing"
    ("tolstoy", "Лев Толстой", "Все счастливые семьи."),  # nor Cyrillic to Latin
    ("京", "Jingle", "Jingle bells."),
    ("coeur", "Anon", "Le coeu r."),
]
